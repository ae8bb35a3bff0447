import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connect.js';
import { autoNumberedKey, stationReference, createIndex } from './columns.js';

/**
 * OCPP security profiles per station and the security events (issue 12, CONTRACT section 8):
 * - `stations.security_profile` 0..3; a station that has a password starts at 1 (it already had
 *   to present it with Basic auth), any other at 0: what each could do before.
 * - `security_events`: what a station reported with SecurityEventNotification (`station`) and
 *   what the server recorded about it (`server`: refused upgrades, bad passwords, certificates).
 */
export function securityProfiles(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('stations')
        .addColumn('security_profile', 'integer', (col) => col.notNull().defaultTo(0))
        .execute();
      await sql`update stations set security_profile = 1 where ocpp_password_hash is not null`.execute(db);

      await db.schema
        .createTable('security_events')
        .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', autoNumberedKey(dialect))
        .addColumn('station_id', 'integer', stationReference)
        .addColumn('type', 'text', (col) => col.notNull())
        // ISO-8601 UTC: the station's time of the event, or the server's when it recorded it.
        .addColumn('timestamp', 'text', (col) => col.notNull())
        .addColumn('tech_info', 'text')
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await createIndex(db, 'security_events_station_timestamp', 'security_events', [
        'station_id',
        'timestamp',
      ]);
    },
  };
}
