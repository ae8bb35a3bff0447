import type { OcppVersion } from '@cimorings/contracts';
import type { Kysely, Updateable } from 'kysely';
import type { Database, StationsTable } from '../db/schema.js';
import type { NotificationKind, Registration, Station } from '../domain/station.js';
import type { SecurityProfile } from '../domain/security-profile.js';
import type { StationStatus } from '../domain/station-status.js';
import { countOf, hasRow, pageOfQuery, type Page, type PageRequest } from './paging.js';
import {
  bootColumns,
  CREDENTIAL_COLUMNS,
  newStationRow,
  filterStations,
  NOTIFICATION_COLUMNS,
  toCredentials,
  withConnectors,
  withConnectorsOf,
  type BootedStation,
  type BootRecord,
  type NewStation,
  type StationFilter,
  type StationChanges,
  type StationCredentials,
} from './station-rows.js';
import { given } from './patch.js';
import { CoalescedReads } from './coalesced-reads.js';
import { StationConnections } from './station-connections.js';
import { StationRegistrations } from './station-registrations.js';

type Db = Kysely<Database>;

export type {
  BootedStation,
  BootRecord,
  NewStation,
  StationChanges,
  StationCredentials,
  StationFilter,
  StationScope,
} from './station-rows.js';

/** Stations and their connectors. Queries only. */
export class StationRepository {
  /** Every admission reads its station's credentials: those of one turn in one statement. */
  private readonly credentials = new CoalescedReads(async (chargePointIds) => {
    const rows = await this.db
      .selectFrom('stations')
      .select(['charge_point_id', ...CREDENTIAL_COLUMNS])
      .where('charge_point_id', 'in', chargePointIds)
      .execute();
    return new Map(rows.map((row) => [row.charge_point_id, toCredentials(row)]));
  });

  private readonly registrations: StationRegistrations;
  private readonly connections: StationConnections;

  constructor(private readonly db: Db) {
    this.registrations = new StationRegistrations(db);
    this.connections = new StationConnections(db);
  }

  findCredentials(chargePointId: string): Promise<StationCredentials | undefined> {
    return this.credentials.read(chargePointId);
  }

