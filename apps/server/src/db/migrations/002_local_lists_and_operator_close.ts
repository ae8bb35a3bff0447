import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { createIndex } from './columns.js';

/**
 * What issue 5 adds to the initial schema: the id tag snapshot each station's local list was
 * built from (for differential SendLocalList), the id tags deleted since (sent as removals),
 * who closed a stuck transaction, and an index for energy totals by stop time.
 */
export function localListsAndOperatorClose(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // ISO time of the id tag table snapshot in the last local list the station accepted.
      await db.schema.alterTable('stations').addColumn('local_list_sent_at', 'text').execute();

      await db.schema
        .createTable('id_tag_deletions')
        .addColumn('id_tag', 'text', (col) => col.primaryKey())
        .addColumn('deleted_at', 'text', (col) => col.notNull())
        .execute();

      await db.schema
        .alterTable('transactions')
        .addColumn('closed_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
        .execute();
      // Set when an operator closed the transaction; kept when that user is deleted.
      await db.schema.alterTable('transactions').addColumn('closed_at', 'text').execute();
      await createIndex(db, 'transactions_status_stopped', 'transactions', ['status', 'stopped_at']);
    },
  };
}
