/**
 * The REST shapes the dashboard reads (CONTRACT section 3, the server's OpenAPI document).
 * Times are ISO 8601 UTC strings; energy in Wh, power in kW, SoC in %.
 */
import type { StationStatusUpdatedPayload, UserView } from '@cimorings/contracts';

export type { LoginResponse, UserView } from '@cimorings/contracts';

export interface Page<T> {
  items: T[];
  total: number;
}

export type StationStatus = StationStatusUpdatedPayload['status'];

export interface Connector {
  connectorId: number;
  status: string;
  errorCode: string;
  info?: string | null;
  vendorErrorCode?: string | null;
  timestamp?: string;
}

export interface Station {
  chargePointId: string;
  name: string;
  location: string | null;
  siteId?: number | null;
  registration: 'accepted' | 'pending';
  status: StationStatus;
  errorCode?: string | null;
  connected: boolean;
  hasOcppPassword?: boolean;
  lastHeartbeat: string | null;
  lastBootAt?: string | null;
  vendor: string | null;
  model: string | null;
  serialNumber?: string | null;
  chargeBoxSerialNumber?: string | null;
  firmwareVersion: string | null;
  iccid?: string | null;
  imsi?: string | null;
  meterType?: string | null;
  meterSerialNumber?: string | null;
  connectors: Connector[];
  /** Seconds the charge point's clock was off when its times were last replaced by ours; null when fine. */
  clockSkewSeconds?: number | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface StationFilters {
  search?: string;
  status?: StationStatus | '';
  registration?: 'accepted' | 'pending' | '';
  siteId?: number | null;
}

/** What to configure on a charger (GET /api/stations/{id}/onboarding). */
export interface Onboarding {
  chargePointId: string;
  ocppUrl: string;
  /** The same URL without the identity, for chargers that take the two apart. */
  centralSystemUrl: string;
  subprotocol: string;
  passwordRequired: boolean;
  basicAuthUsername: string | null;
  /** 0 none, 1 Basic auth over ws://, 2 Basic auth over wss://. */
  securityProfile: 0 | 1 | 2;
  /** Seconds. */
  heartbeatInterval: number;
  registration: 'accepted' | 'pending';
}

/** The answer to creating a station: the station, what to configure on it, and its password once. */
export type CreatedStation = Station & {
  /** The password the server generated: shown only in this answer. `null` when one was given or none wanted. */
  ocppPassword: string | null;
  onboarding: Onboarding;
};

export interface Site {
  id: number;
  name: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** The answer of SendLocalList through POST /api/stations/{id}/local-list. */
export interface LocalListResult {
  status: string;
  updateType: string;
  listVersion: number;
  localListVersion: number | null;
  updated: number;
  removed: number;
}

/** GET /api/stats: figures over the caller's stations; energy days and months are UTC. */
export interface Stats {
  stations: { total: number; connected: number; pending: number; byStatus: Record<string, number> };
  transactions: { active: number };
  energy: { todayWh: number; monthWh: number; timezone: string; todayFrom: string; monthFrom: string };
  generatedAt: string;
}

export interface OcppMessage {
  id: number;
  direction: 'in' | 'out';
  /** 2 CALL, 3 CALLRESULT, 4 CALLERROR, 0 unreadable. */
  messageType: number;
  messageId: string;
  action: string | null;
  payload: unknown;
  timestamp: string;
}

export interface CommandAudit {
  id: number;
  action: string;
  request: unknown;
  response: unknown;
  outcome: string;
  username: string | null;
  sentAt: string;
  finishedAt: string | null;
}

export interface Transaction {
  transactionId: number;
  chargePointId: string;
  connectorId: number;
  idTag: string;
  reservationId?: number | null;
  status: 'active' | 'completed';
  /** Wh. */
  meterStart: number;
  /** Wh. */
  meterStop: number | null;
  startedAt: string;
  stoppedAt: string | null;
  stopReason: string | null;
  /** Wh, meterStop − meterStart. */
  energyDelivered: number | null;
  /** The answer to its StartTransaction: anything but Accepted is a refused start, never active. */
  authorizationStatus?: 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
}

export interface MeterValue {
  timestamp: string;
  measurand: string;
  value: number;
  unit: string | null;
  phase?: string | null;
  location?: string | null;
  context?: string | null;
}

export interface TransactionDetail extends Transaction {
  meterValues: MeterValue[];
}

export interface TransactionFilters {
  status?: 'active' | 'completed' | '';
  chargePointId?: string;
  idTag?: string;
  from?: string;
  to?: string;
}

export type ReservationStatus =
  'pending' | 'active' | 'used' | 'cancelled' | 'expired' | 'refused' | 'failed';

export interface Reservation {
  reservationId: number;
  chargePointId: string;
  connectorId: number;
  idTag: string;
  parentIdTag?: string | null;
  expiryDate: string;
  userName: string | null;
  phoneNumber: string | null;
  status: ReservationStatus;
  transactionId?: number | null;
  createdAt?: string;
}

export interface NewReservation {
  chargePointId: string;
  connectorId: number;
  idTag: string;
  expiryDate: string;
  userName?: string | null;
  phoneNumber?: string | null;
}

export type IdTagStatus = 'Accepted' | 'Blocked' | 'Expired';

export interface IdTag {
  idTag: string;
  status: IdTagStatus | string;
  expiryDate: string | null;
  parentIdTag: string | null;
  userId: number | null;
  allowConcurrent: boolean;
  createdAt?: string;
}

export interface IdTagFields {
  status?: IdTagStatus;
  expiryDate?: string | null;
  parentIdTag?: string | null;
  userId?: number | null;
  allowConcurrent?: boolean;
}

/** The report of an id tag CSV import: valid rows applied, the others listed with the reason. */
export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  /** The first 1,000 rejected rows. */
  rejected: { line: number; idTag: string | null; reason: string }[];
  /** How many rows were rejected in all. */
  rejectedCount: number;
}

export type User = UserView;

export interface NewUser {
  username: string;
  password: string;
  roles: string[];
  allowedStations?: string[] | null;
  allowedSites?: number[] | null;
  active?: boolean;
}

export interface Role {
  id: number;
  name: string;
  description: string;
  builtIn: boolean;
  permissions: string[];
}

export interface PermissionInfo {
  name: string;
  description: string;
}
