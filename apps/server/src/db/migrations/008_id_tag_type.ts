import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The type of a deleted id tag (issue 13). A tag's own type, the OCPP 2.x IdTokenEnumType the
 * server states when it sends the tag to a 2.x station, came with migration 007; a deletion
 * keeps it too, so that a differential local list removes the tag a 2.x station knows by its
 * text and its type. Deletions recorded before are of RFID cards, the usual case: ISO14443.
 */
export function idTagType(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('id_tag_deletions')
        .addColumn('type', 'text', (col) => col.notNull().defaultTo(sql.lit('ISO14443')))
        .execute();
    },
  };
}
