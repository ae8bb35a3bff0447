import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localHaproxyConfig, startHaproxy } from '../../scripts/lib/cluster.js';
import { createDatabase, type BenchDatabase } from './bench-database.js';
import { freePort, killedWithBench, spawnTs, stopProcess, waitForHttp } from './procs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER_MAIN = join(ROOT, 'apps/server/src/main.ts');
const FLOOR_MAIN = join(ROOT, 'bench/floor-server.ts');

export type TargetKind = 'floor' | 'server';

/** Where and how a run's servers are started. */
export interface RunContext {
  db: 'sqlite' | 'postgres';
  /** Admin URL of the PostgreSQL server: a database is created per server start and dropped after. */
  postgresUrl: string;
  /** Temporary folder for SQLite files. */
  dataDir: string;
  /** Folder for logs and CPU profiles. */
  logDir: string;
  serverCore: string | null;
  /** Node.js options of our server processes (`--server-node-args`). */
  serverNodeArgs: string[];
  /** Server processes: several run on PostgreSQL and `redisUrl` behind HAProxy. */
  nodes: number;
  redisUrl: string;
}

/** A server process of a cluster target. */
export interface TargetNode {
  /** Its NODE_ID (and HAProxy server name). */
  name: string;
  child: ChildProcess;
  httpUrl: string;
}

/** A central system under load: ours, or the floor. */
export interface Target {
  kind: TargetKind;
  httpUrl: string;
  ocppUrl: string;
  child: ChildProcess;
  /** The measured processes (CPU, memory): the server, or every node of a cluster and HAProxy. */
  pids: (number | undefined)[];
  /** A cluster's nodes (HAProxy's `child` in front of them); empty for one process. */
  nodes: TargetNode[];
  /** The admin password of our server ('' for the floor). */
  adminPassword: string;
  /** Stops the process (gracefully: our server flushes what it buffered) and drops its database. */
  stop(): Promise<void>;
  /** After stop: stored meter value samples (null for the floor). */
  storedSamples: number | null;
  /** `performance.now()` of this process when the target was spawned (to place profile samples). */
  spawnedAt: number;
  /** From the spawn to the first 200 of /api/ready, ms. */
  readyAfterMs: number;
  /** Our server's DATABASE_URL ('' for the floor), for a scenario that fills the database itself. */
  databaseUrl: string;
}

let serial = 0;

/** How long a node of a cluster may take to be ready: they start together, on one core. */
const NODE_READY_MS = 300_000;

/** Where `--cpu-prof` writes the profiles of a target started with `cpuProfile`. */
export function profileDir(context: RunContext, name: string): string {
  return join(context.logDir, `${name}-profile`);
}

/** The main thread's profile among those in `dir`: the largest file. */
export function mainThreadProfile(dir: string): string | null {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile'))
    .map((file) => ({ file: join(dir, file), size: statSync(join(dir, file)).size }))
    .sort((a, b) => b.size - a.size);
  return files[0]?.file ?? null;
}

