import type { OcppVersion } from '@cimorings/contracts';
import type { Kysely } from 'kysely';
import { BatchWriter } from '../db/batch-writer.js';
import { BulkInsert } from '../db/bulk-insert.js';
import type { Database } from '../db/schema.js';
import type { SecurityProfile } from '../domain/security-profile.js';
import type { BootIdentity, Connector, NotificationKind, Registration, Station } from '../domain/station.js';
import type { StationStatus } from '../domain/station-status.js';
import { countOf, type Page, type PageRequest } from './paging.js';
import {
  withConnectors,
  type NewStation,
  type StationChanges,
  type StationCredentials,
  type StationScope,
} from './station-rows.js';

type Db = Kysely<Database>;

/** Where each kind of notification's last status is kept. */
const NOTIFICATION_COLUMNS = {
  diagnostics: 'diagnostics_status',
  firmware: 'firmware_status',
  log: 'log_status',
  signedFirmware: 'signed_firmware_status',
} as const satisfies Record<NotificationKind, string>;

export type { NewStation, StationChanges, StationCredentials, StationScope } from './station-rows.js';

const CREDENTIAL_COLUMNS = ['id', 'registration', 'ocpp_password_hash', 'security_profile'] as const;

function toCredentials(row: {
  id: number;
  registration: string;
  ocpp_password_hash: string | null;
  security_profile: number;
}): StationCredentials {
  return {
    id: row.id,
    registration: row.registration as Registration,
    passwordHash: row.ocpp_password_hash,
    securityProfile: row.security_profile as SecurityProfile,
  };
}

/** The row of a new station, not yet connected. */
function newStationRow(station: NewStation) {
  return {
    charge_point_id: station.chargePointId,
    name: station.name,
    site_id: station.siteId ?? null,
    max_power_kw: station.maxPowerKw ?? null,
    location: station.location,
    ocpp_password_hash: station.ocppPasswordHash,
    security_profile: station.securityProfile,
    registration: station.registration,
    status: 'Unavailable',
    connected: 0,
    created_at: station.now,
    updated_at: station.now,
  };
}

/** The columns of a connector as storeConnector() flattens them, in this order. */
const CONNECTOR_COLUMNS = [
  'station_id',
  'connector_id',
  'status',
  'error_code',
  'info',
  'vendor_id',
  'vendor_error_code',
  'status_at',
  'updated_at',
] as const;

/** Stations and their connectors. Queries only. */
export class StationRepository {
  /** Connector statuses by group commit (storeConnector). */
  private readonly connectors: BatchWriter<unknown>;

  constructor(private readonly db: Db) {
    const upsert = new BulkInsert(
      db,
      'connectors',
      CONNECTOR_COLUMNS,
      false,
      [],
      ['station_id', 'connector_id'],
    );
    this.connectors = new BatchWriter(async (values) => {
      await upsert.insertValues(values);
    });
  }

  /**
   * What upsertConnector does, by group commit with the connectors of the same turn (see
   * BatchWriter): for a status told again, as a 2.x station's periodic TransactionEvent does.
   * One call per connector at a time (a statement may not name a connector twice).
   */
  storeConnector(stationId: number, connector: Connector, now: string): Promise<void> {
    return this.connectors.add([
      stationId,
      connector.connectorId,
      connector.status,
      connector.errorCode,
      connector.info,
      connector.vendorId,
      connector.vendorErrorCode,
      connector.timestamp,
      now,
    ]);
  }

  /** Writes the connector statuses still pending; call before closing the database. */
  flush(): Promise<void> {
    return this.connectors.close();
  }

  async findCredentials(chargePointId: string): Promise<StationCredentials | undefined> {
    const row = await this.db
      .selectFrom('stations')
      .select(CREDENTIAL_COLUMNS)
      .where('charge_point_id', '=', chargePointId)
      .executeTakeFirst();
    return row && toCredentials(row);
  }

  /**
   * Stores a new station as create() does, answering its credentials in the same round trip
   * (for a charge point registering itself at its boot); undefined when the id is taken.
   */
  async createCredentials(station: NewStation): Promise<StationCredentials | undefined> {
    const row = await this.db
      .insertInto('stations')
      .values(newStationRow(station))
      .onConflict((oc) => oc.column('charge_point_id').doNothing())
      .returning(CREDENTIAL_COLUMNS)
      .executeTakeFirst();
    return row && toCredentials(row);
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
    if (!row) return undefined;
    const [station] = await withConnectors(this.db, [row]);
    return station;
  }

