import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * What makes one meter value: the station, connector and transaction it belongs to, the instant
 * it was sampled, which quantity it measures, and the value. A retried MeterValues (the same message id on
 * another node after a reconnect) carries the same samples: with this key they are stored once,
 * whichever node receives them (inserts use ON CONFLICT DO NOTHING). The nullable columns are
 * compared through COALESCE, since a unique index counts NULLs as distinct on both databases.
 */
const NATURAL_KEY = sql.raw(
  [
    'station_id',
    'connector_id',
    '(COALESCE(transaction_id, -1))',
    'sampled_at',
    'measurand',
    "(COALESCE(phase, ''))",
    "(COALESCE(location, ''))",
    "(COALESCE(context, ''))",
    "(COALESCE(unit, ''))",
    // A retry carries the same value; two readings that differ are both kept (e.g. two samples
    // whose impossible timestamps were both replaced by the same receipt time).
    'value',
  ].join(', '),
);

/** Duplicates stored before (the lowest id of each key stays), then the unique index. */
export function meterValuesUnique(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql`
        DELETE FROM meter_values WHERE id IN (
          SELECT id FROM (
            SELECT id, ROW_NUMBER() OVER (PARTITION BY ${NATURAL_KEY} ORDER BY id) AS copy
            FROM meter_values
          ) numbered
          WHERE copy > 1
        )`.execute(db);
      await sql`CREATE UNIQUE INDEX meter_values_sample ON meter_values (${NATURAL_KEY})`.execute(db);
    },
  };
}
