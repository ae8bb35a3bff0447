import type { ColumnType, Generated } from 'kysely';

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
  /** `1.6`, `2.0.1` or `2.1`: the protocol of its latest connection (migration 007). */
  ocpp_version: Generated<string>;
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
  /** The profile a raise is moving the station to (migration 012); null: none under way. */
  pending_security_profile: number | null;
  /** The last LogStatusNotification status (OCPP 1.6 security whitepaper). */
  log_status: string | null;
  /** The last SignedFirmwareStatusNotification status (OCPP 1.6 security whitepaper). */
  signed_firmware_status: string | null;
  /** kW per connector (migration 010); null: the highest measured, 22 kW while none is. */
  max_power_kw: Generated<number | null>;
  created_at: IsoTime;
  updated_at: IsoTime;
}

/** A certificate the OCPP CA signed for a station (SignCertificate), and its revocation. */
export interface StationCertificatesTable {
  id: Generated<number>;
  station_id: number;
  /** Upper-case hex, as Node's X509Certificate writes it. */
  serial_number: string;
  subject: string;
  not_before: IsoTime;
  not_after: IsoTime;
  /** SHA-256, `AB:CD:…` as Node writes it; unique. */
  fingerprint: string;
  /** PEM. */
  certificate: string;
  issued_at: IsoTime;
  revoked_at: IsoTime | null;
  /** When ExtendedTriggerMessage SignChargePointCertificate was last sent for it. */
  renewal_requested_at: IsoTime | null;
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
  /** The OCPP 2.x IdTokenEnumType (migration 007): ISO14443 unless told otherwise. */
  type: Generated<string>;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface TransactionsTable {
  /** The OCPP transactionId. */
  id: Generated<number>;
  station_id: number;
  connector_id: number;
  /** Null for a 2.x transaction started without an id token (cable first) until one arrives. */
  id_tag: string | null;
  /** A 2.x station's own transaction id; null for 1.6, where the id is ours (migration 007). */
  ocpp_transaction_id: string | null;
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
  /** The deleted tag's type, to remove it from 2.x stations' local lists (migration 008). */
  type: Generated<string>;
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
  /** -1 for a sample outside any transaction (NOT NULL since 011: the unique key is plain columns). */
  transaction_id: ColumnType<number, number | undefined, number>;
  sampled_at: IsoTime;
  measurand: string;
  /** '' for none (NOT NULL since 011), likewise location, context and unit. */
  phase: ColumnType<string, string | undefined, string>;
  location: ColumnType<string, string | undefined, string>;
  context: ColumnType<string, string | undefined, string>;
  /** The unit after conversion: Wh for energy, kW for power, Percent for SoC. */
  unit: ColumnType<string, string | undefined, string>;
  value: number;
  received_at: IsoTime;
}

/**
 * 15-minute aggregates of a transaction's meter values past METER_VALUES_RETENTION_DAYS, one row
 * per bucket and quantity (011). '' for a phase, location, context or unit the samples had none of.
 */
export interface MeterValueAggregatesTable {
  transaction_id: number;
  /** The bucket's start, on a 15-minute boundary (UTC). */
  bucket_start: IsoTime;
  measurand: string;
  phase: string;
  location: string;
  context: string;
  unit: string;
  samples: number;
  total: number;
  lowest: number;
  highest: number;
  /** The value and time of the bucket's latest sample. */
  last_value: number;
  last_at: IsoTime;
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

/** A 2.x TransactionEvent, kept once per station transaction and seqNo (migration 007). */
export interface TransactionEventsTable {
  id: Generated<number>;
  station_id: number;
  ocpp_transaction_id: string;
  /** Ours, once the transaction exists. */
  transaction_id: number | null;
  seq_no: number;
  /** Started, Updated or Ended. */
  event_type: string;
  trigger_reason: string;
  /** The station's time of the event. */
  timestamp: IsoTime;
  /** 1: sent from the station's offline queue. */
  offline: Flag;
  charging_state: string | null;
  /** idToken.idToken, when the event carries one. */
  id_token: string | null;
  /** Wh: the Transaction.Begin / Transaction.End energy register, the first and last energy reading. */
  energy_begin: number | null;
  energy_end: number | null;
  energy_first: number | null;
  energy_last: number | null;
  received_at: IsoTime;
}

/** One attribute of a 2.x station's device model, as NotifyReport (or SetVariables) told it. */
export interface StationVariablesTable {
  station_id: number;
  component: string;
  /** '' when the component has no instance. */
  component_instance: string;
  /** -1 when the component is not on an EVSE. */
  evse_id: number;
  /** -1 when not on a connector. */
  connector_id: number;
  variable: string;
  /** '' when the variable has no instance. */
  variable_instance: string;
  /** Actual, Target, MinSet or MaxSet. */
  attribute_type: string;
  value: string | null;
  /** ReadOnly, WriteOnly or ReadWrite. */
  mutability: string | null;
  data_type: string | null;
  unit: string | null;
  updated_at: IsoTime;
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
  meter_value_aggregates: MeterValueAggregatesTable;
  reservations: ReservationsTable;
  ocpp_messages: OcppMessagesTable;
  commands: CommandsTable;
  security_events: SecurityEventsTable;
  transaction_events: TransactionEventsTable;
  station_variables: StationVariablesTable;
  station_certificates: StationCertificatesTable;
  charging_profiles: ChargingProfilesTable;
  load_allocations: LoadAllocationsTable;
}