  async list(
    page: PageRequest,
    filter: {
      scope: StationScope;
      registration?: Registration;
      status?: string;
      search?: string;
      siteId?: number;
    },
  ): Promise<Page<Station>> {
    let query = this.db.selectFrom('stations');
    if (filter.scope !== null) {
      if (filter.scope.length === 0) return { items: [], total: 0 };
      query = query.where('charge_point_id', 'in', [...filter.scope]);
    }
    if (filter.registration) query = query.where('registration', '=', filter.registration);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.siteId !== undefined) query = query.where('site_id', '=', filter.siteId);
    if (filter.search) {
      const like = `%${filter.search.toLowerCase()}%`;
      query = query.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['charge_point_id']), 'like', like),
          eb(eb.fn('lower', ['name']), 'like', like),
        ]),
      );
    }
    const rows = await query
      .selectAll()
      .orderBy('charge_point_id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { items: await withConnectors(this.db, rows), total: await countOf(query) };
  }

  /** Creates the station; `undefined` when the charge point id is taken. */
  async create(station: NewStation): Promise<Station | undefined> {
    const row = await this.db
      .insertInto('stations')
      .values(newStationRow(station))
      .onConflict((oc) => oc.column('charge_point_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    const [created] = await withConnectors(this.db, [row]);
    return created;
  }

  async update(chargePointId: string, changes: StationChanges): Promise<Station | undefined> {
    const row = await this.db
      .updateTable('stations')
      .set({
        updated_at: changes.now,
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.siteId !== undefined && { site_id: changes.siteId }),
        ...(changes.maxPowerKw !== undefined && { max_power_kw: changes.maxPowerKw }),
        ...(changes.location !== undefined && { location: changes.location }),
        ...(changes.ocppPasswordHash !== undefined && { ocpp_password_hash: changes.ocppPasswordHash }),
        ...(changes.registration !== undefined && { registration: changes.registration }),
        ...(changes.securityProfile !== undefined && { security_profile: changes.securityProfile }),
      })
      .where('charge_point_id', '=', chargePointId)
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    const [station] = await withConnectors(this.db, [row]);
    return station;
  }

  async siteExists(siteId: number): Promise<boolean> {
    const row = await this.db.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
    return row !== undefined;
  }

  /** Records the local authorization list a station accepted, and when its tags were read. */
  async setLocalList(stationId: number, version: number, sentAt: string): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({ local_list_version: version, local_list_sent_at: sentAt })
      .where('id', '=', stationId)
      .execute();
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

  async recordBoot(
    stationId: number,
    identity: BootIdentity,
    protocol: string,
    ocppVersion: OcppVersion,
    now: string,
  ): Promise<Registration | undefined> {
    const row = await this.db
      .updateTable('stations')
      .set({
        vendor: identity.vendor,
        model: identity.model,
        serial_number: identity.serialNumber,
        charge_box_serial_number: identity.chargeBoxSerialNumber,
        firmware_version: identity.firmwareVersion,
        iccid: identity.iccid,
        imsi: identity.imsi,
        meter_type: identity.meterType,
        meter_serial_number: identity.meterSerialNumber,
        ocpp_protocol: protocol,
        ocpp_version: ocppVersion,
        last_boot_at: now,
        last_seen_at: now,
        // The station sets its clock from BootNotification.conf's currentTime (OCPP 1.6 §4.2).
        clock_skew_seconds: null,
        updated_at: now,
      })
      .where('id', '=', stationId)
      .returning('registration')
      .executeTakeFirst();
    return row?.registration as Registration | undefined;
  }

  /** How far the station's clock was off (s, ahead positive) when a timestamp of it was replaced. */
  async recordClockSkew(stationId: number, skewSeconds: number, now: string): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({ clock_skew_seconds: skewSeconds, updated_at: now })
      .where('id', '=', stationId)
      .execute();
  }

  async setConnection(
    stationId: number,
    connected: boolean,
    status: StationStatus,
    now: string,
    /** The protocol of the connection that opened, when one did. */
    ocppVersion?: OcppVersion,
  ): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({
        connected: connected ? 1 : 0,
        status,
        last_seen_at: now,
        updated_at: now,
        ...(ocppVersion === undefined ? {} : { ocpp_version: ocppVersion }),
      })
      .where('id', '=', stationId)
      .execute();
  }

  async setStatus(stationId: number, status: StationStatus, now: string): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({ status, updated_at: now })
      .where('id', '=', stationId)
      .execute();
  }

  async touch(stationId: number, now: string, heartbeat: boolean): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({ last_seen_at: now, ...(heartbeat && { last_heartbeat: now }) })
      .where('id', '=', stationId)
      .execute();
  }

  async setNotificationStatus(
    stationId: number,
    kind: NotificationKind,
    status: string,
    now: string,
  ): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({ [NOTIFICATION_COLUMNS[kind]]: status, updated_at: now })
      .where('id', '=', stationId)
      .execute();
  }

  /** Marks every station disconnected: at start, no socket of a previous process is alive. */
  /** The charge point ids of the stations recorded as connected. */
  async connectedIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('stations')
      .select('charge_point_id')
      .where('connected', '=', 1)
      .execute();
    return rows.map((row) => row.charge_point_id);
  }

  async markAllDisconnected(now: string): Promise<void> {
    await this.db
      .updateTable('stations')
      .set({ connected: 0, status: 'Unavailable', updated_at: now })
      .where('connected', '=', 1)
      .execute();
  }

  async upsertConnector(stationId: number, connector: Connector, now: string): Promise<void> {
    const values = {
      status: connector.status,
      error_code: connector.errorCode,
      info: connector.info,
      vendor_id: connector.vendorId,
      vendor_error_code: connector.vendorErrorCode,
      status_at: connector.timestamp,
      updated_at: now,
    };
    await this.db
      .insertInto('connectors')
      .values({ station_id: stationId, connector_id: connector.connectorId, ...values })
      .onConflict((oc) => oc.columns(['station_id', 'connector_id']).doUpdateSet(values))
      .execute();
  }

  async connectorStatuses(stationId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('connectors')
      .select('status')
      .where('station_id', '=', stationId)
      .execute();
    return rows.map((row) => row.status);
  }
}
