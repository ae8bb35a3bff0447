import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { initialSchema } from '../../src/db/migrations/001_initial.js';
import { localListsAndOperatorClose } from '../../src/db/migrations/002_local_lists_and_operator_close.js';
import { ocppDataRanges } from '../../src/db/migrations/003_ocpp_data_ranges.js';
import { idTagCreator } from '../../src/db/migrations/004_id_tag_creator.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('migration 005_security_profiles on %s', (dialect) => {
  it('starts stations with a password at profile 1 and the others at 0, and adds security_events', async () => {
    const database = await createTestDatabase(dialect);
    const handle = openDatabase(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      // The schema as it was before: migrations 001 to 004 only.
      const before = new Migrator({
        db: handle.db,
        provider: {
          getMigrations: async () => ({
            '001_initial': initialSchema(handle.dialect),
            '002_local_lists_and_operator_close': localListsAndOperatorClose(),
            '003_ocpp_data_ranges': ocppDataRanges(handle.dialect),
            '004_id_tag_creator': idTagCreator(),
          }),
        },
      });
      expect((await before.migrateToLatest()).error).toBeUndefined();
      const now = '2026-01-01T00:00:00.000Z';
      for (const [id, hash] of [
        ['OLD-PASSWORD', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA'],
        ['OLD-OPEN', null],
      ]) {
        await sql`insert into stations (charge_point_id, name, ocpp_password_hash, registration, status, connected, created_at, updated_at)
          values (${id}, ${id}, ${hash}, 'accepted', 'Unavailable', 0, ${now}, ${now})`.execute(handle.db);
      }

      expect(await migrateToLatest(handle.db, handle.dialect)).toContain('005_security_profiles');
      const rows = await handle.db
        .selectFrom('stations')
        .select(['charge_point_id', 'security_profile'])
        .orderBy('charge_point_id')
        .execute();
      expect(rows).toEqual([
        { charge_point_id: 'OLD-OPEN', security_profile: 0 },
        { charge_point_id: 'OLD-PASSWORD', security_profile: 1 },
      ]);
      const station = rows[1];
      const { id } = await handle.db
        .selectFrom('stations')
        .select('id')
        .where('charge_point_id', '=', station?.charge_point_id ?? '')
        .executeTakeFirstOrThrow();
      await handle.db
        .insertInto('security_events')
        .values({
          station_id: id,
          type: 'StartupOfTheDevice',
          timestamp: now,
          tech_info: null,
          source: 'station',
          created_at: now,
        })
        .execute();
      // Deleting a station deletes its events.
      await handle.db.deleteFrom('stations').where('id', '=', id).execute();
      expect(await handle.db.selectFrom('security_events').selectAll().execute()).toEqual([]);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
