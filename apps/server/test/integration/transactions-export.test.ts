import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { parseCsv } from '../../src/domain/csv.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';

const ROWS = 10_000;

/** The garbage collector, to measure what stays in memory rather than what waits to be collected. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe.each(DIALECTS)('the transactions CSV export on %s', (dialect) => {
  const app = useTestApp(dialect);
  let handle: DatabaseHandle;

  beforeAll(async () => {
    await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'EXP-1', name: 'Export' },
    });
    handle = openDatabase(loadConfig({ DATABASE_URL: app.database.url }).database);
    const station = await handle.db
      .selectFrom('stations')
      .select('id')
      .where('charge_point_id', '=', 'EXP-1')
      .executeTakeFirstOrThrow();
    const start = Date.parse('2025-01-01T00:00:00.000Z');
    for (let offset = 0; offset < ROWS; offset += 500) {
      const values = Array.from({ length: 500 }, (_, i) => {
        const n = offset + i;
        const startedAt = new Date(start + n * 60_000).toISOString();
        return {
          station_id: station.id,
          connector_id: 1 + (n % 2),
          id_tag: `TAG-${n % 97}`,
          status: 'completed',
          meter_start: n * 10,
          meter_stop: n * 10 + 7500,
          started_at: startedAt,
          stopped_at: new Date(start + n * 60_000 + 45 * 60_000).toISOString(),
          stop_reason: 'EVDisconnected',
          created_at: startedAt,
          updated_at: startedAt,
        };
      });
      await handle.db.insertInto('transactions').values(values).execute();
    }
  });
  afterAll(async () => {
    await handle?.close();
  });

  it(`streams ${ROWS} transactions with memory staying flat`, async () => {
    const gc = collector();
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const response = await fetch(`${app.url}/api/transactions.csv?chargePointId=EXP-1`, {
      headers: { authorization: `Bearer ${app.admin}` },
    });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let bytes = 0;
    let lines = 0;
    let sinceSample = 0;
    let first = '';
    /** Heap in use after a collection, above the baseline, every 16 KiB of the file. */
    const growth: number[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (first === '') first = new TextDecoder().decode(value.subarray(0, 200));
      bytes += value.length;
      for (const byte of value) if (byte === 10) lines++;
      sinceSample += value.length;
      if (sinceSample >= 16 * 1024) {
        sinceSample = 0;
        gc();
        growth.push(process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(first.split('\r\n')[0]).toBe(
      'transactionId,chargePointId,connectorId,idTag,status,meterStart,meterStop,energyDelivered,startedAt,stoppedAt,durationSeconds,stopReason',
    );
    expect(lines).toBe(ROWS + 1);
    expect(bytes).toBeGreaterThan(1_000_000);

    // Held all at once, the rows would take the whole file as text and more as objects. Streamed,
    // memory stays at a level set by one batch and the connection's buffers, however far it got.
    const quarter = Math.floor(growth.length / 4);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const early = mean(growth.slice(0, quarter));
    const late = mean(growth.slice(-quarter));
    console.log(
      `CSV ${bytes} bytes; heap above baseline: ${Math.round(early)} early, ${Math.round(late)} late, ${Math.max(...growth)} at most`,
    );
    expect(growth.length).toBeGreaterThanOrEqual(12);
    expect(Math.max(...growth)).toBeLessThan(bytes * 0.75);
    expect(late - early).toBeLessThan(bytes / 4);
  });

  it('survives downloads given up halfway (the next batch being read meanwhile), then exports whole', async () => {
    for (let n = 0; n < 20; n++) {
      const controller = new AbortController();
      const response = await fetch(`${app.url}/api/transactions.csv?chargePointId=EXP-1`, {
        headers: { authorization: `Bearer ${app.admin}` },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      // Given up after the first chunk, or a few later: at different points of the batches.
      for (let chunk = 0; chunk <= n % 4; chunk++) await reader.read();
      controller.abort();
      await reader.read().catch(() => undefined);
    }
    const whole = await app.request('GET', '/api/transactions.csv?chargePointId=EXP-1', { token: app.admin });
    expect(whole.status).toBe(200);
    expect(whole.text.split('\n').filter((line) => line !== '')).toHaveLength(ROWS + 1);
    expect((await app.request('GET', '/api/ready')).status).toBe(200);
  });

  it('exports a period in start order, each transaction once, also with many at the same start', async () => {
    // 1,500 more transactions starting at one instant inside the period: ties across batch bounds.
    const tie = '2025-01-03T12:00:30.000Z';
    const station = await handle.db
      .selectFrom('stations')
      .select('id')
      .where('charge_point_id', '=', 'EXP-1')
      .executeTakeFirstOrThrow();
    for (let offset = 0; offset < 1_500; offset += 500) {
      const values = Array.from({ length: 500 }, (_, i) => ({
        station_id: station.id,
        connector_id: 1,
        id_tag: 'TIE',
        status: 'completed',
        meter_start: offset + i,
        meter_stop: offset + i + 100,
        started_at: tie,
        stopped_at: '2025-01-03T13:00:00.000Z',
        created_at: tie,
        updated_at: tie,
      }));
      await handle.db.insertInto('transactions').values(values).execute();
    }
    const from = '2025-01-02T00:00:00.000Z';
    const to = '2025-01-06T00:00:00.000Z';
    const response = await app.request('GET', `/api/transactions.csv?from=${from}&to=${to}`, {
      token: app.admin,
    });
    expect(response.status).toBe(200);
    const records = parseCsv(response.text)
      .slice(1)
      .map(({ fields }) => ({ id: Number(fields[0]), startedAt: fields[8]! }));
    const expected = await handle.db
      .selectFrom('transactions')
      .select(['id', 'started_at'])
      .where('started_at', '>=', from)
      .where('started_at', '<', to)
      .orderBy('started_at')
      .orderBy('id')
      .execute();
    // Rows 1,440 to 5,759 of the minute-spaced ones and the ties.
    expect(expected).toHaveLength(4 * 1440 + 1_500);
    expect(records).toEqual(expected.map((row) => ({ id: row.id, startedAt: row.started_at })));
  });
});
