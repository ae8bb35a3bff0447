import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connect.js';
import { autoNumberedKey, stationReference, createIndex } from './columns.js';

/**
 * The whole schema the contract implies. Types are chosen to read back the same on both
 * dialects: `integer` (int4 on PostgreSQL, never bigint, which `pg` returns as a string),
 * `double precision` for measured values, `text` for ISO 8601 UTC times and JSON.
 * A migration is never edited once released: later changes go in later numbers.
 */
export function initialSchema(dialect: Dialect): Migration {
  /** An auto-numbered integer primary key, in each dialect's own spelling. */
  const id = <T extends string>(table: CreateTableBuilder<T, never>) =>
    table.addColumn('id', 'integer', autoNumberedKey(dialect));
  const timestamps = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    table
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull());

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (col) => col.primaryKey())
        .addColumn('value', 'text', (col) => col.notNull())
        .execute();

      await timestamps(
        id(db.schema.createTable('users'))
          .addColumn('username', 'text', (col) => col.notNull().unique())
          .addColumn('password_hash', 'text', (col) => col.notNull())
          .addColumn('active', 'integer', (col) => col.notNull().defaultTo(1))
          .addColumn('station_scoped', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('token_version', 'integer', (col) => col.notNull().defaultTo(0)),
      ).execute();

      await timestamps(
        id(db.schema.createTable('roles'))
          .addColumn('name', 'text', (col) => col.notNull().unique())
          .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
          .addColumn('built_in', 'integer', (col) => col.notNull().defaultTo(0)),
      ).execute();

      await db.schema
        .createTable('permissions')
        .addColumn('name', 'text', (col) => col.primaryKey())
        .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
        .execute();

      await db.schema
        .createTable('role_permissions')
        .addColumn('role_id', 'integer', (col) => col.notNull().references('roles.id').onDelete('cascade'))
        .addColumn('permission', 'text', (col) =>
          col.notNull().references('permissions.name').onDelete('cascade'),
        )
        .addPrimaryKeyConstraint('role_permissions_pk', ['role_id', 'permission'])
        .execute();

      await db.schema
        .createTable('user_roles')
        .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role_id', 'integer', (col) => col.notNull().references('roles.id').onDelete('restrict'))
        .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_id'])
        .execute();
      await db.schema.createIndex('user_roles_role').on('user_roles').column('role_id').execute();

      await db.schema
        .createTable('user_stations')
        .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
        .addColumn('charge_point_id', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('user_stations_pk', ['user_id', 'charge_point_id'])
        .execute();

      await timestamps(
        id(db.schema.createTable('sites'))
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('address', 'text')
          .addColumn('latitude', 'double precision')
          .addColumn('longitude', 'double precision'),
      ).execute();

      await db.schema
        .createTable('user_sites')
        .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
        .addColumn('site_id', 'integer', (col) => col.notNull().references('sites.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('user_sites_pk', ['user_id', 'site_id'])
        .execute();

      await timestamps(
        id(db.schema.createTable('stations'))
          .addColumn('charge_point_id', 'text', (col) => col.notNull().unique())
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('site_id', 'integer', (col) => col.references('sites.id').onDelete('set null'))
          .addColumn('location', 'text')
          .addColumn('ocpp_password_hash', 'text')
          .addColumn('registration', 'text', (col) => col.notNull().defaultTo('accepted'))
          .addColumn('status', 'text', (col) => col.notNull().defaultTo('Unavailable'))
          .addColumn('connected', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('vendor', 'text')
          .addColumn('model', 'text')
          .addColumn('serial_number', 'text')
          .addColumn('charge_box_serial_number', 'text')
          .addColumn('firmware_version', 'text')
          .addColumn('iccid', 'text')
          .addColumn('imsi', 'text')
          .addColumn('meter_type', 'text')
          .addColumn('meter_serial_number', 'text')
          .addColumn('ocpp_protocol', 'text')
          .addColumn('last_boot_at', 'text')
          .addColumn('last_heartbeat', 'text')
          .addColumn('last_seen_at', 'text')
          .addColumn('diagnostics_status', 'text')
          .addColumn('firmware_status', 'text')
          .addColumn('local_list_version', 'integer'),
      ).execute();
      await db.schema.createIndex('stations_site').on('stations').column('site_id').execute();

      await db.schema
        .createTable('connectors')
        .addColumn('station_id', 'integer', stationReference)
        .addColumn('connector_id', 'integer', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('error_code', 'text', (col) => col.notNull().defaultTo('NoError'))
        .addColumn('info', 'text')
        .addColumn('vendor_id', 'text')
        .addColumn('vendor_error_code', 'text')
        .addColumn('status_at', 'text')
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('connectors_pk', ['station_id', 'connector_id'])
        .execute();

      await timestamps(
        db.schema
          .createTable('id_tags')
          .addColumn('id_tag', 'text', (col) => col.primaryKey())
          .addColumn('status', 'text', (col) => col.notNull().defaultTo('Accepted'))
          .addColumn('expiry_date', 'text')
          .addColumn('parent_id_tag', 'text')
          .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
          .addColumn('allow_concurrent', 'integer', (col) => col.notNull().defaultTo(0)),
      ).execute();
      await db.schema.createIndex('id_tags_parent').on('id_tags').column('parent_id_tag').execute();

      await timestamps(
        id(db.schema.createTable('reservations'))
          .addColumn('station_id', 'integer', stationReference)
          .addColumn('connector_id', 'integer', (col) => col.notNull())
          .addColumn('id_tag', 'text', (col) => col.notNull())
          .addColumn('parent_id_tag', 'text')
          .addColumn('expiry_date', 'text', (col) => col.notNull())
          .addColumn('user_name', 'text')
          .addColumn('phone_number', 'text')
          .addColumn('status', 'text', (col) => col.notNull())
          .addColumn('transaction_id', 'integer')
          .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('set null')),
      ).execute();
      await createIndex(db, 'reservations_station_status', 'reservations', ['station_id', 'status']);
      await createIndex(db, 'reservations_status_expiry', 'reservations', ['status', 'expiry_date']);

      await timestamps(
        id(db.schema.createTable('transactions'))
          .addColumn('station_id', 'integer', stationReference)
          .addColumn('connector_id', 'integer', (col) => col.notNull())
          .addColumn('id_tag', 'text', (col) => col.notNull())
          .addColumn('reservation_id', 'integer', (col) =>
            col.references('reservations.id').onDelete('set null'),
          )
          .addColumn('status', 'text', (col) => col.notNull())
          .addColumn('meter_start', 'double precision', (col) => col.notNull())
          .addColumn('meter_stop', 'double precision')
          .addColumn('started_at', 'text', (col) => col.notNull())
          .addColumn('stopped_at', 'text')
          .addColumn('stop_reason', 'text')
          .addColumn('stop_id_tag', 'text')
          // A retried StartTransaction (same station, connector, tag, meter, time) is the same one.
          .addUniqueConstraint('transactions_start_once', [
            'station_id',
            'connector_id',
            'id_tag',
            'meter_start',
            'started_at',
          ]),
      ).execute();
      await createIndex(db, 'transactions_station_status', 'transactions', ['station_id', 'status']);
      await createIndex(db, 'transactions_tag_status', 'transactions', ['id_tag', 'status']);
      await db.schema.createIndex('transactions_started').on('transactions').column('started_at').execute();

      await id(db.schema.createTable('unmatched_stops'))
        .addColumn('station_id', 'integer', stationReference)
        .addColumn('transaction_id', 'integer', (col) => col.notNull())
        .addColumn('id_tag', 'text')
        .addColumn('meter_stop', 'double precision', (col) => col.notNull())
        .addColumn('stopped_at', 'text', (col) => col.notNull())
        .addColumn('reason', 'text')
        .addColumn('transaction_data', 'text')
        .addColumn('received_at', 'text', (col) => col.notNull())
        .execute();

      await id(db.schema.createTable('meter_values'))
        .addColumn('station_id', 'integer', stationReference)
        .addColumn('connector_id', 'integer', (col) => col.notNull())
        .addColumn('transaction_id', 'integer')
        .addColumn('sampled_at', 'text', (col) => col.notNull())
        .addColumn('measurand', 'text', (col) => col.notNull())
        .addColumn('phase', 'text')
        .addColumn('location', 'text')
        .addColumn('context', 'text')
        .addColumn('unit', 'text')
        .addColumn('value', 'double precision', (col) => col.notNull())
        .addColumn('received_at', 'text', (col) => col.notNull())
        .execute();
      await createIndex(db, 'meter_values_transaction', 'meter_values', ['transaction_id', 'sampled_at']);
      await createIndex(db, 'meter_values_station', 'meter_values', ['station_id', 'sampled_at']);

      await id(db.schema.createTable('ocpp_messages'))
        .addColumn('charge_point_id', 'text', (col) => col.notNull())
        .addColumn('direction', 'text', (col) => col.notNull())
        .addColumn('message_type', 'integer', (col) => col.notNull())
        .addColumn('message_id', 'text', (col) => col.notNull())
        .addColumn('action', 'text')
        .addColumn('payload', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await createIndex(db, 'ocpp_messages_station', 'ocpp_messages', ['charge_point_id', 'id']);
      await db.schema.createIndex('ocpp_messages_created').on('ocpp_messages').column('created_at').execute();

      await id(db.schema.createTable('commands'))
        .addColumn('charge_point_id', 'text', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('request', 'text', (col) => col.notNull())
        .addColumn('response', 'text')
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('finished_at', 'text')
        .execute();
      await createIndex(db, 'commands_station', 'commands', ['charge_point_id', 'id']);
    },
  };
}