  /**
   * Stores the pending profile of a raise as the station's (it connected with it): only while
   * that raise is still the pending one.
   */
  async storePendingSecurityProfile(stationId: number, profile: SecurityProfile, now: string): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({ security_profile: profile, pending_security_profile: null, updated_at: now })
      .where('id', '=', stationId)
      .where('pending_security_profile', '=', profile)
      .execute();
  }

  /**
   * Stores a new station as create() does, answering its credentials in the same round trip
   * (for a charge point registering itself at its boot); undefined when the id is taken. With
   * `boot`, stored connected and booted, by group commit with the registrations of the same turn
   * (StationRegistrations).
   */
  createCredentials(
    station: NewStation,
    boot?: BootRecord & { status: StationStatus },
  ): Promise<StationCredentials | undefined> {
    return this.registrations.create(station, boot);
  }

  /** Writes the registrations still pending; call before closing the database. */
  flush(): Promise<void> {
    return this.registrations.flush();
  }

  /** How many stations have this registration. */
  async countRegistered(registration: Registration): Promise<number> {
    return countOf(this.db.selectFrom('stations').where('registration', '=', registration));
  }

  async find(chargePointId: string): Promise<Station | undefined> {
    const row = await this.db
      .selectFrom('stations')
      .selectAll()
      .where('charge_point_id', '=', chargePointId)
      .executeTakeFirst();
    return withConnectorsOf(this.db, row);
  }

  async list(page: PageRequest, filter: StationFilter): Promise<Page<Station>> {
    if (filter.scope?.length === 0) return { items: [], total: 0 };
    const query = filterStations(this.db.selectFrom('stations'), filter);
    return pageOfQuery(query.selectAll().orderBy('charge_point_id'), page, (rows) =>
      withConnectors(this.db, rows),
    );
  }

  /** Creates the station; `undefined` when the charge point id is taken. */
  async create(station: NewStation): Promise<Station | undefined> {
    const row = await this.db
      .insertInto('stations')
      .values(newStationRow(station))
      .onConflict((oc) => oc.column('charge_point_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    return withConnectorsOf(this.db, row);
  }

  async update(chargePointId: string, changes: StationChanges): Promise<Station | undefined> {
    const row = await this.db
      .updateTable('stations')
      .set({
        updated_at: changes.now,
        ...given({
          name: changes.name,
          site_id: changes.siteId,
          max_power_kw: changes.maxPowerKw,
          location: changes.location,
          ocpp_password_hash: changes.ocppPasswordHash,
          registration: changes.registration,
          security_profile: changes.securityProfile,
          pending_security_profile: changes.pendingSecurityProfile,
        }),
      })
      .where('charge_point_id', '=', chargePointId)
      .returningAll()
      .executeTakeFirst();
    return withConnectorsOf(this.db, row);
  }

  async siteExists(siteId: number): Promise<boolean> {
    return hasRow(this.db.selectFrom('sites').select('id').where('id', '=', siteId));
  }

  /** Records the local authorization list a station accepted, and when its tags were read. */
  async setLocalList(stationId: number, version: number, sentAt: string): Promise<void> {
    await this.setColumns(stationId, { local_list_version: version, local_list_sent_at: sentAt });
  }

  /** How many transactions run at the station (a station is not deleted while one does). */
  async countActiveTransactions(chargePointId: string): Promise<number> {
    return countOf(
      this.db
        .selectFrom('transactions')
        .innerJoin('stations', 'stations.id', 'transactions.station_id')
        .where('stations.charge_point_id', '=', chargePointId)
        .where('transactions.status', '=', 'active'),
    );
  }

  /**
   * Deletes a station with everything kept about it: its rows by reference (connectors,
   * transactions, reservations, ...) go by cascade, and its message log and command audit, kept
   * by charge point id, go with them, so that a later station with the same id (perhaps at
   * another site, seen by other users) does not show what happened at this one.
   */
  async delete(chargePointId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .deleteFrom('stations')
        .where('charge_point_id', '=', chargePointId)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      await trx.deleteFrom('ocpp_messages').where('charge_point_id', '=', chargePointId).execute();
      await trx.deleteFrom('commands').where('charge_point_id', '=', chargePointId).execute();
      return true;
    });
  }

  /**
   * Records a BootNotification in the station's row; answers its stored registration, its site
   * and whether profiles are kept for it, read in the same statement.
   */
  async recordBoot(stationId: number, boot: BootRecord): Promise<BootedStation | undefined> {
    const row = await this.db
      .updateTable('stations')
      .set(bootColumns(boot))
      .where('id', '=', stationId)
      .returning((eb) => [
        'registration',
        'site_id',
        eb
          .exists(
            eb
              .selectFrom('charging_profiles')
              .select('charging_profiles.id')
              .whereRef('charging_profiles.station_id', '=', 'stations.id'),
          )
          .as('keeps_profiles'),
      ])
      .executeTakeFirst();
    return (
      row && {
        registration: row.registration as Registration,
        siteId: row.site_id,
        keepsProfiles: Boolean(row.keeps_profiles),
      }
    );
  }

  /** How far the station's clock was off (s, ahead positive) when a timestamp of it was replaced. */
  async recordClockSkew(stationId: number, skewSeconds: number, now: string): Promise<void> {
    await this.setColumns(stationId, { clock_skew_seconds: skewSeconds, updated_at: now });
  }

  /** Records the station disconnected, Unavailable. */
  disconnect(stationId: number, now: string): Promise<void> {
    return this.connections.disconnect(stationId, now);
  }

  /**
   * Records the station connected, with the status its connectors derive, and answers that
   * status; undefined for no such station.
   */
  connect(stationId: number, now: string, ocppVersion?: OcppVersion): Promise<StationStatus | undefined> {
    return this.connections.connect(stationId, now, ocppVersion);
  }

  async setStatus(stationId: number, status: StationStatus, now: string): Promise<void> {
    await this.setColumns(stationId, { status, updated_at: now });
  }

  async touch(stationId: number, now: string, heartbeat: boolean): Promise<void> {
    await this.setColumns(stationId, { last_seen_at: now, ...(heartbeat && { last_heartbeat: now }) });
  }

  async setNotificationStatus(
    stationId: number,
    kind: NotificationKind,
    status: string,
    now: string,
  ): Promise<void> {
    await this.setColumns(stationId, { [NOTIFICATION_COLUMNS[kind]]: status, updated_at: now });
  }

  /** The charge point ids of the stations recorded as connected. */
  connectedIds(): Promise<string[]> {
    return this.connections.connectedIds();
  }

  /** Marks every station disconnected: at start, no socket of a previous process is alive. */
  markAllDisconnected(now: string): Promise<void> {
    return this.connections.markAllDisconnected(now);
  }

  /** Writes `values` into the station's row. */
  private async setColumns(stationId: number, values: Updateable<StationsTable>): Promise<void> {
    await this.db.updateTable('stations').set(values).where('id', '=', stationId).execute();
  }
}
