import type { v201 } from '@cimorings/ocpp';
import type { V2Response } from './connection.js';
import type { EventEmitter } from 'node:events';
import type { ChargePointEventMap } from '../events.js';

/** An EVSE's connector changed status, or its status was reported again. */
export interface V2StatusEvent {
  evseId: number;
  connectorId: number;
  status: v201.ConnectorStatusEnumType;
}

/** A transaction began: its TransactionEvent Started was sent, or queued while offline. */
export interface V2TransactionStartedEvent {
  evseId: number;
  /** The station's own transaction id. */
  transactionId: string;
  /** The id token, absent for a transaction started before one was presented. */
  idToken: string | undefined;
  /** Energy register at the start, Wh. */
  meterStart: number;
  timestamp: string;
  reservationId?: number;
  remoteStartId?: number;
}

/** A transaction ended; `delivered` is false while the TransactionEvent Ended waits in the offline queue. */
export interface V2TransactionStoppedEvent {
  evseId: number;
  transactionId: string;
  /** Energy register at the end, Wh. */
  meterStop: number;
  reason: v201.ReasonEnumType;
  timestamp: string;
  delivered: boolean;
}

/** One TransactionEvent reached the CSMS (live, or from the offline queue). */
export interface V2TransactionEventEvent {
  request: v201.Request<'TransactionEvent'>;
  response: V2Response<'TransactionEvent'>;
}

/** The station sampled its meter during a transaction (TransactionEvent Updated) or for MeterValues. */
export interface V2MeterValuesEvent {
  evseId: number;
  transactionId: string | undefined;
  /** Energy register, Wh. */
  energyWh: number;
  /** Power drawn, W. */
  powerW: number;
  /** EV state of charge, percent, while an EV is charging. */
  soc: number | undefined;
  /** When the sample was taken (the simulator's time), ISO 8601. */
  timestamp: string;
}

/** All NotifyReport parts of one report request were sent. */
export interface V2ReportSentEvent {
  requestId: number;
  parts: number;
  items: number;
}

/** The station answers a request from the CSMS; emitted just before the answer is sent. */
export interface V2CommandEvent {
  action: v201.Action;
  request: unknown;
  response: unknown;
}

/** A request the station sent was refused with a CallError, timed out or could not be sent. */
export interface V2CallFailedEvent {
  action: v201.Action;
  error: Error;
}

/**
 * Everything a {@link SimulatedChargingStation} emits. Registration events are the 1.6
 * simulator's (their fields are spelled alike in 2.0.1); the rest speak 2.0.1.
 */
export interface ChargingStationEventMap extends Pick<
  ChargePointEventMap,
  'connected' | 'connectionFailed' | 'disconnected' | 'boot' | 'accepted' | 'heartbeat'
> {
  status: [V2StatusEvent];
  transactionStarted: [V2TransactionStartedEvent];
  transactionEvent: [V2TransactionEventEvent];
  transactionStopped: [V2TransactionStoppedEvent];
  meterValues: [V2MeterValuesEvent];
  reportSent: [V2ReportSentEvent];
  command: [V2CommandEvent];
  callFailed: [V2CallFailedEvent];
}

/** Emits one event; what the inner parts get instead of the whole station. */
export type V2Emit = EventEmitter<ChargingStationEventMap>['emit'];

/** How the inner parts send requests to the CSMS. */
export interface CsmsLink {
  /** True while connected and registered (BootNotification Accepted on this connection). */
  readonly accepted: boolean;
  /** Sends a request; rejects when not connected, on a CallError or on timeout. */
  call<A extends v201.Action>(action: A, request: v201.Request<A>): Promise<V2Response<A>>;
}
