import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

/** deploy/haproxy.cfg: the one HAProxy configuration, whose defaults and backend every cluster runs. */
export const HAPROXY_TEMPLATE = resolve(import.meta.dirname, '../../deploy/haproxy.cfg');

/** A node as HAProxy names and reaches it. */
export interface ProxiedNode {
  name: string;
  /** host:port */
  address: string;
}

/**
 * An HAProxy configuration for local nodes, made from deploy/haproxy.cfg: its `defaults` and its
 * `backend cimorings` as they are (timeouts, health checks, retries, stickiness), with one
 * `server` line per node, behind a plain-HTTP frontend on `bind` (no TLS, no syslog: a
 * development cluster, or a test). What the deployment file says is what runs here.
 */
export function localHaproxyConfig(bind: string, nodes: ProxiedNode[], template = HAPROXY_TEMPLATE): string {
  const sections = splitSections(readFileSync(template, 'utf8'));
  const defaults = sections.get('defaults');
  const backend = sections.get('backend cimorings');
  if (defaults === undefined || backend === undefined) {
    throw new Error(`${template} has no 'defaults' or 'backend cimorings' section`);
  }
  const servers = nodes.map(({ name, address }) => `    server ${name} ${address} cookie ${name}`);
  return [
    'global',
    '    # Two threads are plenty for a development cluster.',
    '    nbthread 2',
    '',
    // No syslog here: nothing to log to, nor a request log format.
    defaults.replace(/^\s+log global\n/m, '').replace(/^\s+option httplog\n/m, ''),
    'frontend cimorings',
    `    bind ${bind}`,
    '    http-request del-header X-Forwarded-For',
    '    option forwardfor',
    '    default_backend cimorings',
    '',
    // The template's own server lines (and the comment that introduces further ones) are its examples.
    backend.replace(/^\s+# Further nodes:.*\n/m, '').replace(/^\s+server .*\n?/gm, '') + servers.join('\n'),
    '',
  ].join('\n');
}

/** The top-level sections of an HAProxy configuration by their header line, comments dropped. */
function splitSections(config: string): Map<string, string> {
  const sections = new Map<string, string>();
  let header: string | undefined;
  let body: string[] = [];
  const close = () => {
    if (header !== undefined) sections.set(header, `${header}\n${body.join('\n')}\n`.replace(/\n+$/, '\n'));
  };
  for (const line of config.split('\n')) {
    if (/^[a-z]/.test(line)) {
      close();
      header = line.trim();
      body = [];
    } else if (header !== undefined && line.trim() !== '' && !/^#/.test(line)) {
      body.push(line);
    }
  }
  close();
  return sections;
}

/** Starts HAProxy in the foreground on `configFile`; its output goes to `output`. */
export function startHaproxy(configFile: string, output: (line: string) => void): ChildProcess {
  const child = spawn('haproxy', ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .forEach(output);
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  return child;
}

/** The URL without its password, to be shown. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/**
 * What a cluster needs and this machine lacks, one line each (empty when all is there): the
 * haproxy command, PostgreSQL at `databaseUrl` (its database is created when the server is
 * reachable but it does not exist yet), Redis at `redisUrl`. Installs nothing.
 */
export async function missingPrerequisites(databaseUrl: string, redisUrl: string): Promise<string[]> {
  const missing: string[] = [];
  if (spawnSync('haproxy', ['-v']).error) {
    missing.push('haproxy: not installed (Debian, Ubuntu: apt-get install haproxy)');
  }
  const database = await reachPostgres(databaseUrl);
  if (database !== null) {
    missing.push(
      `PostgreSQL: not reachable at ${redactUrl(databaseUrl)} (${database}); start it, or set DATABASE_URL`,
    );
  }
  const redis = await reachRedis(redisUrl);
  if (redis !== null) {
    missing.push(`Redis: not reachable at ${redactUrl(redisUrl)} (${redis}); start it, or set REDIS_URL`);
  }
  return missing;
}

/** null when PostgreSQL answers (creating the database if only it is missing), else why not. */
async function reachPostgres(url: string): Promise<string | null> {
  const attempt = async (connectionString: string) => {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('select 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  try {
    await attempt(url);
    return null;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') return (error as Error).message;
  }
  // The server answers but the database does not exist: create it (an empty one the nodes migrate).
  const server = new URL(url);
  const name = decodeURIComponent(server.pathname.slice(1));
  server.pathname = '/postgres';
  const client = new pg.Client({ connectionString: server.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query(`create database "${name.replaceAll('"', '""')}"`);
    return null;
  } catch (error) {
    return `database ${name} does not exist and could not be created: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** null when Redis answers PING, else why not. */
async function reachRedis(url: string): Promise<string | null> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    redis.disconnect();
  }
}
