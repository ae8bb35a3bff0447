import type { Generated } from 'kysely';

/**
 * The database as Kysely sees it. Both dialects read back the same JavaScript types:
 * integers and 0/1 booleans as `number`, times as ISO 8601 UTC text
 * (`2026-01-11T14:30:00.000Z`, which also sorts correctly as text), energy in Wh and power in kW
 * as `number`, JSON documents as text. Ids are 64-bit (bigint on PostgreSQL, read as numbers).
 */

/** ISO 8601 UTC text, e.g. `2026-01-11T14:30:00.000Z`. */
export type IsoTime = string;
/** 0 or 1. */
export type Flag = number;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  /** 0: the user is disabled and every token of theirs is refused. */
  active: Flag;
  /** 1: limited to the stations of user_stations and user_sites; 0: every station. */
  station_scoped: Flag;
  /** Raised when the password changes or the user is disabled: older tokens stop working. */
  token_version: number;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface RolesTable {
  id: Generated<number>;
  name: string;
  description: string;
  built_in: Flag;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface PermissionsTable {
  name: string;
  description: string;
}

export interface RolePermissionsTable {
  role_id: number;
  permission: string;
}

export interface UserRolesTable {
  user_id: number;
  role_id: number;
}

/** A scoped user's stations, by charge point id (the station need not exist yet). */
export interface UserStationsTable {
  user_id: number;
  charge_point_id: string;
}

export interface UserSitesTable {
  user_id: number;
  site_id: number;
}

export interface SitesTable {
  id: Generated<number>;
  name: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  /** IANA time zone of the limit schedule (migration 010). */
  time_zone: Generated<string>;
  /** The grid limit, kW; null: none. */
  max_power_kw: number | null;
  /** The grid limit, A per phase; null: none. */
  max_current_a: number | null;
  /** 1 or 3. */
  phases: Generated<number>;
  /** Volts per phase. */
  voltage: Generated<number>;
  /** The least current a charging session gets before later arrivals are paused, A per phase. */
  min_current_a: Generated<number>;
  /** JSON text: `[{ from: "HH:MM", to: "HH:MM", maxPowerKw }]`; null: none. */
  limit_schedule: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface StationsTable {
  id: Generated<number>;
  charge_point_id: string;
  name: string;
  site_id: number | null;
  location: string | null;
  /** argon2 hash of the OCPP Basic auth password (security profile 1/2); null: none asked. */
  ocpp_password_hash: string | null;
  /** `accepted` or `pending` (an unknown charge point waiting for approval). */
  registration: string;
  /** Derived from the connectors (CONTRACT section 4). */
  status: string;
  connected: Flag;
  vendor: string | null;
  model: string | null;
  serial_number: string | null;
  charge_box_serial_number: string | null;
  firmware_version: string | null;
  iccid: string | null;
  imsi: string | null;
  meter_type: string | null;
  meter_serial_number: string | null;
  ocpp_protocol: string | null;
  last_boot_at: IsoTime | null;
  last_heartbeat: IsoTime | null;
  last_seen_at: IsoTime | null;
  diagnostics_status: string | null;
  firmware_status: string | null;
  /** The version of the local authorization list the station last accepted (SendLocalList). */
  local_list_version: number | null;
  /** When the id tag table was read for that list: later changes go in the next differential one. */
  local_list_sent_at: IsoTime | null;
  /** Station clock minus server clock (s) when a timestamp of it was last replaced; null: none since boot. */
  clock_skew_seconds: number | null;
  /** OCPP security profile 0..3 the station must connect with (CONTRACT section 8). */
  security_profile: number;
  /** kW per connector (migration 010); null: the highest measured, 22 kW while none is. */
  max_power_kw: Generated<number | null>;
  created_at: IsoTime;
  updated_at: IsoTime;
}

/** A ChargePointMaxProfile or TxDefaultProfile a station accepted (migration 010). */
export interface ChargingProfilesTable {
  id: Generated<number>;
  station_id: number;
  /** The OCPP chargingProfileId. */
  charging_profile_id: number;
  connector_id: number;
  stack_level: number;
  purpose: string;
  /** The OCPP 1.6 csChargingProfiles as JSON text. */
  profile: string;
  created_at: IsoTime;
  updated_at: IsoTime;
}

/** The limit the load manager last gave a charging session (migration 010). */
export interface LoadAllocationsTable {
  transaction_id: number;
  site_id: number;
  limit_kw: number;
  paused: Flag;
  /** `sent`, `pending` (to send again) or `refused`. */
  state: string;
  updated_at: IsoTime;
}

/** What a station reported with SecurityEventNotification, or the server recorded about it. */
export interface SecurityEventsTable {
  id: Generated<number>;
  station_id: number;
  type: string;
  timestamp: IsoTime;
  tech_info: string | null;
  /** `station` or `server`. */
  source: string;
  created_at: IsoTime;
}

export interface ConnectorsTable {
  station_id: number;
  /** 0 is the charge point itself (OCPP 1.6 §4.9). */
  connector_id: number;
  status: string;
  error_code: string;
  info: string | null;
  vendor_id: string | null;
  vendor_error_code: string | null;
  /** The charge point's own time of the status, when it sent one. */
  status_at: IsoTime | null;
  updated_at: IsoTime;
}

export interface IdTagsTable {
  id_tag: string;
  /** Accepted, Blocked or Expired. */
  status: string;
  expiry_date: IsoTime | null;
  parent_id_tag: string | null;
  user_id: number | null;
  /** The user who created the tag (migration 004); null when unknown. */
  created_by: number | null;
  /** 1: the tag may hold several active transactions at once. */
  allow_concurrent: Flag;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface TransactionsTable {
  /** The OCPP transactionId. */
  id: Generated<number>;
  station_id: number;
  connector_id: number;
  id_tag: string;
  reservation_id: number | null;
  /** `active` or `completed`. */
  status: string;
  /** Wh. */
  meter_start: number;
  /** Wh. */
  meter_stop: number | null;
  /** The charge point's own timestamps. */
  started_at: IsoTime;
  stopped_at: IsoTime | null;
  stop_reason: string | null;
  stop_id_tag: string | null;
  /** The operator who closed the transaction for a silent station; null when the station stopped it. */
  closed_by: number | null;
  /** Server time an operator closed it; set only then, and kept when that user is deleted. */
  closed_at: IsoTime | null;
  /** The idTagInfo.status StartTransaction was answered with; only `Accepted` ones are ever active. */
  authorization_status: Generated<string>;
  /** The start time as the charge point sent it (ISO when readable): recognizes a retried start. */
  start_reported_at: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
}

/** Id tags deleted, so that a differential local list can tell the station to drop them. */
export interface IdTagDeletionsTable {
  id_tag: string;
  deleted_at: IsoTime;
}

/** StopTransaction.req for a transactionId we do not know: kept, never dropped (CONTRACT section 4). */
export interface UnmatchedStopsTable {
  id: Generated<number>;
  station_id: number;
  transaction_id: number;
  id_tag: string | null;
  meter_stop: number;
  stopped_at: IsoTime;
  reason: string | null;
  /** The request's transactionData, as JSON text. */
  transaction_data: string | null;
  received_at: IsoTime;
}

export interface MeterValuesTable {
  id: Generated<number>;
  station_id: number;
  connector_id: number;
  transaction_id: number | null;
  sampled_at: IsoTime;
  measurand: string;
  phase: string | null;
  location: string | null;
  context: string | null;
  /** The unit after conversion: Wh for energy, kW for power, Percent for SoC. */
  unit: string | null;
  value: number;
  received_at: IsoTime;
}

export interface ReservationsTable {
  /** The OCPP reservationId. */
  id: Generated<number>;
  station_id: number;
  connector_id: number;
  id_tag: string;
  parent_id_tag: string | null;
  expiry_date: IsoTime;
  user_name: string | null;
  phone_number: string | null;
  /** active, used, cancelled, expired or refused. */
  status: string;
  transaction_id: number | null;
  created_by: number | null;
  created_at: IsoTime;
  updated_at: IsoTime;
}

/** Every OCPP-J frame in and out. */
export interface OcppMessagesTable {
  id: Generated<number>;
  charge_point_id: string;
  /** `in` (from the charge point) or `out`. */
  direction: string;
  /** 2 CALL, 3 CALLRESULT, 4 CALLERROR (OCPP-J §4.1.3). */
  message_type: number;
  message_id: string;
  action: string | null;
  /** The frame's payload as JSON text. */
  payload: string;
  created_at: IsoTime;
}

/** The audit trail of commands sent to charge points. */
export interface CommandsTable {
  id: Generated<number>;
  charge_point_id: string;
  action: string;
  request: string;
  response: string | null;
  /** sent, answered, call_error, timeout or offline. */
  outcome: string;
  user_id: number | null;
  created_at: IsoTime;
  finished_at: IsoTime | null;
}

export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  roles: RolesTable;
  permissions: PermissionsTable;
  role_permissions: RolePermissionsTable;
  user_roles: UserRolesTable;
  user_stations: UserStationsTable;
  user_sites: UserSitesTable;
  sites: SitesTable;
  stations: StationsTable;
  connectors: ConnectorsTable;
  id_tags: IdTagsTable;
  id_tag_deletions: IdTagDeletionsTable;
  transactions: TransactionsTable;
  unmatched_stops: UnmatchedStopsTable;
  meter_values: MeterValuesTable;
  reservations: ReservationsTable;
  ocpp_messages: OcppMessagesTable;
  commands: CommandsTable;
  security_events: SecurityEventsTable;
  charging_profiles: ChargingProfilesTable;
  load_allocations: LoadAllocationsTable;
}
