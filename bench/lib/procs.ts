import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';

/** The tsx loader, resolved once so that children may run from any working directory. */
const TSX = import.meta.resolve('tsx');

export const HAS_TASKSET = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export interface SpawnOptions {
  /** CPU list for `taskset -c`, or null for no pinning. */
  core: string | null;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Extra `node` flags (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** File receiving stdout and stderr. */
  logFile: string;
  /** Open an IPC channel (for load processes). */
  ipc?: boolean;
}

/** Niceness given to every measured process (negative: favoured over the rest of the machine). */
let niceness = 0;

/**
 * Sets the niceness of the processes started from now on. With the scheduler's autogroups
 * (one per session) niceness only weighs within a group, so the group's own niceness is set
 * too, where the kernel has them: that is what favours the bench over other sessions' work.
 */
export function setNiceness(value: number): void {
  niceness = value;
  if (value === 0) return;
  try {
    const before = /nice (-?\d+)/.exec(readFileSync('/proc/self/autogroup', 'utf8'))?.[1] ?? '0';
    writeFileSync('/proc/self/autogroup', String(value));
    // The group is the whole session's: give it back its niceness when the bench ends.
    process.once('exit', () => writeFileSync('/proc/self/autogroup', before));
  } catch {
    // No autogroups (or not permitted): plain niceness is all there is.
  }
}

/**
 * Starts a TypeScript entry point under Node through tsx, pinned with taskset when there is
 * one, with the open-files limit raised to the hard limit (a boot storm needs a descriptor per
 * station). `exec` keeps the node process's pid the child's pid, for /proc readings.
 */
export function spawnTs(script: string, args: string[], options: SpawnOptions): ChildProcess {
  const pin = options.core !== null && HAS_TASKSET ? ['taskset', '-c', options.core] : [];
  const nice = niceness === 0 ? [] : ['nice', '-n', String(niceness)];
  const command = [
    ...nice,
    ...pin,
    process.execPath,
    '--import',
    TSX,
    ...(options.nodeArgs ?? []),
    script,
    ...args,
  ];
  const log = openSync(options.logFile, 'a');
  const child = spawn(
    'bash',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'bash', ...command],
    {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', log, log, ...(options.ipc ? (['ipc'] as const) : [])],
    },
  );
  closeSync(log);
  return killedWithBench(child);
}

/** Registers a child started otherwise, so that an interrupted bench leaves it neither. */
export function killedWithBench(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Every child still running, so that an interrupted bench leaves none behind. */
const running = new Set<ChildProcess>();

/** Kills every child this process started that is still running (on an abnormal exit). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** The open-files limit children get (the hard limit: we raise the soft one to it). */
export function fileLimit(): number {
  const out = execFileSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
}

const CLOCK_TICKS = 100;

/** User + system CPU seconds a process has used, from /proc; 0 when it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based over the whole line).
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Resident set size in bytes, from /proc/PID/status; 0 when it is gone. */
export function rssBytes(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The resident set sizes of `pids` together, bytes. */
export function totalRssBytes(pids: (number | undefined)[]): number {
  return pids.reduce<number>((sum, pid) => sum + rssBytes(pid), 0);
}

/** CPU seconds the whole machine has spent busy (every core, all processes), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS
  );
}

/** Measures the CPU use of processes over a window, as a share of one core (1 = 100 %). */
export class CpuWindow {
  private readonly start: number[];
  private readonly began = performance.now();
  private readonly machineStart = machineBusySeconds();

  constructor(private readonly pids: (number | undefined)[]) {
    this.start = pids.map(cpuSeconds);
  }

  /** Cores the whole machine used on average since the window opened, every process included. */
  machineCores(): number {
    const seconds = (performance.now() - this.began) / 1000;
    return seconds > 0 ? Math.round(((machineBusySeconds() - this.machineStart) / seconds) * 1000) / 1000 : 0;
  }

  /** CPU cores used on average since the window opened (summed over its processes). */
  cores(): number {
    const seconds = (performance.now() - this.began) / 1000;
    const used = this.pids.reduce<number>((sum, pid, i) => sum + cpuSeconds(pid) - (this.start[i] ?? 0), 0);
    return seconds > 0 ? Math.round((used / seconds) * 1000) / 1000 : 0;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `url` until it answers 200; rejects after `timeoutMs` or if `child` exits first. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`process exited with ${child.exitCode} before ${url} answered`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Waits until the rest of the machine is quiet (at most `maxBusyCores` busy over 2 s), for at
 * most `timeoutMs`; answers the busy cores last seen. Other people's builds and tests on a
 * shared machine would otherwise be measured as our slowness.
 */
export async function waitForQuiet(maxBusyCores: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let busy = Infinity;
  while (Date.now() < deadline) {
    const before = machineBusySeconds();
    await sleep(2000);
    busy = Math.round(((machineBusySeconds() - before) / 2) * 100) / 100;
    if (busy <= maxBusyCores) break;
  }
  return busy;
}
