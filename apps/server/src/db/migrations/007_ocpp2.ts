import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connect.js';
import { autoNumberedKey, stationReference } from './columns.js';

/**
 * What OCPP 2.0.1 and 2.1 stations need stored (issue 13, CONTRACT section 7):
 * - `stations.ocpp_version`: `1.6`, `2.0.1` or `2.1`, the protocol of its latest connection
 *   (`1.6` for every station so far, the only one spoken before).
 * - `transactions.ocpp_transaction_id`: a 2.x station's own transaction id (a string), unique
 *   per station; null for 1.6 transactions, whose id is ours. `transactions.id_tag` becomes
 *   nullable: a 2.x transaction started cable first has no id token until one arrives.
 * - `transaction_events`: every TransactionEvent kept once per (station, transaction, seqNo), so
 *   that a repeat changes nothing and events from the station's offline queue are put in order.
 * - `id_tags.type`: the OCPP 2.x IdTokenEnumType of a tag (`ISO14443` unless told otherwise),
 *   used whenever a tag is sent to a 2.x station.
 * - `station_variables`: the device model a 2.x station reports (NotifyReport), one row per
 *   component, EVSE/connector, variable and attribute type.
 */
export function ocpp2(dialect: Dialect): Migration {
  const id = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('stations')
        .addColumn('ocpp_version', 'text', (col) => col.notNull().defaultTo('1.6'))
        .execute();

      await db.schema
        .alterTable('id_tags')
        .addColumn('type', 'text', (col) => col.notNull().defaultTo('ISO14443'))
        .execute();

      await db.schema.alterTable('transactions').addColumn('ocpp_transaction_id', 'text').execute();
      if (dialect === 'postgres') {
        await sql`alter table transactions alter column id_tag drop not null`.execute(db);
      } else {
        await relaxSqliteIdTag(db);
      }
      // NULLs are distinct in a unique index on both databases: 1.6 transactions never collide.
      await db.schema
        .createIndex('transactions_ocpp_id')
        .on('transactions')
        .columns(['station_id', 'ocpp_transaction_id'])
        .unique()
        .execute();

      await db.schema
        .createTable('transaction_events')
        .addColumn('id', id, autoNumberedKey(dialect))
        .addColumn('station_id', 'integer', stationReference)
        .addColumn('ocpp_transaction_id', 'text', (col) => col.notNull())
        .addColumn('transaction_id', id)
        .addColumn('seq_no', 'bigint', (col) => col.notNull())
        .addColumn('event_type', 'text', (col) => col.notNull())
        .addColumn('trigger_reason', 'text', (col) => col.notNull())
        // The station's time of the event (ISO 8601 UTC) and whether it came from its offline queue.
        .addColumn('timestamp', 'text', (col) => col.notNull())
        .addColumn('offline', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('charging_state', 'text')
        .addColumn('id_token', 'text')
        // Wh: the energy register of the event's Transaction.Begin / Transaction.End sample, and
        // its first and last energy reading, from which meterStart and meterStop are read.
        .addColumn('energy_begin', 'double precision')
        .addColumn('energy_end', 'double precision')
        .addColumn('energy_first', 'double precision')
        .addColumn('energy_last', 'double precision')
        .addColumn('received_at', 'text', (col) => col.notNull())
        .addUniqueConstraint('transaction_events_once', ['station_id', 'ocpp_transaction_id', 'seq_no'])
        .execute();

      await db.schema
        .createTable('station_variables')
        .addColumn('station_id', 'integer', stationReference)
        .addColumn('component', 'text', (col) => col.notNull())
        // '' when absent: part of the identity, and a unique key counts NULLs as distinct.
        .addColumn('component_instance', 'text', (col) => col.notNull().defaultTo(''))
        // -1 when absent (OCPP 2.0.1 numbers EVSEs and their connectors from 1).
        .addColumn('evse_id', 'integer', (col) => col.notNull().defaultTo(-1))
        .addColumn('connector_id', 'integer', (col) => col.notNull().defaultTo(-1))
        .addColumn('variable', 'text', (col) => col.notNull())
        .addColumn('variable_instance', 'text', (col) => col.notNull().defaultTo(''))
        .addColumn('attribute_type', 'text', (col) => col.notNull().defaultTo('Actual'))
        .addColumn('value', 'text')
        .addColumn('mutability', 'text')
        .addColumn('data_type', 'text')
        .addColumn('unit', 'text')
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('station_variables_identity', [
          'station_id',
          'component',
          'component_instance',
          'evse_id',
          'connector_id',
          'variable',
          'variable_instance',
          'attribute_type',
        ])
        .execute();
    },
  };
}

/**
 * SQLite cannot drop a NOT NULL: the transactions table is rebuilt from its own stored
 * definition with `id_tag` nullable (no table refers to it), keeping every row, its indexes and
 * the autoincrement counter, so that no transaction id is ever given twice.
 */
async function relaxSqliteIdTag(db: Kysely<unknown>): Promise<void> {
  const read = async (type: string) =>
    (
      await sql<{ name: string; sql: string | null }>`
        select name, sql from sqlite_master where tbl_name = 'transactions' and type = ${type}`.execute(db)
    ).rows;
  const [table] = await read('table');
  const relaxed = table?.sql?.replace(/"id_tag" text not null/i, '"id_tag" text');
  if (!table?.sql || relaxed === table.sql || relaxed === undefined) {
    throw new Error('transactions: unexpected table definition, id_tag not found');
  }
  const indexes = (await read('index')).filter((index) => index.sql !== null);
  const counter = await sql<{ seq: number }>`
    select seq from sqlite_sequence where name = 'transactions'`.execute(db);
  await sql
    .raw(relaxed.replace(/^create table "?transactions"?/i, 'create table "transactions_relaxed"'))
    .execute(db);
  await sql`insert into transactions_relaxed select * from transactions`.execute(db);
  await sql`drop table transactions`.execute(db);
  await sql`alter table transactions_relaxed rename to transactions`.execute(db);
  for (const index of indexes) await sql.raw(index.sql as string).execute(db);
  const seq = counter.rows[0]?.seq;
  if (seq !== undefined) {
    await sql`delete from sqlite_sequence where name = 'transactions'`.execute(db);
    await sql`insert into sqlite_sequence (name, seq)
      select 'transactions', max(${seq}, coalesce(max(id), 0)) from transactions`.execute(db);
  }
}
