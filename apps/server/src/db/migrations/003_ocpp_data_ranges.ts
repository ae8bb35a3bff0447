import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connect.js';

/**
 * What issue 10 (items 8, 9, 10) adds:
 * - 64-bit ids wherever an OCPP integer or a fast-growing row count lands. SQLite's `integer`
 *   is 64-bit already; PostgreSQL's is int4, so a charge point's transactionId or reservationId
 *   above 2^31−1 failed the query (and an unknown-id StopTransaction was lost). connect.ts reads
 *   int8 back as a number, so both dialects still read the same JavaScript types.
 * - `transactions.authorization_status`: the idTagInfo.status a StartTransaction was answered
 *   with; only `Accepted` transactions are active (a refused start never counts for ConcurrentTx).
 * - `transactions.start_reported_at`: the start time as the charge point sent it, so that a
 *   retried StartTransaction is recognized also when an unbelievable time was replaced by the
 *   receipt time in `started_at`.
 * - `stations.clock_skew_seconds`: how far the station's clock was from the server's when the
 *   server last replaced one of its timestamps.
 */
export function ocppDataRanges(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'postgres') {
        const widen: [string, string][] = [
          ['transactions', 'id'],
          ['transactions', 'reservation_id'],
          ['reservations', 'id'],
          ['reservations', 'transaction_id'],
          ['unmatched_stops', 'id'],
          ['unmatched_stops', 'transaction_id'],
          ['meter_values', 'id'],
          ['meter_values', 'transaction_id'],
          ['ocpp_messages', 'id'],
          ['commands', 'id'],
        ];
        for (const [table, column] of widen) {
          await db.schema
            .alterTable(table)
            .alterColumn(column, (col) => col.setDataType('bigint'))
            .execute();
        }
        // Identity columns keep an int4 sequence of their own: widen those too.
        for (const table of [
          'transactions',
          'reservations',
          'unmatched_stops',
          'meter_values',
          'ocpp_messages',
          'commands',
        ]) {
          await sql`alter sequence ${sql.raw(`${table}_id_seq`)} as bigint`.execute(db);
        }
      }
      await db.schema
        .alterTable('transactions')
        .addColumn('authorization_status', 'text', (col) => col.notNull().defaultTo('Accepted'))
        .execute();
      await db.schema.alterTable('transactions').addColumn('start_reported_at', 'text').execute();
      await sql`update transactions set start_reported_at = started_at`.execute(db);
      await db.schema
        .createIndex('transactions_start_reported_once')
        .on('transactions')
        .columns(['station_id', 'connector_id', 'id_tag', 'meter_start', 'start_reported_at'])
        .unique()
        .execute();
      await db.schema.alterTable('stations').addColumn('clock_skew_seconds', 'bigint').execute();
    },
  };
}
