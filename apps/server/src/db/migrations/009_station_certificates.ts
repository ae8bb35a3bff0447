import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connect.js';
import { autoNumberedKey, stationReference, createIndex } from './columns.js';

/**
 * The OCPP CA's certificates and the 1.6 security extension's notifications (issue 12,
 * CONTRACT section 8):
 * - `station_certificates`: each certificate the OCPP CA signed for a station (SignCertificate),
 *   with its serial (upper-case hex), subject, validity (ISO-8601 UTC), SHA-256 fingerprint (as
 *   Node writes it, `AB:CD:…`, unique: the upgrade looks revoked ones up by it), the PEM, when it
 *   was revoked, and when its renewal was last asked for (ExtendedTriggerMessage).
 * - `stations.log_status` and `stations.signed_firmware_status`: the last LogStatusNotification
 *   and SignedFirmwareStatusNotification, as `diagnostics_status` and `firmware_status` keep theirs.
 */
export function stationCertificates(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('station_certificates')
        .addColumn('id', 'integer', autoNumberedKey(dialect))
        .addColumn('station_id', 'integer', stationReference)
        .addColumn('serial_number', 'text', (col) => col.notNull())
        .addColumn('subject', 'text', (col) => col.notNull())
        .addColumn('not_before', 'text', (col) => col.notNull())
        .addColumn('not_after', 'text', (col) => col.notNull())
        .addColumn('fingerprint', 'text', (col) => col.notNull().unique())
        .addColumn('certificate', 'text', (col) => col.notNull())
        .addColumn('issued_at', 'text', (col) => col.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('renewal_requested_at', 'text')
        .execute();
      await createIndex(db, 'station_certificates_station', 'station_certificates', [
        'station_id',
        'not_after',
      ]);
      await db.schema.alterTable('stations').addColumn('log_status', 'text').execute();
      await db.schema.alterTable('stations').addColumn('signed_firmware_status', 'text').execute();
    },
  };
}
