import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateTo } from '../../src/db/migrate.js';
import { DIALECTS } from '../support/databases.js';
import { withDatabaseAt } from '../support/database-handle.js';

const T0 = '2026-02-01T10:00:00.000Z';

describe.each(DIALECTS)('migration 007_ocpp2 on %s', (dialect) => {
  it('keeps every transaction and its id counter, lets id_tag be null, and adds the 2.x tables', async () => {
    await withDatabaseAt(dialect, '006_meter_values_unique', async (handle) => {
      await sql`INSERT INTO stations (charge_point_id, name, created_at, updated_at, ocpp_protocol)
        VALUES ('CP-OLD', 'old', ${T0}, ${T0}, 'ocpp1.6')`.execute(handle.db);
      const stationId = (
        await handle.db
          .selectFrom('stations')
          .select('id')
          .where('charge_point_id', '=', 'CP-OLD')
          .executeTakeFirstOrThrow()
      ).id;
      const transaction = (idTag: string, meterStart: number) => ({
        station_id: stationId,
        connector_id: 1,
        id_tag: idTag,
        reservation_id: null,
        status: 'completed',
        meter_start: meterStart,
        meter_stop: meterStart + 10,
        started_at: T0,
        start_reported_at: T0,
        created_at: T0,
        updated_at: T0,
      });
      for (const [tag, meter] of [
        ['A', 1],
        ['B', 2],
        ['C', 3],
      ] as const) {
        await handle.db.insertInto('transactions').values(transaction(tag, meter)).execute();
      }
      // The newest is deleted: its id must never be given again.
      const ids = (await handle.db.selectFrom('transactions').select('id').orderBy('id').execute()).map(
        (r) => r.id,
      );
      await handle.db
        .deleteFrom('transactions')
        .where('id', '=', ids[2] ?? 0)
        .execute();

      expect(await migrateTo(handle.db, handle.dialect, '007_ocpp2')).toEqual(['007_ocpp2']);

      const kept = await handle.db.selectFrom('transactions').selectAll().orderBy('id').execute();
      expect(kept.map((r) => [r.id, r.id_tag, r.meter_start, r.ocpp_transaction_id])).toEqual([
        [ids[0], 'A', 1, null],
        [ids[1], 'B', 2, null],
      ]);
      const next = await handle.db
        .insertInto('transactions')
        .values({
          ...transaction('D', 4),
          id_tag: null,
          ocpp_transaction_id: 'tx-1',
          start_reported_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(next.id).toBeGreaterThan(ids[2] ?? Infinity);
      // A station's own id is unique per station.
      await expect(
        handle.db
          .insertInto('transactions')
          .values({ ...transaction('E', 5), ocpp_transaction_id: 'tx-1', start_reported_at: null })
          .execute(),
      ).rejects.toThrow();
      // The 1.6 retry key still holds.
      await expect(
        handle.db.insertInto('transactions').values(transaction('A', 1)).execute(),
      ).rejects.toThrow();
      const station = await handle.db.selectFrom('stations').select('ocpp_version').executeTakeFirstOrThrow();
      expect(station.ocpp_version).toBe('1.6');
      expect(await handle.db.selectFrom('station_variables').selectAll().execute()).toEqual([]);
      expect(await handle.db.selectFrom('transaction_events').selectAll().execute()).toEqual([]);
    });
  });
});
