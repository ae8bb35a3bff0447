/**
 * The real-time API (CONTRACT section 5, the customer's websocket-api.md): event names,
 * payloads, rooms and acknowledgements. Every `timestamp` and `expiryDate` is ISO 8601 UTC,
 * e.g. `2026-01-11T14:30:00.000Z`.
 */
import type { StationStatus } from './lists.js';

export interface TransactionStartedPayload {
  chargePointId: string;
  transactionId: number;
  connectorId: number;
  /** Null for an OCPP 2.x transaction started without an id token (cable first). */
  idTag: string | null;
  /** Wh. */
  meterStart: number;
  timestamp: string;
}

export interface TransactionStoppedPayload {
  chargePointId: string;
  transactionId: number;
  /** Wh. */
  meterStop: number;
  /** The OCPP reason; `Local` when the charge point sent none. */
  reason: string;
  timestamp: string;
}

export interface StationStatusUpdatedPayload {
  chargePointId: string;
  status: StationStatus;
  timestamp: string;
}

export interface ConnectorStatusUpdatedPayload {
  chargePointId: string;
  connectorId: number;
  status: string;
  errorCode: string;
  timestamp: string;
}

export interface MeterValuesUpdatedPayload {
  chargePointId: string;
  transactionId: number | null;
  connectorId: number;
  /** Wh, the meter register; null when not sent. */
  energy: number | null;
  /** kW; null when not sent. */
  power: number | null;
  /** %; null when not sent. */
  soc: number | null;
  timestamp: string;
}

export interface ReservationCreatedPayload {
  reservationId: number;
  chargePointId: string;
  connectorId: number;
  idTag: string;
  expiryDate: string;
  userName: string | null;
  phoneNumber: string | null;
}

export interface ReservationCancelledPayload {
  reservationId: number;
  chargePointId: string;
  connectorId: number;
  reason: 'User cancelled' | 'Expired' | 'Used';
}

/**
 * A site's load was shared again (CONTRACT section 9, an addition to the seed's events): in room
 * `dashboard` and in the station rooms of the site's stations.
 */
export interface SiteLoadUpdatedPayload {
  siteId: number;
  /** kW in force; null without a limit. */
  limitKw: number | null;
  /** kW, the sum of the limits given. */
  allocatedKw: number;
  /** kW, the sum of the power the sessions last reported. */
  measuredKw: number;
  timestamp: string;
}

/** Server → client events. */
export interface ServerToClientEvents {
  transaction_started: (payload: TransactionStartedPayload) => void;
  transaction_stopped: (payload: TransactionStoppedPayload) => void;
  station_status_updated: (payload: StationStatusUpdatedPayload) => void;
  connector_status_updated: (payload: ConnectorStatusUpdatedPayload) => void;
  meter_values_updated: (payload: MeterValuesUpdatedPayload) => void;
  reservation_created: (payload: ReservationCreatedPayload) => void;
  reservation_cancelled: (payload: ReservationCancelledPayload) => void;
  site_load_updated: (payload: SiteLoadUpdatedPayload) => void;
}

export type RealtimeEventName = keyof ServerToClientEvents;

/** The seven events of the customer's websocket-api.md, each about one station's charge point id. */
export const CUSTOMER_REALTIME_EVENTS = [
  'transaction_started',
  'transaction_stopped',
  'station_status_updated',
  'connector_status_updated',
  'meter_values_updated',
  'reservation_created',
  'reservation_cancelled',
] as const satisfies readonly RealtimeEventName[];

/** Every server → client event: the customer's seven, then `site_load_updated` (CONTRACT section 9). */
export const REALTIME_EVENTS: readonly RealtimeEventName[] = [
  ...CUSTOMER_REALTIME_EVENTS,
  'site_load_updated',
];

/** The acknowledgement of `join_room` and `leave_room`. */
export type RoomAck = { ok: true } | { ok: false; error: RoomError };

/** Why a client event was refused. */
export type RoomError = 'INVALID_PAYLOAD' | 'UNKNOWN_ROOM' | 'FORBIDDEN' | 'RATE_LIMITED' | 'UNKNOWN_EVENT';

/** Client → server events. */
export interface ClientToServerEvents {
  join_room: (payload: { room: string }, ack?: (answer: RoomAck) => void) => void;
  leave_room: (payload: { room: string }, ack?: (answer: RoomAck) => void) => void;
}

/** The rooms a client may join: `dashboard`, `transactions`, `reservations`, `station_{chargePointId}`. */
export const FIXED_ROOMS = ['dashboard', 'transactions', 'reservations'] as const;
export type FixedRoom = (typeof FIXED_ROOMS)[number];
export const STATION_ROOM_PREFIX = 'station_';

export function stationRoom(chargePointId: string): string {
  return `${STATION_ROOM_PREFIX}${chargePointId}`;
}
