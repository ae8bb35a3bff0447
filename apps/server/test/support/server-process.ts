import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

export const SERVER_DIR = resolve(import.meta.dirname, '../..');
/** tsx, to run the server's TypeScript entry points as `npm run dev` does. */
export const TSX = resolve(SERVER_DIR, '../../node_modules/.bin/tsx');
const MAIN = resolve(SERVER_DIR, 'src/main.ts');

/** The real server process, started by `startServerProcess`. */
export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  /** Where it listens, once it says so; rejects when it exits first. */
  url: Promise<string>;
  /** Its exit code, once it exits. */
  exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  running(): boolean;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the real server process the way `npm start` does, in `cwd`, on a free port of
 * 127.0.0.1, with only PATH and HOME from this environment plus `env`.
 */
export function startServerProcess(cwd: string, env: Record<string, string> = {}): ServerProcess {
  const child = spawn(TSX, [MAIN], {
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
  return {
    child,
    url,
    exited,
    output: () => output,
    running: () => exitCode === undefined,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until the server at `url` answers GET /api/ready with 200, up to 10 s. */
export async function waitUntilReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${url}/api/ready`).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server never became ready');
}
