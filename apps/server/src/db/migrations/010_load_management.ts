import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connect.js';
import { autoNumberedKey, stationReference } from './columns.js';

/**
 * Charging profiles and site load management (issue 14, CONTRACT section 9):
 * - `sites`: the time zone of its schedule and its grid limit (power and/or current, phases,
 *   voltage, minimum current per session, a daily `limit_schedule` as JSON text).
 * - `stations.max_power_kw`: what a station delivers per connector; null: the highest power
 *   measured on it, 22 kW while none is.
 * - `charging_profiles`: the ChargePointMaxProfile and TxDefaultProfile profiles a station
 *   accepted, sent again at each boot; the profile itself as JSON text.
 * - `load_allocations`: the limit the load manager last gave each charging session and whether
 *   the station has it, so that any node (and a restarted one) knows what is in force.
 */
export function loadManagement(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('sites')
        .addColumn('time_zone', 'text', (col) => col.notNull().defaultTo('Asia/Jakarta'))
        .execute();
      for (const column of ['max_power_kw', 'max_current_a'] as const) {
        await db.schema.alterTable('sites').addColumn(column, 'double precision').execute();
      }
      await db.schema
        .alterTable('sites')
        .addColumn('phases', 'integer', (col) => col.notNull().defaultTo(3))
        .execute();
      await db.schema
        .alterTable('sites')
        .addColumn('voltage', 'double precision', (col) => col.notNull().defaultTo(230))
        .execute();
      await db.schema
        .alterTable('sites')
        .addColumn('min_current_a', 'double precision', (col) => col.notNull().defaultTo(6))
        .execute();
      await db.schema.alterTable('sites').addColumn('limit_schedule', 'text').execute();
      await db.schema.alterTable('stations').addColumn('max_power_kw', 'double precision').execute();

      await db.schema
        .createTable('charging_profiles')
        .addColumn('id', 'integer', autoNumberedKey(dialect))
        .addColumn('station_id', 'integer', stationReference)
        .addColumn('charging_profile_id', 'integer', (col) => col.notNull())
        .addColumn('connector_id', 'integer', (col) => col.notNull())
        .addColumn('stack_level', 'integer', (col) => col.notNull())
        .addColumn('purpose', 'text', (col) => col.notNull())
        .addColumn('profile', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .addUniqueConstraint('charging_profiles_station_profile', ['station_id', 'charging_profile_id'])
        .execute();

      await db.schema
        .createTable('load_allocations')
        .addColumn('transaction_id', 'integer', (col) =>
          col.primaryKey().references('transactions.id').onDelete('cascade'),
        )
        .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('limit_kw', 'double precision', (col) => col.notNull())
        .addColumn('paused', 'integer', (col) => col.notNull())
        // `sent` (the station has it), `pending` (to send: offline, no answer) or `refused`.
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('load_allocations_site').on('load_allocations').column('site_id').execute();
    },
  };
}
