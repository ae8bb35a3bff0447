import { monitorEventLoopDelay } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { bootChargePoint, type TestChargePoint } from '../support/ocpp-client.js';

/** How long the server may wait for a busy database before giving up (see db/sqlite-busy.ts). */
const GIVE_UP_AFTER_MS = 5000;

/**
 * The longest the event loop may stall meanwhile: the server only ever waits a few ms inside
 * SQLite; this leaves room for a loaded machine and is far below the former 5 s freeze.
 */
const MAX_STALL_MS = 300;

/** Another program writing to the same database file, holding its write lock. */
function holdWriteLock(path: string): SQLite.Database {
  const other = new SQLite(path);
  other.exec('BEGIN IMMEDIATE');
  return other;
}

async function stallDuring<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    const result = await work();
    return { result, stallMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LogLine {
  level: number;
  msg: string;
  chargePointId?: string;
  action?: string;
  err?: { message: string };
}

// Lock contention between writers is SQLite's alone: PostgreSQL writers do not lock the database.
describe('SQLite locked by another writer', () => {
  let database: TestDatabase;
  let app: TestApp;
  let admin: string;
  let cp: TestChargePoint;
  let transactionId: number;
  const logLines: string[] = [];
  const logs = () => logLines.map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    app = await startTestApp({
      databaseUrl: database.url,
      env: { OCPP_UNKNOWN_STATIONS: 'accept' },
      logLines,
    });
    admin = (await app.login()).token;
    await app.request('POST', '/api/id-tags', { token: admin, body: { idTag: 'LOCK' } });
    ({ client: cp } = await bootChargePoint(app.url, 'CP-LOCK'));
    ({ transactionId } = (await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'LOCK',
      meterStart: 0,
      timestamp: '2026-01-11T14:30:00.000Z',
    })) as { transactionId: number });
  });
  afterAll(async () => {
    await cp?.close();
    await app?.close();
    await database?.drop();
  });

  const path = () => database.url.replace(/^sqlite:/, '');
  const meterValues = (value: number) =>
    cp.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: '2026-01-11T14:31:00.000Z', sampledValue: [{ value: String(value) }] }],
    });

  it('keeps serving while the lock is held, and stores the message once it is released', async () => {
    const other = holdWriteLock(path());
    const { stallMs, result } = await stallDuring(async () => {
      const pending = meterValues(1111);
      const healthTimes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        expect((await app.request('GET', '/api/health')).status).toBe(200);
        healthTimes.push(performance.now() - started);
        await sleep(100);
      }
      other.exec('COMMIT');
      other.close();
      return { answer: await pending, healthTimes };
    });
    expect(result.answer).toEqual({});
    expect(stallMs, 'longest event-loop stall, ms').toBeLessThan(MAX_STALL_MS);
    for (const time of result.healthTimes) expect(time).toBeLessThan(MAX_STALL_MS);
    const detail = await app.request('GET', `/api/transactions/${transactionId}`, { token: admin });
    expect(detail.body.meterValues).toContainEqual(expect.objectContaining({ value: 1111 }));
  }, 30_000);

  it(
    'answers a CallError and 503 once it gives up, and logs the failure with station and action',
    async () => {
      const other = holdWriteLock(path());
      try {
        const { stallMs, result } = await stallDuring(async () => {
          const [ocpp, rest] = await Promise.allSettled([
            meterValues(2222),
            app.request('POST', '/api/id-tags', { token: admin, body: { idTag: 'LOCKED-OUT' } }),
          ]);
          return { ocpp, rest };
        });
        expect(stallMs, 'longest event-loop stall, ms').toBeLessThan(MAX_STALL_MS);
        expect(result.ocpp.status).toBe('rejected');
        expect((result.ocpp as PromiseRejectedResult).reason).toMatchObject({
          rpcErrorCode: 'InternalError',
        });
        expect(result.rest.status).toBe('fulfilled');
        const rest = (result.rest as PromiseFulfilledResult<Awaited<ReturnType<TestApp['request']>>>).value;
        expect(rest.status).toBe(503);
        expect(rest.body.error.code).toBe('DATABASE_UNAVAILABLE');
        expect(rest.headers.get('retry-after')).toBe('1');
        const failure = logs().find(
          (line) => line.chargePointId === 'CP-LOCK' && line.action === 'MeterValues',
        );
        expect(failure).toMatchObject({ level: 50 });
        expect(failure?.err?.message).toMatch(/lock|busy/i);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      // And once the other writer is gone, everything works again.
      expect(await meterValues(3333)).toEqual({});
      expect(
        (await app.request('POST', '/api/id-tags', { token: admin, body: { idTag: 'AFTER' } })).status,
      ).toBe(201);
    },
    GIVE_UP_AFTER_MS * 4,
  );
});
