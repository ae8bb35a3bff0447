import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The OCPP 2.0.1 IdTokenEnumType of each id tag (issue 13): what the server states when it sends
 * the tag to a 2.x station (RequestStartTransaction, ReserveNow, SendLocalList, a groupIdToken).
 * Tags stored before are RFID cards, the usual case: ISO14443. A deletion keeps the type too, so
 * that a differential local list removes the tag a 2.x station knows by its text and type.
 */
export function idTagType(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('id_tags')
        .addColumn('type', 'text', (col) => col.notNull().defaultTo(sql.lit('ISO14443')))
        .execute();
      await db.schema
        .alterTable('id_tag_deletions')
        .addColumn('type', 'text', (col) => col.notNull().defaultTo(sql.lit('ISO14443')))
        .execute();
    },
  };
}
