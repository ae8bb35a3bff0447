import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connect.js';

/**
 * What issue 17 changes in meter values:
 * - The key of 006 compared four nullable columns through COALESCE: every insert evaluated four
 *   expressions per row into a ten-column index, and ingest lost about 15 %. Now the columns
 *   are NOT NULL with '' (and -1 for "no transaction") as what NULL meant, the key is a plain
 *   column index, and it leads with the station so that it also serves what the
 *   `meter_values_station` index served (a station's samples, its cascade delete): one index
 *   fewer to write per sample. Existing rows are converted; the key stays what it was (NULL and
 *   '' were one value to it already), so no stored row can collide.
 * - `meter_value_aggregates`: the 15-minute aggregates a transaction keeps of its samples once
 *   the raw ones are past METER_VALUES_RETENTION_DAYS (see MeterValueRetention).
 * - The message log loses its index on `created_at`, which every frame written (two a message)
 *   kept up to date for the hourly prune alone: the prune now walks the oldest rows by id.
 */
export function meterValuesPlainKey(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'postgres') await convertInPlace(db);
      else await rebuildForSqlite(db);
      await sql`CREATE UNIQUE INDEX meter_values_sample ON meter_values (${KEY})`.execute(db);
      await db.schema
        .createIndex('meter_values_transaction')
        .ifNotExists()
        .on('meter_values')
        .columns(['transaction_id', 'sampled_at'])
        .execute();
      await createAggregates(db);
      await sql`DROP INDEX IF EXISTS ocpp_messages_created`.execute(db);
    },
  };
}

/** The natural key of 006, on plain columns, the station first. */
const KEY = sql.raw(
  [
    'station_id',
    'connector_id',
    'sampled_at',
    'measurand',
    'phase',
    'location',
    'context',
    'unit',
    'value',
    'transaction_id',
  ].join(', '),
);

const NULLABLE_TEXT = ['phase', 'location', 'context', 'unit'] as const;

async function convertInPlace(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX meter_values_sample`.execute(db);
  await sql`DROP INDEX meter_values_station`.execute(db);
  await sql`
    UPDATE meter_values SET
      transaction_id = COALESCE(transaction_id, -1),
      phase = COALESCE(phase, ''),
      location = COALESCE(location, ''),
      context = COALESCE(context, ''),
      unit = COALESCE(unit, '')
    WHERE transaction_id IS NULL OR phase IS NULL OR location IS NULL OR context IS NULL OR unit IS NULL
  `.execute(db);
  await sql`ALTER TABLE meter_values ALTER COLUMN transaction_id SET DEFAULT -1, ALTER COLUMN transaction_id SET NOT NULL`.execute(
    db,
  );
  for (const column of NULLABLE_TEXT) {
    await sql`ALTER TABLE meter_values ALTER COLUMN ${sql.ref(column)} SET DEFAULT '', ALTER COLUMN ${sql.ref(column)} SET NOT NULL`.execute(
      db,
    );
  }
}

/** SQLite cannot change a column's NOT NULL: the table is built again, its ids and sequence kept. */
async function rebuildForSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE meter_values_new (
      id integer PRIMARY KEY AUTOINCREMENT,
      station_id integer NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
      connector_id integer NOT NULL,
      transaction_id integer NOT NULL DEFAULT -1,
      sampled_at text NOT NULL,
      measurand text NOT NULL,
      phase text NOT NULL DEFAULT '',
      location text NOT NULL DEFAULT '',
      context text NOT NULL DEFAULT '',
      unit text NOT NULL DEFAULT '',
      value double precision NOT NULL,
      received_at text NOT NULL
    )`.execute(db);
  await sql`
    INSERT INTO meter_values_new
    SELECT id, station_id, connector_id, COALESCE(transaction_id, -1), sampled_at, measurand,
      COALESCE(phase, ''), COALESCE(location, ''), COALESCE(context, ''), COALESCE(unit, ''),
      value, received_at
    FROM meter_values ORDER BY id`.execute(db);
  // Ids are never reused: the new table's sequence continues from the old one's.
  await sql`DELETE FROM sqlite_sequence WHERE name = 'meter_values_new'`.execute(db);
  await sql`
    INSERT INTO sqlite_sequence (name, seq)
    SELECT 'meter_values_new', seq FROM sqlite_sequence WHERE name = 'meter_values'`.execute(db);
  await sql`DROP TABLE meter_values`.execute(db);
  await sql`ALTER TABLE meter_values_new RENAME TO meter_values`.execute(db);
}

async function createAggregates(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('meter_value_aggregates')
    .addColumn('transaction_id', 'bigint', (col) =>
      col.notNull().references('transactions.id').onDelete('cascade'),
    )
    .addColumn('bucket_start', 'text', (col) => col.notNull())
    .addColumn('measurand', 'text', (col) => col.notNull())
    .addColumn('phase', 'text', (col) => col.notNull())
    .addColumn('location', 'text', (col) => col.notNull())
    .addColumn('context', 'text', (col) => col.notNull())
    .addColumn('unit', 'text', (col) => col.notNull())
    .addColumn('samples', 'integer', (col) => col.notNull())
    .addColumn('total', 'double precision', (col) => col.notNull())
    .addColumn('lowest', 'double precision', (col) => col.notNull())
    .addColumn('highest', 'double precision', (col) => col.notNull())
    .addColumn('last_value', 'double precision', (col) => col.notNull())
    .addColumn('last_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('meter_value_aggregates_key', [
      'transaction_id',
      'bucket_start',
      'measurand',
      'phase',
      'location',
      'context',
      'unit',
    ])
    .execute();
}
