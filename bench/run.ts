/**
 * `npm run bench`: starts the server (and the bare ocpp-rpc floor) as separate processes pinned
 * to one core, drives them from load-generator processes pinned to the other, and writes
 * `bench/results/<name>.json` and `.md`. See `npm run bench -- --help` and the README's
 * Performance section.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, USAGE, UsageError, type BenchOptions } from './lib/options.js';
import { fileLimit, HAS_TASKSET, killChildren, setNiceness } from './lib/procs.js';
import { summarizeProfile } from './lib/profile.js';
import { evaluateBudget, toMarkdown, type Machine, type ProtocolRun, type Report } from './lib/report.js';
import { runCapacity } from './scenarios/capacity.js';
import { runFailover } from './scenarios/failover.js';
import type { ScenarioContext } from './scenarios/common.js';
import { runFanout } from './scenarios/fanout.js';
import { runHistory } from './scenarios/history.js';
import { runIngest } from './scenarios/ingest.js';
import type { FleetProtocol } from './load/messages.js';

const RESULTS = fileURLToPath(new URL('./results', import.meta.url));
/** Descriptors the server needs besides its stations' sockets: database, listeners, logs. */
const FD_HEADROOM = 200;

/** The commit the bench ran on, `-dirty` when the working tree had changes; null outside git. */
function gitCommit(): string | null {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', cwd: RESULTS }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? '-dirty' : ''}`;
  } catch {
    return null;
  }
}

