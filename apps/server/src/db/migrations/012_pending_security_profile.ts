import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * `stations.pending_security_profile`: the profile a connected station is being raised to
 * (CONTRACT section 8), written before the station is asked and cleared when the raised profile
 * is stored. While it is set the upgrade admits a connection at either profile, so that a
 * station that took the new profile is not locked out when storing it failed; its first
 * connection at the new profile stores it.
 */
export function pendingSecurityProfile(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('stations').addColumn('pending_security_profile', 'integer').execute();
    },
  };
}
