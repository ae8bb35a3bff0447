import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SERVER_DIR = resolve(import.meta.dirname, '../..');
/** tsx, to run the server's other TypeScript entry points (backup) as npm does. */
export const TSX = resolve(SERVER_DIR, '../../node_modules/.bin/tsx');
/** tsx's loader, by absolute URL: a server started in any folder finds it. */
const TSX_LOADER = pathToFileURL(resolve(SERVER_DIR, '../../node_modules/tsx/dist/loader.mjs')).href;
const MAIN = resolve(SERVER_DIR, 'src/main.ts');

/** The real server process, started by `startServerProcess`. */
export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  /** Where it listens, once it says so; rejects when it exits first. */
  url: Promise<string>;
  /** Its exit code, once it exits (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  running(): boolean;
  /** Sends SIGTERM (a graceful stop) and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends SIGKILL (dies without warning, closing nothing) and resolves once it is gone. */
  kill(): Promise<number | null>;
}

/** A server process that answered `/api/ready`, at `address`. */
export interface ReadyServerProcess extends ServerProcess {
  address: string;
}

/**
 * Starts the real server process in `cwd`, on a free port of 127.0.0.1, with only PATH and HOME
 * from this environment plus `env` (LOG_LEVEL info at least: the port is read from the
 * "Server listening" line). It runs as `node --import tsx`, one process, so that a signal sent
 * to it reaches the server itself (the tsx binary would run it as a child of its own).
 */
export function startServerProcess(cwd: string, env: Record<string, string> = {}): ServerProcess {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
  });
  let output = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((done) =>
    child.on('exit', (code) => {
      exitCode = code;
      done(code);
    }),
  );
  const url = new Promise<string>((found, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) found(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => fail(new Error(`server exited before listening:\n${output}`)));
  });
  // A test of a process that must not start never reads its URL.
  url.catch(() => undefined);
  const signal = (name: NodeJS.Signals) => {
    if (exitCode === undefined) child.kill(name);
    return exited;
  };
  return {
    child,
    url,
    exited,
    output: () => output,
    running: () => exitCode === undefined,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}

/**
 * Starts the server (as startServerProcess, in the server's folder unless `cwd`) and resolves
 * once `/api/ready` answers 200, within 60 s; a server that does not get there is killed.
 */
export async function startReadyServerProcess(
  env: Record<string, string>,
  cwd = SERVER_DIR,
): Promise<ReadyServerProcess> {
  const server = startServerProcess(cwd, env);
  try {
    const address = await server.url;
    await waitUntilReady(address, 60_000);
    return { ...server, address };
  } catch (error) {
    await server.kill();
    throw new Error(`${String(error)}\n${server.output().slice(-3000)}`, { cause: error });
  }
}

/** Waits until the server at `url` answers GET /api/ready with 200, up to `timeoutMs`. */
export async function waitUntilReady(url: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await fetch(`${url}/api/ready`).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server never became ready');
}
