import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Who created each id tag, so that a user limited to some stations manages only the tags of its
 * own people (issue 10, item 14). Tags stored before are left without a creator: network-wide
 * cards that only unscoped users manage.
 */
export function idTagCreator(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('id_tags')
        .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('id_tags_created_by').on('id_tags').column('created_by').execute();
    },
  };
}
