import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { MeterValueRetentionRepository } from '../../src/repositories/meter-value-retention.repository.js';
import { MeterValueRepository, type StoredSample } from '../../src/repositories/meter-value.repository.js';
import { MeterValueRetention } from '../../src/services/meter-value-retention.service.js';
import { insertStation, withDatabase } from '../support/database-handle.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { startTestApp } from '../support/test-app.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const OLD = new Date(NOW - 100 * DAY);
const iso = (ms: number) => new Date(ms).toISOString();
const sample = (at: number, measurand: string, value: number, unit: string): StoredSample => ({
  timestamp: iso(at),
  measurand,
  value,
  unit,
  phase: null,
  location: null,
  context: 'Sample.Periodic',
});

/** A station and a transaction on it, written as the server writes them. */
async function stationWithTransaction(handle: DatabaseHandle, chargePointId: string) {
  const at = OLD.toISOString();
  const station = { id: await insertStation(handle, chargePointId, at) };
  const transaction = await handle.db
    .insertInto('transactions')
    .values({
      station_id: station.id,
      connector_id: 1,
      id_tag: 'TAG',
      status: 'completed',
      meter_start: 0,
      meter_stop: 4000,
      started_at: at,
      start_reported_at: at,
      stopped_at: iso(OLD.getTime() + 40 * 60_000),
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { stationId: station.id, transactionId: transaction.id };
}

/**
 * 40 minutes of a session 100 days ago, a sample a minute from 10:00 (energy rising by 100 Wh,
 * power alternating 10 and 20 kW), received then; and two samples received now.
 */
async function fillSession(handle: DatabaseHandle, stationId: number, transactionId: number) {
  const meterValues = new MeterValueRepository(handle.db);
  const start = Date.parse(iso(OLD.getTime()).slice(0, 10) + 'T10:00:00.000Z');
  for (let minute = 0; minute < 40; minute++) {
    const at = start + minute * 60_000;
    await meterValues.add(
      stationId,
      1,
      transactionId,
      [
        sample(at, 'Energy.Active.Import.Register', 100 * (minute + 1), 'Wh'),
        sample(at, 'Power.Active.Import', minute % 2 === 0 ? 10 : 20, 'kW'),
      ],
      iso(at),
    );
  }
  // Outside any transaction, old: deleted without an aggregate.
  await meterValues.add(
    stationId,
    0,
    null,
    [sample(start, 'Energy.Active.Import.Register', 1, 'Wh')],
    iso(start),
  );
  const recent = NOW - 60_000;
  await meterValues.add(
    stationId,
    1,
    transactionId,
    [sample(recent, 'Energy.Active.Import.Register', 4100, 'Wh')],
    iso(recent),
  );
  await meterValues.flush();
  return { start, recent };
}

describe.each(DIALECTS)('meter values past the retention (%s)', (dialect) => {
  it('are condensed into 15-minute aggregates, in batches, each sample counted once also with two rounds at once', async () => {
    await withDatabase(dialect, async (handle) => {
      const { stationId, transactionId } = await stationWithTransaction(handle, 'CP-RET');
      const { start, recent } = await fillSession(handle, stationId, transactionId);
      const meterValues = new MeterValueRepository(handle.db);
      const before = await meterValues.ofTransaction(transactionId);
      expect(before).toHaveLength(81);

      // Two nodes condensing at once, 7 samples a batch: buckets are filled over several batches.
      const retention = () =>
        new MeterValueRetention(
          new MeterValueRetentionRepository(handle.db),
          { now: () => new Date(NOW) },
          { retentionDays: 90, batchSize: 7, pauseMs: 0, intervalMs: 60_000 },
          (error) => {
            throw error;
          },
        );
      const [first, second] = await Promise.all([retention().condense(), retention().condense()]);
      expect(first + second).toBe(81);

      const raw = await handle.db.selectFrom('meter_values').select(['sampled_at', 'value']).execute();
      expect(raw).toEqual([{ sampled_at: iso(recent), value: 4100 }]);
      const aggregates = await handle.db
        .selectFrom('meter_value_aggregates')
        .selectAll()
        .orderBy('bucket_start')
        .orderBy('measurand')
        .execute();
      expect(aggregates.map((row) => [row.bucket_start.slice(11, 16), row.measurand, row.samples])).toEqual([
        ['10:00', 'Energy.Active.Import.Register', 15],
        ['10:00', 'Power.Active.Import', 15],
        ['10:15', 'Energy.Active.Import.Register', 15],
        ['10:15', 'Power.Active.Import', 15],
        ['10:30', 'Energy.Active.Import.Register', 10],
        ['10:30', 'Power.Active.Import', 10],
      ]);
      const power = aggregates.find((row) => row.measurand === 'Power.Active.Import');
      expect(power).toMatchObject({ total: 8 * 10 + 7 * 20, lowest: 10, highest: 20 });

      // The detail: a register's last value and any other quantity's mean per bucket, then the raw samples.
      const after = await meterValues.ofTransaction(transactionId);
      expect(after.map(({ timestamp, measurand, value }) => [timestamp, measurand, value])).toEqual([
        [iso(start + 14 * 60_000), 'Energy.Active.Import.Register', 1500],
        [iso(start + 14 * 60_000), 'Power.Active.Import', (8 * 10 + 7 * 20) / 15],
        [iso(start + 29 * 60_000), 'Energy.Active.Import.Register', 3000],
        [iso(start + 29 * 60_000), 'Power.Active.Import', (7 * 10 + 8 * 20) / 15],
        [iso(start + 39 * 60_000), 'Energy.Active.Import.Register', 4000],
        [iso(start + 39 * 60_000), 'Power.Active.Import', 15],
        [iso(recent), 'Energy.Active.Import.Register', 4100],
      ]);
      expect(after[0]).toMatchObject({ unit: 'Wh', phase: null, location: null, context: 'Sample.Periodic' });
      expect(await meterValues.highestEnergyRegister(transactionId)).toBe(4100);
      await handle.db.deleteFrom('meter_values').execute();
      expect(await meterValues.highestEnergyRegister(transactionId)).toBe(4000);

      // Nothing more to do: a second round takes nothing.
      expect(await retention().condense()).toBe(0);
      // Deleting the transaction deletes its aggregates.
      await handle.db.deleteFrom('transactions').execute();
      expect(await handle.db.selectFrom('meter_value_aggregates').selectAll().execute()).toEqual([]);
    });
  });

  it('runs at start: the transaction detail over REST shows the aggregates', async () => {
    const database = await createTestDatabase(dialect);
    const handle = openDatabase(loadConfig({ DATABASE_URL: database.url }).database);
    let transactionId: number;
    try {
      await migrateToLatest(handle.db, handle.dialect);
      const ids = await stationWithTransaction(handle, 'CP-RET-APP');
      transactionId = ids.transactionId;
      await fillSession(handle, ids.stationId, transactionId);
    } finally {
      await handle.close();
    }
    const app = await startTestApp({
      databaseUrl: database.url,
      clock: { now: () => new Date(NOW) },
      env: { METER_VALUES_RETENTION_DAYS: '90' },
    });
    try {
      const { token } = await app.login();
      const detail = async () =>
        (await app.request('GET', `/api/transactions/${transactionId}`, { token })).body as {
          meterValues: unknown[];
        };
      const deadline = Date.now() + 10_000;
      while ((await detail()).meterValues.length !== 7 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await detail()).meterValues).toHaveLength(7);
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
