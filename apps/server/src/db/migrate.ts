import type { Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import type { Dialect } from './connect.js';
import type { Database } from './schema.js';
import { initialSchema } from './migrations/001_initial.js';
import { localListsAndOperatorClose } from './migrations/002_local_lists_and_operator_close.js';
import { ocppDataRanges } from './migrations/003_ocpp_data_ranges.js';
import { idTagCreator } from './migrations/004_id_tag_creator.js';
import { securityProfiles } from './migrations/005_security_profiles.js';
import { meterValuesUnique } from './migrations/006_meter_values_unique.js';
import { ocpp2 } from './migrations/007_ocpp2.js';
import { idTagType } from './migrations/008_id_tag_type.js';
import { stationCertificates } from './migrations/009_station_certificates.js';
import { loadManagement } from './migrations/010_load_management.js';
import { meterValuesPlainKey } from './migrations/011_meter_values_plain_key.js';
import { pendingSecurityProfile } from './migrations/012_pending_security_profile.js';
import { transactionTallies } from './migrations/013_transaction_tallies.js';

/**
 * The numbered, forward-only migrations, in order. Each takes the dialect because a few column
 * definitions (identity columns) are spelled differently by SQLite and PostgreSQL.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '001_initial': initialSchema(dialect),
    '002_local_lists_and_operator_close': localListsAndOperatorClose(),
    '003_ocpp_data_ranges': ocppDataRanges(dialect),
    '004_id_tag_creator': idTagCreator(),
    '005_security_profiles': securityProfiles(dialect),
    '006_meter_values_unique': meterValuesUnique(),
    '007_ocpp2': ocpp2(dialect),
    '008_id_tag_type': idTagType(),
    '009_station_certificates': stationCertificates(dialect),
    '010_load_management': loadManagement(dialect),
    '011_meter_values_plain_key': meterValuesPlainKey(dialect),
    '012_pending_security_profile': pendingSecurityProfile(),
    '013_transaction_tallies': transactionTallies(dialect),
  };
}

/**
 * Brings the schema to the latest migration. Safe to run twice and from several nodes at once:
 * Kysely records what ran and holds a lock while it runs.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  return migrateTo(db, dialect);
}

/** Brings the schema to the named migration (the latest when unnamed): how a test builds an older schema. */
export async function migrateTo(db: Kysely<Database>, dialect: Dialect, name?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations(dialect)) },
  });
  const { error, results } = await (name === undefined
    ? migrator.migrateToLatest()
    : migrator.migrateTo(name));
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
