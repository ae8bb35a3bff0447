import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const SERVER_DIR = resolve(import.meta.dirname, '../..');
const MAIN = resolve(SERVER_DIR, 'src/main.ts');

/** A server started as its own process: `node --import tsx`, so that a signal reaches the server itself. */
export interface NodeProcess {
  url: string;
  child: ChildProcess;
  /** Everything it wrote, standard output and error. */
  output(): string;
  /** Resolves with the exit code once it has exited (at once when it already has). */
  exited(): Promise<number | null>;
  /** SIGKILL: dies without warning, closing nothing. */
  kill(): Promise<void>;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts the server on a free port of 127.0.0.1 with `env` (LOG_LEVEL info at least: the port is
 * read from the "Server listening" line); resolves once `/api/ready` answers 200.
 */
export async function startNodeProcess(env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
  });
  let output = '';
  let exitCode: number | null | undefined;
  const exit = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      exitCode = code;
      done(code);
    }),
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolveUrl(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then(() => reject(new Error(`server exited before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`server not listening after 60 s:\n${output}`)), 60_000).unref();
  }).catch(async (error: unknown) => {
    if (exitCode === undefined) child.kill('SIGKILL');
    await exit;
    throw error;
  });
  const server: NodeProcess = {
    url,
    child,
    output: () => output,
    exited: () => exit,
    kill: async () => {
      if (exitCode === undefined) child.kill('SIGKILL');
      await exit;
    },
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      await exit;
    },
  };
  try {
    await waitUntilReady(url);
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}

async function waitUntilReady(url: string): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if ((await fetch(`${url}/api/ready`).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server never became ready');
}
