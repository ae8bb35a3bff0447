import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SecurityProfile } from '../domain/security-profile.js';

/**
 * The pending security profile of a raise (stations.pending_security_profile), taken and given
 * back by compare-and-set, so that raises of one station, on any node, exclude one another.
 */
export class PendingProfileRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Makes `target` the pending profile, only while the stored profile is still `from` and no
   * raise is pending (a pending profile at or below the stored one is stale: it admits nothing).
   * @returns whether this raise took it
   */
  async claim(
    chargePointId: string,
    from: SecurityProfile,
    target: SecurityProfile,
    now: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('stations')
      .set({ pending_security_profile: target, updated_at: now })
      .where('charge_point_id', '=', chargePointId)
      .where('security_profile', '=', from)
      .where((eb) =>
        eb.or([
          eb('pending_security_profile', 'is', null),
          eb('pending_security_profile', '<=', eb.ref('security_profile')),
        ]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Ends a raise that failed: clears the pending profile only while it is still this raise's. */
  async release(chargePointId: string, target: SecurityProfile, now: string): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({ pending_security_profile: null, updated_at: now })
      .where('charge_point_id', '=', chargePointId)
      .where('pending_security_profile', '=', target)
      .execute();
  }
}
