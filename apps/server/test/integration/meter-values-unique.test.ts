import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateTo } from '../../src/db/migrate.js';
import { MeterValueRepository } from '../../src/repositories/meter-value.repository.js';
import { DIALECTS } from '../support/databases.js';
import { ocppUrl, rawSocket } from '../support/ocpp-client.js';
import { TWO_NODE_REDIS, withDatabaseAt, withTwoNodesAndHandle } from '../support/database-handle.js';

const T0 = '2026-02-01T10:00:00.000Z';
const energy = (value: number, phase?: string) => ({
  timestamp: T0,
  measurand: 'Energy.Active.Import.Register',
  phase: phase ?? null,
  location: null,
  context: 'Sample.Periodic',
  unit: 'Wh',
  value,
});

describe.each(DIALECTS)('meter values keyed by what they measure (%s)', (dialect) => {
  it('drops the duplicates stored before the unique key, keeping the first of each, then skips repeats', async () => {
    await withDatabaseAt(dialect, '005_security_profiles', async (handle) => {
      await sql`INSERT INTO stations (charge_point_id, name, created_at, updated_at) VALUES ('CP-DUP', 'dup', ${T0}, ${T0})`.execute(
        handle.db,
      );
      const row = (value: number, phase: string | null) => ({
        station_id: sql<number>`(SELECT id FROM stations WHERE charge_point_id = 'CP-DUP')`,
        connector_id: 1,
        transaction_id: null,
        sampled_at: T0,
        measurand: 'Energy.Active.Import.Register',
        phase,
        context: 'Sample.Periodic',
        unit: 'Wh',
        value,
        received_at: T0,
      });
      // Stored twice by a retry before the key existed; the L1 sample is another quantity.
      // The table's type is the latest schema's (NOT NULL since 011): these rows are of 005's.
      for (const values of [row(100, null), row(100, null), row(100, null), row(40, 'L1')]) {
        await handle.db
          .insertInto('meter_values')
          .values(values as never)
          .execute();
      }

      expect(await migrateTo(handle.db, handle.dialect, '006_meter_values_unique')).toEqual([
        '006_meter_values_unique',
      ]);
      const stored = async () =>
        handle.db
          .selectFrom('meter_values')
          .select(['id', 'transaction_id', 'phase', 'location', 'value'])
          .orderBy('id')
          .execute();
      const kept = await stored();
      expect(kept.map(({ phase, value }) => [phase, value])).toEqual([
        [null, 100],
        ['L1', 40],
      ]);

      // 011: the same rows, their ids kept, with '' and -1 for what was NULL.
      expect((await migrateTo(handle.db, handle.dialect, '011_meter_values_plain_key')).at(-1)).toBe(
        '011_meter_values_plain_key',
      );
      expect(await stored()).toEqual([
        { id: kept[0]?.id, transaction_id: -1, phase: '', location: '', value: 100 },
        { id: kept[1]?.id, transaction_id: -1, phase: 'L1', location: '', value: 40 },
      ]);
      await migrateTo(handle.db, handle.dialect);

      const station = await handle.db
        .selectFrom('stations')
        .select('id')
        .where('charge_point_id', '=', 'CP-DUP')
        .executeTakeFirstOrThrow();
      const meterValues = new MeterValueRepository(handle.db);
      // The same samples again, in one batch and in the next: nothing new; a new sample is stored.
      await Promise.all([
        meterValues.add(station.id, 1, null, [energy(100)], T0),
        meterValues.add(station.id, 1, null, [energy(100), energy(40, 'L1')], T0),
      ]);
      await meterValues.add(
        station.id,
        1,
        null,
        [energy(100), { ...energy(101), timestamp: T0.replace('00.000', '05.000') }],
        T0,
      );
      await meterValues.flush();
      const after = await stored();
      expect(after.map(({ value }) => value)).toEqual([100, 40, 101]);
      // Ids go on from where the table was, never reused.
      expect(after[2]?.id).toBeGreaterThan(kept[1]?.id ?? Infinity);
    });
  });
});

if (TWO_NODE_REDIS) {
  describe('a message repeated to another node after a reconnect', () => {
    it('is stored once and gets the same answer: MeterValues and StartTransaction', async () => {
      await withTwoNodesAndHandle(async (nodeA, nodeB, handle) => {
        const id = `RETRY-${randomBytes(3).toString('hex')}`;
        const first = await rawSocket(`${ocppUrl(nodeA.url)}/${id}`);
        await sendWithId(first, 'boot-1', 'BootNotification', {
          chargePointVendor: 'V',
          chargePointModel: 'M',
        });
        const startId = `start-${randomBytes(4).toString('hex')}`;
        const meterId = `meter-${randomBytes(4).toString('hex')}`;
        const startPayload = { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: T0 };
        const started = await sendWithId(first, startId, 'StartTransaction', startPayload);
        const meterPayload = {
          connectorId: 1,
          transactionId: (started as { transactionId: number }).transactionId,
          meterValue: [
            {
              timestamp: T0,
              sampledValue: [{ value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
            },
          ],
        };
        const metered = await sendWithId(first, meterId, 'MeterValues', meterPayload);
        first.close();

        // The answers were lost: the station reconnects through node B and repeats both.
        const second = await rawSocket(`${ocppUrl(nodeB.url)}/${id}`);
        expect(await sendWithId(second, startId, 'StartTransaction', startPayload)).toEqual(started);
        expect(await sendWithId(second, meterId, 'MeterValues', meterPayload)).toEqual(metered);
        second.close();

        const transactions = await handle.db.selectFrom('transactions').select('id').execute();
        expect(transactions).toHaveLength(1);
        const values = await handle.db.selectFrom('meter_values').select('value').execute();
        expect(values.map(({ value }) => value)).toEqual([1500]);
      });
    });
  });
}

type RawStation = Awaited<ReturnType<typeof rawSocket>>;

/** Sends a CALL with a message id of the test's choosing, as a station repeating one does. */
async function sendWithId(station: RawStation, messageId: string, action: string, payload: unknown) {
  const answer = (await station.send(JSON.stringify([2, messageId, action, payload]))) as unknown[];
  expect(answer.slice(0, 2)).toEqual([3, messageId]);
  return answer[2];
}
