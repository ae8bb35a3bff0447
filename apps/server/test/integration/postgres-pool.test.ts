import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QueuingPool } from '../../src/db/postgres-pool.js';
import { DatabaseLifecycle } from '../../src/db/lifecycle.js';
import { databaseUnavailable, isDatabaseUnavailable } from '../../src/errors.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../support/databases.js';
import { BOOT, bootChargePoint, connectChargePoint } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';

/** A server that accepts TCP connections and never says a word: a PostgreSQL that hangs. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://root@127.0.0.1:${port}/test`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Settles every promise; answers the time each took to settle and its rejection (if any). */
async function timed(promises: Promise<unknown>[]): Promise<{ ms: number; error?: unknown }[]> {
  const started = Date.now();
  return Promise.all(
    promises.map((promise) =>
      promise.then(
        () => ({ ms: Date.now() - started }),
        (error: unknown) => ({ ms: Date.now() - started, error }),
      ),
    ),
  );
}

describe('the PostgreSQL pool when the server does not answer', () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let pool: QueuingPool | undefined;
  beforeAll(async () => {
    silent = await silentServer();
  });
  afterEach(async () => {
    await pool?.end().catch(() => undefined);
  });
  afterAll(async () => {
    await silent.close();
  });

  it('fails every caller, queued ones too, within the connect timeout, as unreachable', async () => {
    pool = new QueuingPool({ connectionString: silent.url, waitMs: 30_000, connectTimeoutMs: 400, max: 2 });
    const attempts = await timed(Array.from({ length: 12 }, () => pool!.connect()));
    for (const { ms, error } of attempts) {
      // Queued behind two connects in flight, without the fan-out they failed in turn (six rounds).
      expect(ms).toBeLessThan(1_500);
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(databaseUnavailable(error)?.message).toBe('The database is not reachable');
    }
  });

  it('counts a connect timeout as passing, so that start-up retries instead of giving up', async () => {
    pool = new QueuingPool({ connectionString: silent.url, waitMs: 30_000, connectTimeoutMs: 300, max: 1 });
    const warnings: object[] = [];
    const lifecycle = new DatabaseLifecycle(
      { warn: (details) => void warnings.push(details) },
      {
        firstMs: 10,
        maxMs: 10,
      },
    );
    let calls = 0;
    const started = lifecycle.start(async () => {
      calls += 1;
      if (calls === 1) {
        const client = await pool!.connect();
        client.release();
      }
      return 'migrated';
    });
    // The first attempt's connect timed out ("timeout expired", pg's own error): retried.
    expect(await started).toBe('migrated');
    expect(calls).toBe(2);
    expect(warnings).toHaveLength(1);
  });
});

if (DIALECTS.includes('postgres')) {
  describe('the PostgreSQL pool when every connection is busy', () => {
    let database: TestDatabase;
    let pool: QueuingPool | undefined;
    beforeAll(async () => {
      database = await createTestDatabase('postgres');
    });
    afterEach(async () => {
      await pool?.end();
    });
    afterAll(async () => {
      await database.drop();
    });

    /** Two slow queries holding both connections of a pool of two. */
    const holdBoth = (on: QueuingPool, seconds: number) =>
      Array.from({ length: 2 }, async () => {
        const client = await on.connect();
        try {
          await client.query(`select pg_sleep(${seconds})`, []);
        } finally {
          client.release();
        }
      });

    it('lets a query wait for a free connection longer than a connect may take', async () => {
      pool = new QueuingPool({
        connectionString: database.url,
        waitMs: 10_000,
        connectTimeoutMs: 300,
        max: 2,
      });
      const slow = holdBoth(pool, 1.5);
      const [waited] = await timed([
        pool.connect().then(async (client) => {
          const { rows } = await client.query<{ one: number }>('select 1 as one', []);
          client.release();
          return rows;
        }),
      ]);
      await Promise.all(slow);
      expect(waited?.error).toBeUndefined();
      expect(waited?.ms).toBeGreaterThan(1_000);
    });

    it('says "busy", not "not reachable", when the wait for a free connection runs out', async () => {
      pool = new QueuingPool({ connectionString: database.url, waitMs: 300, max: 2 });
      const slow = holdBoth(pool, 1);
      const [late] = await timed([pool.connect()]);
      await Promise.all(slow);
      expect(late?.ms).toBeLessThan(1_000);
      expect(databaseUnavailable(late?.error)?.message).toBe('The database is busy: try again shortly');
    });
  });

  describe('stations admitted and booting while every database connection is busy (postgres)', () => {
    // Silent after 2.5 s: shorter than the wait below, which a waiting station must outlast.
    const app = useTestApp('postgres', { env: { OCPP_HEARTBEAT_INTERVAL: '1' } });

    it('are answered once the work ahead is done, not refused nor closed, and the node stays ready', async () => {
      const booting = await connectChargePoint(app.url, 'QUEUED-1');
      // Requests that hold every pooled connection, waiting for a lock another session keeps
      // longer than a new connection may take (3 s: a queued station used to be refused then).
      const locker = new pg.Client({ connectionString: app.database.url });
      await locker.connect();
      await locker.query('begin');
      await locker.query('lock table stations in access exclusive mode');
      const waiting = Array.from({ length: 20 }, (_, i) =>
        app.request('POST', '/api/stations', {
          token: app.admin,
          body: { chargePointId: `HELD-${i}`, name: `Held ${i}`, ocppPassword: null },
        }),
      );
      const answers = timed([
        booting.call('BootNotification', BOOT),
        bootChargePoint(app.url, 'QUEUED-2').then(({ client, boot }) => client.close().then(() => boot)),
      ]);
      try {
        await new Promise((resolve) => setTimeout(resolve, 4_000));
        const asked = Date.now();
        expect((await app.request('GET', '/api/ready')).status).toBe(200);
        expect(Date.now() - asked).toBeLessThan(2_000);
      } finally {
        await locker.query('commit');
        await locker.end();
      }
      for (const answer of await answers) {
        expect(answer.error).toBeUndefined();
        expect(answer.ms).toBeGreaterThan(3_500);
      }
      await booting.close();
      for (const answer of await Promise.all(waiting)) expect(answer.status).toBe(201);
      for (const id of ['QUEUED-1', 'QUEUED-2']) {
        const station = await app.request('GET', `/api/stations/${id}`, { token: app.admin });
        // Stored by its BootNotification (an unknown station is registered pending).
        expect(station.body).toMatchObject({ vendor: 'Acme', model: 'FastCharger 50' });
      }
    }, 30_000);
  });
}
