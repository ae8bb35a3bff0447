import type { OcppVersion } from '@cimorings/contracts';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { NO_STATION_STATUS, STATION_STATUS_RULES, type StationStatus } from '../domain/station-status.js';
import { given } from './patch.js';

/**
 * Whether a station is connected, as its row keeps it: written as its socket opens and closes
 * here, and for every station at start. StationRepository answers with these queries.
 */
export class StationConnections {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Records the station connected, its status derived from its connectors in the same statement
   * (STATION_STATUS_RULES), and answers that status; undefined for no such station.
   */
  connect(stationId: number, now: string, ocppVersion?: OcppVersion): Promise<StationStatus | undefined> {
    return this.db
      .updateTable('stations')
      .set({
        connected: 1,
        status: derivedStatus(),
        last_seen_at: now,
        updated_at: now,
        ...given({ ocpp_version: ocppVersion }),
      })
      .where('id', '=', stationId)
      .returning('status')
      .executeTakeFirst()
      .then((row) => row?.status as StationStatus | undefined);
  }

  /** Records the station disconnected, Unavailable. */
  async disconnect(stationId: number, now: string): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({ connected: 0, status: NO_STATION_STATUS, last_seen_at: now, updated_at: now })
      .where('id', '=', stationId)
      .execute();
  }

  /** The charge point ids of the stations recorded as connected. */
  async connectedIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('stations')
      .select('charge_point_id')
      .where('connected', '=', 1)
      .execute();
    return rows.map((row) => row.charge_point_id);
  }

  /** Marks every station disconnected: at start, no socket of a previous process is alive. */
  async markAllDisconnected(now: string): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({ connected: 0, status: NO_STATION_STATUS, updated_at: now })
      .where('connected', '=', 1)
      .execute();
  }
}

/** The status STATION_STATUS_RULES derive from the connectors of the station row being updated. */
function derivedStatus() {
  const whens = STATION_STATUS_RULES.map(
    ({ status, connectors }) =>
      sql`when exists (select 1 from connectors where connectors.station_id = stations.id and connectors.status in (${sql.join(connectors)})) then ${status}`,
  );
  return sql<string>`case ${sql.join(whens, sql` `)} else ${NO_STATION_STATUS} end`;
}
