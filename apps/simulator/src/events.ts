import type { v16 } from '@cimorings/ocpp';
import type { EventEmitter } from 'node:events';

/** The WebSocket opened. */
export interface ConnectedEvent {
  url: string;
}

/** A connection attempt failed; the next one follows after `retryInMs`. */
export interface ConnectionFailedEvent {
  error: Error;
  retryInMs: number;
}

/** The WebSocket closed; `willReconnect` is false after {@link SimulatedChargePoint.stop}. */
export interface DisconnectedEvent {
  code: number;
  reason: string;
  willReconnect: boolean;
}

/** A BootNotification was answered, whatever the status. */
export interface BootEvent {
  status: v16.RegistrationStatus;
  /** The interval from the answer, seconds. */
  interval: number;
}

/** The central system accepted the charge point; heartbeats run every `heartbeatIntervalS` seconds. */
export interface AcceptedEvent {
  heartbeatIntervalS: number;
}

/** A Heartbeat was answered with the central system's time. */
export interface HeartbeatEvent {
  currentTime: string;
}

/** A connector (0 = the charge point itself) changed status, or its status was reported again. */
export interface StatusEvent {
  connectorId: number;
  status: v16.ChargePointStatus;
  errorCode: v16.ChargePointErrorCode;
}

/** StartTransaction was answered with a transaction id and an accepted id tag. */
export interface TransactionStartedEvent {
  connectorId: number;
  transactionId: number;
  idTag: string;
  /** Energy register at the start, Wh. */
  meterStart: number;
  timestamp: string;
  reservationId?: number;
}

/** A transaction ended; `delivered` is false while the StopTransaction waits for a connection. */
export interface TransactionStoppedEvent {
  connectorId: number;
  transactionId: number;
  /** Energy register at the end, Wh. */
  meterStop: number;
  reason: v16.StopReason;
  timestamp: string;
  delivered: boolean;
}

/** A MeterValues request was answered. */
export interface MeterValuesEvent {
  connectorId: number;
  transactionId: number | undefined;
  /** Energy register, Wh. */
  energyWh: number;
  /** Power drawn, W. */
  powerW: number;
  /** EV state of charge, percent, when an EV is charging. */
  soc: number | undefined;
  /** When the sample was taken (the simulator's time), ISO 8601. */
  timestamp: string;
}

/** The charge point answers a request from the central system; emitted just before the answer is sent. */
export interface CommandEvent {
  action: v16.CentralSystemAction;
  request: unknown;
  response: unknown;
}

/** A request the charge point sent was refused with a CallError, timed out or could not be sent. */
export interface CallFailedEvent {
  action: v16.ChargePointAction;
  error: Error;
}

/**
 * Everything a {@link SimulatedChargePoint} emits. Tests await these with
 * `chargePoint.waitFor('transactionStarted')` or Node's `once(chargePoint, 'accepted')`.
 */
export interface ChargePointEventMap {
  connected: [ConnectedEvent];
  connectionFailed: [ConnectionFailedEvent];
  disconnected: [DisconnectedEvent];
  boot: [BootEvent];
  accepted: [AcceptedEvent];
  heartbeat: [HeartbeatEvent];
  status: [StatusEvent];
  transactionStarted: [TransactionStartedEvent];
  transactionStopped: [TransactionStoppedEvent];
  meterValues: [MeterValuesEvent];
  command: [CommandEvent];
  callFailed: [CallFailedEvent];
}

/** Emits one event of the map; what the inner parts get instead of the whole emitter. */
export type Emit = EventEmitter<ChargePointEventMap>['emit'];

/** How the inner parts send requests to the central system. */
export interface CentralSystemLink {
  /** True while connected and registered (BootNotification Accepted on this connection). */
  readonly accepted: boolean;
  /** Sends a request; rejects when not connected, on a CallError or on timeout. */
  call<A extends v16.ChargePointAction>(action: A, request: v16.Request<A>): Promise<v16.Response<A>>;
}
