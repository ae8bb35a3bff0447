import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

const SERVER_DIR = resolve(import.meta.dirname, '../..');
/** tsx, to run the server's TypeScript entry points as `npm run dev` does. */
export const TSX = resolve(SERVER_DIR, '../../node_modules/.bin/tsx');

/** A server process started by {@link startServerProcess}. */
export interface ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** The http:// URL it listens at, once it says so. */
  readonly url: Promise<string>;
  /** Everything it wrote so far, standard output and error. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the real server process (`src/main.ts`) in `cwd` on port 0 with only PATH and HOME
 * from this environment plus `env`, and resolves its URL from the "Server listening" line.
 */
export function startServerProcess(cwd: string, env: Record<string, string>): ServerProcess {
  const child = spawn(TSX, [resolve(SERVER_DIR, 'src/main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
  });
  let output = '';
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = new Promise<string>((found, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) found(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then(() => fail(new Error(`server exited before listening:\n${output}`)));
  });
  url.catch(() => undefined);
  return {
    child,
    url,
    output: () => output,
    stop: () => {
      child.kill('SIGTERM');
      return exit;
    },
  };
}

/** Resolves once `/api/ready` answers 200 (the database answers), or throws after 10 s. */
export async function waitUntilReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${url}/api/ready`).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server never became ready');
}
