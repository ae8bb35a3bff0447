/**
 * Sites, stations and what is kept about each station: connectors, device model, certificates,
 * security events, charging profiles and load allocations.
 */
import type { Generated } from 'kysely';
import type { Flag, IsoTime } from './columns.js';

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
