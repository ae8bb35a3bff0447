/**
 * The shapes stations are written in, and how their rows read back as the domain's Station with
 * its connectors. StationRepository holds the queries.
 */
import type { OcppVersion } from '@cimorings/contracts';
import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { ConnectorsTable, Database, StationsTable } from '../db/schema.js';
import type { SecurityProfile } from '../domain/security-profile.js';
import type { BootIdentity, NotificationKind, Registration, Station } from '../domain/station.js';
import type { StationStatus } from '../domain/station-status.js';

export interface NewStation {
  chargePointId: string;
  name: string;
  /** Absent or null: at no site. */
  siteId?: number | null;
  maxPowerKw?: number | null;
  location: string | null;
  ocppPasswordHash: string | null;
  securityProfile: SecurityProfile;
  registration: Registration;
  now: string;
}

/** What a BootNotification records of its station (OCPP 1.6 §4.2, 2.x B01). */
export interface BootRecord {
  identity: BootIdentity;
  /** The WebSocket subprotocol the station connected with. */
  protocol: string;
  ocppVersion: OcppVersion;
  now: string;
}

/** What recording a boot reads back of the station in the same statement. */
export interface BootedStation {
  registration: Registration;
  /** Null: at no site. */
  siteId: number | null;
  /** Whether charging profiles are kept for it (sent again at each boot). */
  keepsProfiles: boolean;
}

export interface StationChanges {
  name?: string;
  siteId?: number | null;
  maxPowerKw?: number | null;
  location?: string | null;
  ocppPasswordHash?: string | null;
  securityProfile?: SecurityProfile;
  /** The profile a raise is moving the station to; null: none. */
  pendingSecurityProfile?: SecurityProfile | null;
  registration?: Registration;
  now: string;
}

/** What the OCPP upgrade needs to decide on a connection. */
export interface StationCredentials {
  id: number;
  registration: Registration;
  passwordHash: string | null;
  securityProfile: SecurityProfile;
  /** The profile a raise is moving it to, also admitted until stored; null: none. */
  pendingSecurityProfile: SecurityProfile | null;
}

/** `null`: every station; a list: only these charge point ids. */
export type StationScope = readonly string[] | null;

/** Which stations a list shows. */
export interface StationFilter {
  scope: StationScope;
  registration?: Registration;
  status?: string;
  /** Part of the charge point id or name, in any case. */
  search?: string;
  siteId?: number;
}

/** Where each kind of notification's last status is kept. */
export const NOTIFICATION_COLUMNS = {
  diagnostics: 'diagnostics_status',
  firmware: 'firmware_status',
  log: 'log_status',
  signedFirmware: 'signed_firmware_status',
} as const satisfies Record<NotificationKind, string>;

/** The stations query narrowed to the filter's stations. */
export function filterStations<O>(
  stations: SelectQueryBuilder<Database, 'stations', O>,
  filter: StationFilter,
): SelectQueryBuilder<Database, 'stations', O> {
  let query = stations;
  if (filter.scope !== null) query = query.where('charge_point_id', 'in', [...filter.scope]);
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
  return query;
}

/** What admission reads of a station (see toCredentials). */
export const CREDENTIAL_COLUMNS = [
  'id',
  'registration',
  'ocpp_password_hash',
  'security_profile',
  'pending_security_profile',
] as const;

export function toCredentials(
  row: Pick<
    Selectable<StationsTable>,
    'id' | 'registration' | 'ocpp_password_hash' | 'security_profile' | 'pending_security_profile'
  >,
): StationCredentials {
  return {
    id: row.id,
    registration: row.registration as Registration,
    passwordHash: row.ocpp_password_hash,
    securityProfile: row.security_profile as SecurityProfile,
    pendingSecurityProfile: row.pending_security_profile as SecurityProfile | null,
  };
}

/** The station of a row found (or written), with its connectors; `undefined` when there was none. */
export async function withConnectorsOf(
  db: Kysely<Database>,
  row: Selectable<StationsTable> | undefined,
): Promise<Station | undefined> {
  if (!row) return undefined;
  const [station] = await withConnectors(db, [row]);
  return station;
}

/** The stations of `rows` with their connectors, read in one more query. */
export async function withConnectors(
  db: Kysely<Database>,
  rows: Selectable<StationsTable>[],
): Promise<Station[]> {
  if (rows.length === 0) return [];
  const connectors = await db
    .selectFrom('connectors')
    .selectAll()
    .where(
      'station_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('connector_id')
    .execute();
  return rows.map((row) =>
    toStation(
      row,
      connectors.filter((c) => c.station_id === row.id),
    ),
  );
}

/** A station row and its connector rows as the domain's Station. */
function toStation(row: Selectable<StationsTable>, connectors: Selectable<ConnectorsTable>[]): Station {
  return {
    id: row.id,
    chargePointId: row.charge_point_id,
    name: row.name,
    siteId: row.site_id,
    maxPowerKw: row.max_power_kw,
    location: row.location,
    registration: row.registration as Registration,
    status: row.status as StationStatus,
    connected: row.connected === 1,
    hasOcppPassword: row.ocpp_password_hash !== null,
    securityProfile: row.security_profile as SecurityProfile,
    ocppVersion: row.ocpp_version as OcppVersion,
    vendor: row.vendor,
    model: row.model,
    serialNumber: row.serial_number,
    chargeBoxSerialNumber: row.charge_box_serial_number,
    firmwareVersion: row.firmware_version,
    iccid: row.iccid,
    imsi: row.imsi,
    meterType: row.meter_type,
    meterSerialNumber: row.meter_serial_number,
    lastBootAt: row.last_boot_at,
    lastHeartbeat: row.last_heartbeat,
    lastSeenAt: row.last_seen_at,
    diagnosticsStatus: row.diagnostics_status,
    firmwareStatus: row.firmware_status,
    logStatus: row.log_status,
    signedFirmwareStatus: row.signed_firmware_status,
    localListVersion: row.local_list_version,
    localListSentAt: row.local_list_sent_at,
    clockSkewSeconds: row.clock_skew_seconds,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    connectors: connectors.map((c) => ({
      connectorId: c.connector_id,
      status: c.status,
      errorCode: c.error_code,
      info: c.info,
      vendorId: c.vendor_id,
      vendorErrorCode: c.vendor_error_code,
      timestamp: c.status_at ?? c.updated_at,
    })),
  };
}

/** The row of a new station, not yet connected. */
export function newStationRow(station: NewStation) {
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

/** The columns a BootNotification sets in its station's row. */
export function bootColumns({ identity, protocol, ocppVersion, now }: BootRecord) {
  return {
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
  };
}
