import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { restCall, waitForReady } from '../../scripts/rest-call';

export const WEB_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REPO_ROOT = join(WEB_ROOT, '..', '..');
export const DIST = join(WEB_ROOT, 'dist');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard when dist/ is missing or older than its sources (a developer's edit). */
export function ensureDashboardBuilt(): void {
  const index = join(DIST, 'index.html');
  const sources = Math.max(
    newestMtime(join(WEB_ROOT, 'src')),
    statSync(join(WEB_ROOT, 'index.html')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: WEB_ROOT,
    stdio: 'pipe',
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`the dashboard build failed:\n${build.stdout}\n${build.stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The real server as a process (`apps/server/src/main.ts`, as `npm start` runs it), so that a
 * test can stop it and start it again on the same port and database.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;
  readonly url: string;
  output = '';

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly cwd: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const child = spawn(process.execPath, ['--import', tsx, join(REPO_ROOT, 'apps/server/src/main.ts')], {
      cwd: this.cwd,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const exited = () =>
      child.exitCode === null ? null : `the server exited (${child.exitCode}):\n${this.output}`;
    if (!(await waitForReady(this.url, exited, 30_000, 200)))
      throw new Error(`the server did not become ready:\n${this.output}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  async call(method: string, path: string, token?: string, body?: unknown) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read what they expect
    return (await restCall(this.url, method, path, token, body)) as { status: number; body: any };
  }
}
