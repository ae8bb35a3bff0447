import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ChargingProfile, KeptChargingProfile } from '../domain/charging-profile.js';

/** The ChargePointMaxProfile and TxDefaultProfile profiles stations accepted. Queries only. */
export class ChargingProfileRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** A station's kept profiles, by connector and stack level. */
  async list(stationId: number): Promise<KeptChargingProfile[]> {
    return this.keptWhere('station_id', stationId);
  }

  /** The kept profiles of a station by its charge point id (one statement: every boot asks). */
  async listOf(chargePointId: string): Promise<KeptChargingProfile[]> {
    return this.keptWhere('charge_point_id', chargePointId);
  }

  private async keptWhere(
    column: 'station_id' | 'charge_point_id',
    value: number | string,
  ): Promise<KeptChargingProfile[]> {
    const rows = await this.db
      .selectFrom('charging_profiles')
      .innerJoin('stations', 'stations.id', 'charging_profiles.station_id')
      .select(['charging_profiles.connector_id', 'charging_profiles.profile'])
      .where(
        column === 'station_id' ? 'charging_profiles.station_id' : 'stations.charge_point_id',
        '=',
        value,
      )
      .orderBy('charging_profiles.connector_id')
      .orderBy('charging_profiles.purpose')
      .orderBy('charging_profiles.stack_level')
      .orderBy('charging_profiles.charging_profile_id')
      .execute();
    return rows.map((row) => ({
      connectorId: row.connector_id,
      profile: JSON.parse(row.profile) as ChargingProfile,
    }));
  }

  /** Keeps `kept` in place of the profiles it replaced on the station (their chargingProfileIds). */
  async replace(stationId: number, kept: KeptChargingProfile, replaced: readonly number[], now: string) {
    await this.db.transaction().execute(async (trx) => {
      const ids = [...new Set([...replaced, kept.profile.chargingProfileId])];
      await trx
        .deleteFrom('charging_profiles')
        .where('station_id', '=', stationId)
        .where('charging_profile_id', 'in', ids)
        .execute();
      await trx
        .insertInto('charging_profiles')
        .values({
          station_id: stationId,
          charging_profile_id: kept.profile.chargingProfileId,
          connector_id: kept.connectorId,
          stack_level: kept.profile.stackLevel,
          purpose: kept.profile.chargingProfilePurpose,
          profile: JSON.stringify(kept.profile),
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
  }

  /** @returns whether the station kept that profile. */
  async delete(stationId: number, chargingProfileId: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('charging_profiles')
      .where('station_id', '=', stationId)
      .where('charging_profile_id', '=', chargingProfileId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