export async function startTarget(
  context: RunContext,
  kind: TargetKind,
  options: { name: string; heartbeatInterval: number; cpuProfile?: boolean; env?: Record<string, string> },
): Promise<Target> {
  const port = await freePort();
  const httpUrl = `http://127.0.0.1:${port}`;
  const ocppUrl = `ws://127.0.0.1:${port}/ocpp`;
  const logFile = join(context.logDir, `${options.name}.log`);
  if (kind === 'floor') {
    const spawnedAt = performance.now();
    const child = spawnTs(
      FLOOR_MAIN,
      ['--port', String(port), '--heartbeat', String(options.heartbeatInterval)],
      {
        core: context.serverCore,
        logFile,
        cwd: context.logDir,
      },
    );
    await waitForHttp(`${httpUrl}/api/ready`, child, 60_000);
    return {
      kind,
      httpUrl,
      ocppUrl,
      child,
      pids: [child.pid],
      nodes: [],
      adminPassword: '',
      storedSamples: null,
      spawnedAt,
      readyAfterMs: performance.now() - spawnedAt,
      databaseUrl: '',
      stop: () => stopProcess(child),
    };
  }

  const adminPassword = randomBytes(12).toString('base64url');
  const database = await createDatabase(context, options.name);
  const spawnedAt = performance.now();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    OCPP_UNKNOWN_STATIONS: 'accept',
    // Every simulated station comes from this one address: the per-address admission rate
    // (meant for strangers) would refuse the fleet with 429, so it is set to its highest.
    OCPP_NEW_STATIONS_PER_MINUTE: '100000',
    OCPP_HEARTBEAT_INTERVAL: String(options.heartbeatInterval),
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: adminPassword,
    NODE_ENV: 'production',
    ...options.env,
  };
  if (context.nodes > 1) {
    return startCluster(context, options.name, env, database, spawnedAt, adminPassword, port);
  }
  const child = spawnTs(SERVER_MAIN, [], {
    core: context.serverCore,
    logFile,
    // Its own folder: the server reads a .env from its working directory.
    cwd: context.logDir,
    // One profile per thread (tsx's loader runs in a worker): the folder keeps them apart.
    nodeArgs: [
      ...context.serverNodeArgs,
      ...(options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir(context, options.name)}`] : []),
    ],
    env: { ...env, PORT: String(port) },
  });
  await waitForHttp(`${httpUrl}/api/ready`, child, 90_000);
  return serverTarget(
    { httpUrl, ocppUrl, child, pids: [child.pid], nodes: [] },
    database,
    adminPassword,
    spawnedAt,
    () => stopProcess(child),
  );
}

/**
 * `context.nodes` server processes on one PostgreSQL database and Redis, sharing a JWT secret,
 * behind HAProxy (deploy/haproxy.cfg's defaults and backend, as `npm run cluster` runs them) on
 * `port`: the target's URLs are HAProxy's. The first node starts alone and migrates the database.
 */
async function startCluster(
  context: RunContext,
  name: string,
  env: Record<string, string | undefined>,
  database: BenchDatabase,
  spawnedAt: number,
  adminPassword: string,
  port: number,
): Promise<Target> {
  const shared = {
    ...env,
    REDIS_URL: context.redisUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    // Every client arrives through HAProxy: believe the address it adds.
    TRUST_PROXY: '127.0.0.1',
  };
  const nodes: TargetNode[] = [];
  let haproxy: ChildProcess | undefined;
  const stopAll = async () => {
    await Promise.all(nodes.map((node) => stopProcess(node.child)));
    if (haproxy) await stopProcess(haproxy);
  };
  try {
    for (let i = 1; i <= context.nodes; i++) {
      const nodePort = await freePort();
      const nodeName = `${name}-${process.pid}-${++serial}-node${i}`;
      const child = spawnTs(SERVER_MAIN, [], {
        core: context.serverCore,
        logFile: join(context.logDir, `${name}-node${i}.log`),
        cwd: context.logDir,
        nodeArgs: context.serverNodeArgs,
        env: { ...shared, NODE_ID: nodeName, PORT: String(nodePort) },
      });
      const node = { name: nodeName, child, httpUrl: `http://127.0.0.1:${nodePort}` };
      nodes.push(node);
      if (i === 1) await waitForHttp(`${node.httpUrl}/api/ready`, child, NODE_READY_MS);
    }
    await Promise.all(
      nodes.map((node) => waitForHttp(`${node.httpUrl}/api/ready`, node.child, NODE_READY_MS)),
    );
    const config = join(context.logDir, `${name}-haproxy.cfg`);
    writeFileSync(
      config,
      localHaproxyConfig(
        `127.0.0.1:${port}`,
        nodes.map((node) => ({ name: node.name, address: new URL(node.httpUrl).host })),
      ),
    );
    const lines: string[] = [];
    haproxy = killedWithBench(startHaproxy(config, (line) => lines.push(line)));
    await waitForHttp(`http://127.0.0.1:${port}/api/ready`, haproxy, 30_000).catch((error: unknown) => {
      throw new Error(`HAProxy: ${(error as Error).message}\n${lines.slice(-10).join('\n')}`);
    });
  } catch (error) {
    await stopAll();
    await database.drop();
    throw error;
  }
  const where = {
    httpUrl: `http://127.0.0.1:${port}`,
    ocppUrl: `ws://127.0.0.1:${port}/ocpp`,
    child: haproxy,
  };
  // HAProxy is part of the way in: its work counts as the server's.
  const pids = [...nodes.map((node) => node.child.pid), haproxy.pid];
  return serverTarget({ ...where, pids, nodes }, database, adminPassword, spawnedAt, stopAll);
}

/** Our server (one process or a cluster) as a target: stopping it counts the samples stored, then drops its database. */
function serverTarget(
  where: Pick<Target, 'httpUrl' | 'ocppUrl' | 'child' | 'pids' | 'nodes'>,
  database: BenchDatabase,
  adminPassword: string,
  spawnedAt: number,
  stopProcesses: () => Promise<void>,
): Target {
  const target: Target = {
    kind: 'server',
    ...where,
    adminPassword,
    storedSamples: null,
    spawnedAt,
    readyAfterMs: performance.now() - spawnedAt,
    databaseUrl: database.url,
    stop: async () => {
      await stopProcesses();
      target.storedSamples = await database.countSamples().catch(() => null);
      await database.drop();
    },
  };
  return target;
}

/** Where a target's memory is, bytes, from its `/metrics` (prom-client's names; the floor answers the same). */
export interface MemoryFigures {
  /** The JavaScript heap in use (live objects and garbage not yet collected). */
  heapUsed: number;
  /** Memory held outside the heap by JavaScript objects: Buffers, ArrayBuffers (socket buffers among them). */
  external: number;
}

export async function memoryOf(target: Target): Promise<MemoryFigures | null> {
  try {
    const text = await (await fetch(`${target.httpUrl}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? NaN);
    const figures = {
      heapUsed: read('nodejs_heap_size_used_bytes'),
      external: read('nodejs_external_memory_bytes'),
    };
    return Object.values(figures).every(Number.isFinite) ? figures : null;
  } catch {
    return null;
  }
}

/** Event-loop lag (ms) from a target's `/metrics` since its last scrape (prom-client resets it on each read). */
export async function eventLoopLag(
  target: Target,
): Promise<{ mean: number; p99: number; max: number } | null> {
  try {
    const text = await (await fetch(`${target.httpUrl}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? NaN);
    const figures = {
      mean: read('nodejs_eventloop_lag_mean_seconds') * 1000,
      p99: read('nodejs_eventloop_lag_p99_seconds') * 1000,
      max: read('nodejs_eventloop_lag_max_seconds') * 1000,
    };
    return Object.values(figures).every(Number.isFinite) ? figures : null;
  } catch {
    return null;
  }
}
