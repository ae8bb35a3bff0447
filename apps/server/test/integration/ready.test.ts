import { createServer, type Server } from 'node:net';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { DIALECTS, postgresServerUrl } from '../support/databases.js';
import { eventually } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';

/** A port that nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('a server whose PostgreSQL is unreachable', () => {
  let app: App;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: `postgres://root@127.0.0.1:${await closedPort()}/test`,
      LOG_LEVEL: 'silent',
    });
    app = await buildApp(config, { logger: pino({ level: 'silent' }) });
    url = await app.server.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.server.close();
  });

  it('is alive: /api/health answers 200', async () => {
    const response = await fetch(`${url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is not ready: /api/ready answers 503 with an error body', async () => {
    const response = await fetch(`${url}/api/ready`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('answers API calls that need the database with 503, not a crash', async () => {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'whatever-1' }),
    });
    expect(login.status).toBe(503);
    expect(((await login.json()) as { error: { code: string } }).error.code).toBe('DATABASE_UNAVAILABLE');
    const users = await fetch(`${url}/api/users`, { headers: { authorization: 'Bearer x.y.z' } });
    expect(users.status).toBe(503);
  });
});

/** Another PostgreSQL session: `work` runs on it, and it is closed afterwards. */
async function withSession<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * What a load balancer asks (CONTRACT section 6): 503 only while the node cannot serve, never
 * because it is busy. A ramp of new stations on PostgreSQL once filled the pool's queue, and the
 * readiness query queued behind it timed out into "database not reachable" (issue 16).
 */
for (const dialect of DIALECTS) {
  describe(`readiness of a busy node (${dialect})`, () => {
    const app = useTestApp(dialect);

    it('stays ready, and answers at once, while every database connection is busy', async () => {
      // Requests that wait on the database: for a lock held by another session (PostgreSQL, more
      // requests than the pool has connections) or another writer (SQLite, retried up to 5 s).
      const release =
        dialect === 'postgres'
          ? await lockStationsTable(app.database.url)
          : holdSqliteWriteLock(app.database.url);
      const waiting = Array.from({ length: 30 }, (_, i) =>
        app.request('POST', '/api/stations', {
          token: app.admin,
          body: { chargePointId: `BUSY-${i}`, name: `Busy ${i}`, ocppPassword: null },
        }),
      );
      try {
        // Longer than a connection may wait in the pool's queue (3 s): the old check failed then.
        await new Promise((resolve) => setTimeout(resolve, 3_500));
        const started = Date.now();
        const ready = await app.request('GET', '/api/ready');
        expect(ready.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        await release();
      }
      // Each waiting request got an answer: stored, or a 503 to retry, never a crash.
      for (const answer of await Promise.all(waiting)) expect([201, 503]).toContain(answer.status);
      expect((await app.request('GET', '/api/ready')).status).toBe(200);
    }, 30_000);
  });
}

/** Locks the stations table from another session until the answer is called. */
async function lockStationsTable(url: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query('lock table stations in access exclusive mode');
  return async () => {
    await client.query('commit');
    await client.end();
  };
}

/** Takes SQLite's write lock from another connection until the answer is called. */
function holdSqliteWriteLock(url: string): () => Promise<void> {
  const other = new SQLite(url.replace(/^sqlite:/, ''));
  other.exec('BEGIN IMMEDIATE');
  return async () => {
    other.exec('COMMIT');
    other.close();
  };
}

if (DIALECTS.includes('postgres')) {
  describe('readiness while PostgreSQL refuses this database', () => {
    const app = useTestApp('postgres');

    it('answers 503 DATABASE_UNAVAILABLE while no connection can be made, and 200 once it can', async () => {
      const name = new URL(app.database.url).pathname.slice(1);
      const admin = postgresServerUrl();
      expect((await app.request('GET', '/api/ready')).status).toBe(200);
      await withSession(admin, async (client) => {
        await client.query(`alter database ${name} with allow_connections false`);
        await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [
          name,
        ]);
      });
      try {
        const refused = await app.request('GET', '/api/ready');
        expect(refused.status).toBe(503);
        expect(refused.body.error.code).toBe('DATABASE_UNAVAILABLE');
        // Alive all the same: a supervisor must not restart it.
        expect((await app.request('GET', '/api/health')).status).toBe(200);
      } finally {
        await withSession(admin, (client) =>
          client.query(`alter database ${name} with allow_connections true`),
        );
      }
      await eventually(async () => (await app.request('GET', '/api/ready')).status === 200, 10_000);
    }, 30_000);
  });
}
