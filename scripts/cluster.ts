// `npm run cluster -- --nodes 3`: several CIMORINGS nodes on PostgreSQL and Redis behind HAProxy
// on one machine, as README "Running several nodes" describes: the nodes on ports 3001.., HAProxy
// on 3000 with deploy/haproxy.cfg's defaults and backend, one JWT_SECRET for all. Uses the
// PostgreSQL and Redis named by DATABASE_URL and REDIS_URL, or those running locally; installs
// nothing, and says in one line each what is missing. Ctrl-C stops the nodes (gracefully), then
// HAProxy. Options: --nodes N (1 to 16, default 3), --port P (HAProxy's, default 3000).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { localHaproxyConfig, missingPrerequisites, redactUrl, startHaproxy } from './lib/cluster.js';

const SERVER_DIR = resolve(import.meta.dirname, '../apps/server');
const say = (line: string) => process.stdout.write(`cluster: ${line}\n`);

function options(): { nodes: number; port: number } {
  const { values } = parseArgs({
    options: { nodes: { type: 'string', default: '3' }, port: { type: 'string', default: '3000' } },
  });
  const nodes = Number(values.nodes);
  const port = Number(values.port);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16)
    throw new Error('--nodes: a whole number from 1 to 16');
  if (!Number.isInteger(port) || port < 1 || port + nodes > 65535) throw new Error('--port: a free TCP port');
  return { nodes, port };
}

/** A node process, its output prefixed with its name. */
function startNode(name: string, port: number, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--conditions=cimorings-compiled', 'dist/main.js'], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env, NODE_ID: name, PORT: String(port), HOST: '127.0.0.1' },
    // Its own process group: Ctrl-C reaches this script, which stops the nodes in order.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) =>
    process.stdout.write(
      chunk
        .toString()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => `[${name}] ${line}\n`)
        .join(''),
    );
  child.stdout?.on('data', prefix);
  child.stderr?.on('data', prefix);
  return child;
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until && child.exitCode === null) {
    if ((await fetch(`${url}/api/ready`).catch(() => undefined))?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not become ready`);
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function main(): Promise<void> {
  const { nodes: count, port } = options();
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/cimorings';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const missing = await missingPrerequisites(databaseUrl, redisUrl);
  if (missing.length > 0) {
    for (const line of missing) process.stderr.write(`cluster: ${line}\n`);
    process.exit(1);
  }
  const jwtSecret = process.env.JWT_SECRET ?? randomBytes(32).toString('hex');
  if (process.env.JWT_SECRET === undefined) {
    say('JWT_SECRET generated for this run and shared by the nodes (set it to keep tokens across runs)');
  }
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    JWT_SECRET: jwtSecret,
    // Every client arrives through HAProxy: believe the address it adds.
    TRUST_PROXY: process.env.TRUST_PROXY ?? '127.0.0.1',
  };
  const names = Array.from({ length: count }, (_, i) => `node${i + 1}`);
  const nodes = new Map<string, ChildProcess>();
  const dir = mkdtempSync(join(tmpdir(), 'cimorings-cluster-'));
  let haproxy: ChildProcess | undefined;
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping the nodes (SIGTERM: they close their connections and store what they acknowledged)');
    for (const child of nodes.values()) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all([...nodes.values()].map(exited));
    haproxy?.kill('SIGTERM');
    if (haproxy) await exited(haproxy);
    rmSync(dir, { recursive: true, force: true });
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // Whatever ends this script ends its children too.
  process.on('exit', () => {
    for (const child of [...nodes.values(), haproxy]) if (child?.exitCode === null) child.kill('SIGKILL');
  });

  try {
    for (const [index, name] of names.entries()) {
      const nodePort = port + 1 + index;
      const child = startNode(name, nodePort, env);
      nodes.set(name, child);
      child.once('exit', (code, signal) => {
        if (!stopping) say(`${name} exited (${signal ?? code}); HAProxy sends its clients to the others`);
      });
      // The first alone migrates the database; the others then start together.
      if (index === 0) await waitUntilReady(`http://127.0.0.1:${nodePort}`, child);
    }
    await Promise.all(
      names.slice(1).map((name, i) => waitUntilReady(`http://127.0.0.1:${port + 2 + i}`, nodes.get(name)!)),
    );
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(
      config,
      localHaproxyConfig(
        `:${port}`,
        names.map((name, index) => ({ name, address: `127.0.0.1:${port + 1 + index}` })),
      ),
    );
    haproxy = startHaproxy(config, (line) => process.stdout.write(`[haproxy] ${line}\n`));
    haproxy.once('exit', (code) => {
      if (!stopping) {
        say(`HAProxy exited (${code}): is port ${port} taken?`);
        void stopAll(1);
      }
    });
    await waitUntilReady(`http://127.0.0.1:${port}`, haproxy);
  } catch (error) {
    say(`could not start: ${(error as Error).message}`);
    await stopAll(1);
    return;
  }
  say(
    `${count} node(s) on ports ${port + 1}-${port + count} behind HAProxy at http://localhost:${port} ` +
      `(dashboard, API, ws://localhost:${port}/ocpp/<id>); PostgreSQL ${redactUrl(databaseUrl)}, ` +
      `Redis ${redactUrl(redisUrl)}. Ctrl-C stops everything.`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`cluster: ${(error as Error).message}\n`);
  process.exit(1);
});
