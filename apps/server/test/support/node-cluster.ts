import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localHaproxyConfig, startHaproxy } from '../../../../scripts/lib/cluster.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { startReadyServerProcess, waitUntilReady, type ReadyServerProcess } from './server-process.js';

export const CLUSTER_ADMIN_PASSWORD = 'cluster-admin-password';

/** Node processes sharing one fresh PostgreSQL database and the test Redis. */
export interface NodeCluster {
  database: TestDatabase;
  /** The running nodes by NODE_ID (a restarted node replaces its entry). */
  nodes: Map<string, ReadyServerProcess>;
  /** Starts a node (again) under `nodeId`, on the port it had before. */
  start(nodeId: string): Promise<ReadyServerProcess>;
  /** Kills every node still running and drops the database. */
  close(): Promise<void>;
}

/** The test Redis (CIMORINGS_TEST_REDIS: a URL, or any other value for the local default). */
export function testRedisUrl(): string {
  const url = process.env.CIMORINGS_TEST_REDIS ?? '';
  return /^rediss?:\/\//.test(url) ? url : 'redis://127.0.0.1:6379';
}

/**
 * Starts `nodeIds.length` real server processes on a fresh PostgreSQL database, sharing Redis
 * and a JWT secret, accepting unknown stations, trusting X-Forwarded-For from 127.0.0.1 (so
 * that each test client can have an address of its own for the login throttle). The first
 * starts alone, so that the others find the database migrated.
 */
export async function startNodeCluster(
  nodeIds: string[],
  env: Record<string, string> = {},
): Promise<NodeCluster> {
  const database = await createTestDatabase('postgres');
  const shared = {
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: CLUSTER_ADMIN_PASSWORD,
    OCPP_UNKNOWN_STATIONS: 'accept',
    OCPP_NEW_STATIONS_PER_MINUTE: '100000',
    TRUST_PROXY: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...env,
  };
  const nodes = new Map<string, ReadyServerProcess>();
  // A node started again listens where it did: a proxy in front keeps its address.
  const ports = new Map<string, number>();
  const start = async (nodeId: string) => {
    const port = ports.get(nodeId) ?? (await freePort());
    ports.set(nodeId, port);
    const node = await startReadyServerProcess({ ...shared, NODE_ID: nodeId, PORT: String(port) });
    nodes.set(nodeId, node);
    return node;
  };
  const close = async () => {
    await Promise.all([...nodes.values()].map((node) => node.kill()));
    await database.drop();
  };
  try {
    const [first, ...others] = nodeIds;
    if (first !== undefined) await start(first);
    await Promise.all(others.map(start));
  } catch (error) {
    await close();
    throw error;
  }
  return { database, nodes, start, close };
}

export interface NodeAnswer {
  status: number;
  // Tests read what they expect; the shape is checked by their assertions.
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A JSON call to a node (or the proxy in front of them), from an address of its own. */
export async function callNode(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<NodeAnswer> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      'x-forwarded-for': `10.${randomBytes(3).join('.')}`,
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The admin's token, from a login at `baseUrl`. */
export async function adminToken(baseUrl: string): Promise<string> {
  const login = await callNode(baseUrl, 'POST', '/api/auth/login', {
    body: { username: 'admin', password: CLUSTER_ADMIN_PASSWORD },
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return login.body.token as string;
}

/** A TCP port of 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}

/** HAProxy with deploy/haproxy.cfg's defaults and backend in front of `nodes`, on a free port. */
export async function startProxy(nodes: Map<string, ReadyServerProcess>) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cimorings-proxy-'));
  const config = join(dir, 'haproxy.cfg');
  const servers = [...nodes].map(([name, node]) => ({ name, address: new URL(node.address).host }));
  writeFileSync(config, localHaproxyConfig(`127.0.0.1:${port}`, servers));
  const lines: string[] = [];
  const child = startHaproxy(config, (line) => lines.push(line));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntilReady(url, 20_000).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`HAProxy not ready: ${String(error)}\n${lines.join('\n')}`);
  });
  return {
    url,
    output: () => lines.join('\n'),
    close: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