function say(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function reportName(options: BenchOptions, startedAt: Date): string {
  if (options.name) return options.name;
  const stamp = startedAt.toISOString().slice(0, 16).replace(':', '').replace('T', '-');
  return `${stamp}-${options.db}${options.mode === 'full' ? '' : `-${options.mode}`}`;
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), RESULTS);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message ? `${error.message}\n\n` : ''}${USAGE}`);
    return error.message ? 2 : 0;
  }
  const startedAt = new Date();
  const name = reportName(options, startedAt);
  const twoCores = cpus().length >= 2;
  const serverCore = twoCores ? '0' : null;
  const loadCore = twoCores ? '1' : null;
  // The driver itself stays off the server's core.
  if (HAS_TASKSET && loadCore !== null)
    execFileSync('taskset', ['-p', '-c', loadCore, String(process.pid)], { stdio: 'ignore' });

  setNiceness(options.nice);
  const limit = fileLimit();
  const notes: string[] = [];
  // Through HAProxy a station holds two descriptors there (client and node side).
  const perStation = options.nodes > 1 ? 2 : 1;
  if (options.capacity.stations * perStation + FD_HEADROOM > limit) {
    const fitting = Math.floor((limit - FD_HEADROOM) / perStation / 100) * 100;
    notes.push(
      `The open-files limit is ${limit} and cannot be raised here, so the boot storm ran ${fitting} stations, ` +
        `not ${options.capacity.stations}: ` +
        (perStation === 1
          ? 'one server process needs a descriptor per station.'
          : 'HAProxy needs two per station.'),
    );
    options.capacity.stations = fitting;
  }

  const logDir = join(RESULTS, 'tmp', name);
  mkdirSync(logDir, { recursive: true });
  mkdirSync(options.outDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'cimorings-bench-'));
  const context: ScenarioContext = {
    db: options.db,
    postgresUrl: options.postgresUrl,
    nodes: options.nodes,
    redisUrl: options.redisUrl,
    dataDir,
    logDir,
    serverCore,
    serverNodeArgs: options.serverNodeArgs,
    loadCore,
    say,
    quietWaitMs: options.quietWaitMs,
  };
  const machine: Machine = {
    commit: gitCommit(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${type()} ${release()}`,
    fileLimit: limit,
    taskset: HAS_TASKSET,
    serverCore,
    loadCore,
    nice: options.nice,
  };
  say(
    `${options.mode} run on ${options.db}${options.nodes > 1 ? ` with ${options.nodes} nodes behind HAProxy` : ''}; logs in ${logDir}`,
  );

  let failed = false;
  const attempt = async <T>(label: string, work: () => Promise<T>): Promise<T | null> => {
    if (failed) return null;
    try {
      return await work();
    } catch (error) {
      failed = true;
      notes.push(`${label} failed: ${(error as Error).message}`);
      say(`${label} failed: ${(error as Error).stack ?? String(error)}`);
      return null;
    }
  };

  const wants = (scenario: string) => options.scenarios.includes(scenario as never);
  let fanout: Report['fanout'] = null;
  let history: Report['history'] = null;
  let failover: Report['failover'] = null;
  const profiles: Report['profiles'] = { ingest: null, fanout: null, 'boot storm': null };
  const protocols: ProtocolRun[] = [];
  try {
    for (const { protocol, round } of fleetRuns(options.protocols, options.rounds)) {
      const run: ProtocolRun = { protocol, round, ingest: null, capacity: null };
      protocols.push(run);
      const label = (scenario: string, kind: string) =>
        `${scenario} (${kind}${protocol === '1.6' ? '' : `, OCPP ${protocol}`}${round > 1 ? `, round ${round}` : ''})`;
      if (wants('ingest')) {
        const floor = await attempt(label('ingest', 'floor'), () =>
          runIngest(context, { kind: 'floor', size: options.ingest, cpuProfile: false, protocol, round }),
        );
        const server = await attempt(label('ingest', 'server'), () =>
          runIngest(context, {
            kind: 'server',
            size: options.ingest,
            // Every fleet's server is profiled, so that the fleets' costs can be set side by side.
            cpuProfile: options.profile,
            protocol,
            round,
          }),
        );
        if (floor && server) {
          run.ingest = { floor, server, ratio: floor.sustained > 0 ? server.sustained / floor.sustained : 0 };
          if (server.profile) {
            const summary = summarizeProfile(server.profile, server.profileFromMs, server.profileToMs);
            profiles.ingest ??= summary;
            run.ingestProfile = perCall(summary, server);
          }
        }
      }
      if (wants('capacity')) {
        const floor = await attempt(label('capacity', 'floor'), () =>
          runCapacity(context, { kind: 'floor', size: options.capacity, protocol, round }),
        );
        const server = await attempt(label('capacity', 'server'), () =>
          runCapacity(context, {
            kind: 'server',
            size: options.capacity,
            protocol,
            round,
            cpuProfile: options.profile && !profiles['boot storm'],
          }),
        );
        if (floor && server) run.capacity = { floor, server };
        if (server?.profile)
          profiles['boot storm'] = summarizeProfile(server.profile, server.profileFromMs, server.profileToMs);
      }
    }
    if (wants('fanout')) {
      const floor = await attempt('fan-out (floor)', () =>
        runFanout(context, 'floor', options.fanout, false),
      );
      const server = await attempt('fan-out (server)', () =>
        runFanout(context, 'server', options.fanout, options.profile),
      );
      if (floor && server) fanout = { floor, server };
      if (server?.profile)
        profiles.fanout = summarizeProfile(server.profile, server.profileFromMs, server.profileToMs);
    }
    if (wants('history')) history = await attempt('history', () => runHistory(context, options.history));
    if (wants('failover')) failover = await attempt('failover', () => runFailover(context, options.failover));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const ingest = protocols[0]?.ingest ?? null;
  const capacity = protocols[0]?.capacity ?? null;
  const others = [
    ...protocols.flatMap(({ ingest: i }) =>
      i ? [...i.floor.steps, ...i.server.steps].map((step) => step.otherCpu) : [],
    ),
    ...(fanout ? [fanout.floor.otherCpu, fanout.server.otherCpu] : []),
    ...protocols.flatMap(({ capacity: c }) =>
      c ? [c.floor, c.server].flatMap((r) => [r.stormOtherCpu, r.idleOtherCpu]) : [],
    ),
  ];
  const busiest = Math.max(0, ...others);
  if (busiest > 0.15) {
    notes.push(
      `Other processes on this machine used up to ${busiest} cores during a measurement (column "other CPU"): ` +
        'where that is high, the figures are pessimistic.',
    );
  }
  const finishedAt = new Date();
  const partial: Omit<Report, 'budget'> = {
    name,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
    command: `npm run bench --${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: options.mode,
    db: options.db,
    nodes: options.nodes,
    machine,
    sizes: {
      ingest: options.ingest,
      fanout: options.fanout,
      capacity: options.capacity,
      history: options.history,
      failover: options.failover,
    },
    ingest,
    fanout,
    capacity,
    protocols,
    history,
    failover,
    profiles,
    notes,
  };
  const report: Report = { ...partial, budget: evaluateBudget(partial) };
  const jsonPath = join(options.outDir, `${name}.json`);
  const mdPath = join(options.outDir, `${name}.md`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(mdPath, toMarkdown(report));
  say(`report: ${jsonPath} and ${mdPath}`);
  for (const line of report.budget)
    say(`${line.met === null ? '?' : line.met ? 'met    ' : 'NOT MET'} ${line.budget}: ${line.value}`);
  return failed ? 1 : 0;
}

process.on('SIGINT', () => {
  killChildren();
  process.exit(130);
});
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    killChildren();
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);

/** The fleets in the order they run: round after round, every other one reversed (ABC CBA ...). */
function fleetRuns(
  protocols: readonly FleetProtocol[],
  rounds: number,
): { protocol: FleetProtocol; round: number }[] {
  return Array.from({ length: rounds }, (_, index) =>
    (index % 2 === 0 ? protocols : [...protocols].reverse()).map((protocol) => ({
      protocol,
      round: index + 1,
    })),
  ).flat();
}

/** A profile's busy time and its origins per answered call of the measured steps, µs. */
function perCall(
  summary: ReturnType<typeof summarizeProfile>,
  result: { steps: { answered: number }[] },
): ProtocolRun['ingestProfile'] {
  const calls = result.steps.reduce((sum, step) => sum + step.answered, 0);
  if (calls === 0) return null;
  const us = (ms: number) => Math.round(((ms * 1000) / calls) * 10) / 10;
  return {
    busyUsPerCall: us((summary.totalMs * (100 - summary.idlePercent)) / 100),
    byOrigin: Object.fromEntries(summary.byOrigin.map((origin) => [origin.origin, us(origin.selfMs)])),
  };
}
