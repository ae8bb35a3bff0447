import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A Redis server of one test alone, on `port` (no persistence), so that it can be stopped and
 * started again without touching the shared one. Resolves once it accepts connections.
 */
export async function startRedis(port: number, args: readonly string[] = []): Promise<ChildProcess> {
  const child = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    ...args,
  ]);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.on('exit', () => reject(new Error(`redis-server exited: ${output}`)));
  });
  return child;
}

/** Kills the server (as a crash would) and waits for it to be gone. */
export async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
