import type { TransactionStatus } from '@cimorings/contracts';
import type { AuthorizationStatus } from './id-tag.js';
import type { MeterReading } from './meter.js';
import { isPlausibleRegister } from './ocpp-ranges.js';

export type { TransactionStatus } from '@cimorings/contracts';

export interface Transaction {
  transactionId: number;
  chargePointId: string;
  connectorId: number;
  /** Null for a 2.x transaction started without an id token (cable first) until one arrives. */
  idTag: string | null;
  /** A 2.x station's own transaction id; null for OCPP 1.6, whose transaction id is ours. */
  ocppTransactionId: string | null;
  reservationId: number | null;
  status: TransactionStatus;
  /** Wh; null only for an older row holding what no meter can show (see registerOrNull). */
  meterStart: number | null;
  /** Wh; null while active. */
  meterStop: number | null;
  /** The charge point's own timestamps. */
  startedAt: string;
  stoppedAt: string | null;
  stopReason: string | null;
  /** meterStop − meterStart in Wh, never negative (see energyDelivered); null while active. */
  energyDelivered: number | null;
  /** stoppedAt − startedAt in whole seconds; null while active. */
  durationSeconds: number | null;
  /** The operator who closed it for a silent station (null when the station stopped it). */
  closedBy: number | null;
  /** When an operator closed it, server time; null when the station stopped it. */
  closedAt: string | null;
  /** The idTagInfo.status its StartTransaction was answered with (see isRefusedStart). */
  authorizationStatus: AuthorizationStatus;
}

/** A transaction a charge point reports it has started. */
export interface TransactionStart {
  connectorId: number;
  idTag: string;
  /** The energy register at the start, Wh. */
  meterStart: number;
  /** The charge point's own time of the start, as it sent it. */
  timestamp: string;
  /** The reservation the charge point says the transaction uses. */
  reservationId?: number;
}

/** A transaction a charge point reports it has stopped. */
export interface TransactionStop {
  transactionId: number;
  /** The energy register at the stop, Wh. */
  meterStop: number;
  /** The charge point's own time of the stop, as it sent it. */
  timestamp: string;
  /** The tag that ended it, when one did. */
  idTag?: string;
  /** Why it stopped; none sent means a local stop. */
  reason?: string;
  /** The meter readings the charge point reports with the stop (none when it sent none). */
  readings: readonly MeterReading[];
  /**
   * The same readings exactly as the charge point sent them, undefined when it sent none: a stop
   * of a transaction nobody knows keeps them verbatim for an operator to read.
   */
  readingsAsSent?: unknown;
}

/**
 * Whether a StartTransaction answered with this status is refused. OCPP 1.6 §4.8 (and the
 * StopTransactionOnInvalidId key, §9.1) asks for a transactionId in every answer, because the
 * charge point has started already: it then stops the transaction itself (reason DeAuthorized)
 * or, when configured so, goes on. A refused transaction is stored, never active, so that it
 * never counts for ConcurrentTx (a rogue station could otherwise lock any card), and its
 * StopTransaction, whenever it comes, is recorded in it.
 */
export function isRefusedStart(status: AuthorizationStatus): boolean {
  return status !== 'Accepted';
}

export { TRANSACTION_SORTS, type TransactionSort } from '@cimorings/contracts';
export type SortOrder = 'asc' | 'desc';

/** Whole seconds from start to stop, never negative (charge point clocks can jump). */
export function durationSeconds(startedAt: string, stoppedAt: string | null): number | null {
  if (stoppedAt === null) return null;
  return Math.max(0, Math.floor((Date.parse(stoppedAt) - Date.parse(startedAt)) / 1000));
}

/**
 * A stored energy register as the API shows it. New readings are checked on the way in
 * (ocpp-ranges.ts); rows written before that may hold Infinity, NaN or −1.7e308, which JSON
 * cannot carry and no meter shows: those read as null (unknown) instead of failing the answer.
 */
export function registerOrNull(wh: number | null): number | null {
  return isPlausibleRegister(wh) ? wh : null;
}

/**
 * Wh delivered between two registers: null while there is no stop or when either register is
 * unknown; 0 when the meter went backwards (replaced or reset during the session), since what
 * was delivered then cannot be told and a negative figure would corrupt every sum.
 * The SQL twin used for sorting and totals is ENERGY_DELIVERED_SQL (transaction-query.ts).
 */
export function energyDelivered(meterStart: number | null, meterStop: number | null): number | null {
  if (!isPlausibleRegister(meterStart) || !isPlausibleRegister(meterStop)) return null;
  return Math.max(0, meterStop - meterStart);
}

/**
 * The meterStop of a transaction an operator closes: the highest plausible register it
 * reported, never below meterStart; null when neither is known.
 */
export function closingMeterStop(meterStart: number | null, highestRegister: number | null): number | null {
  const start = registerOrNull(meterStart);
  const highest = registerOrNull(highestRegister);
  if (start === null) return highest;
  return Math.max(start, highest ?? start);
}

export interface MeterValue {
  timestamp: string;
  measurand: string;
  /** In `unit`; null only for an older row holding a value that is not a finite number. */
  value: number | null;
  unit: string | null;
  phase: string | null;
  location: string | null;
  context: string | null;
}
