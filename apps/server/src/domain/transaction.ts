export type TransactionStatus = 'active' | 'completed';

export interface Transaction {
  transactionId: number;
  chargePointId: string;
  connectorId: number;
  idTag: string;
  reservationId: number | null;
  status: TransactionStatus;
  /** Wh. */
  meterStart: number;
  /** Wh. */
  meterStop: number | null;
  /** The charge point's own timestamps. */
  startedAt: string;
  stoppedAt: string | null;
  stopReason: string | null;
  /** meterStop − meterStart in Wh; null while active. */
  energyDelivered: number | null;
  /** stoppedAt − startedAt in whole seconds; null while active. */
  durationSeconds: number | null;
  /** The operator who closed it for a silent station (null when the station stopped it). */
  closedBy: number | null;
  /** When an operator closed it, server time; null when the station stopped it. */
  closedAt: string | null;
}

/** How a transaction list is ordered; nulls (a transaction still running) come last. */
export const TRANSACTION_SORTS = ['startedAt', 'stoppedAt', 'energyDelivered'] as const;
export type TransactionSort = (typeof TRANSACTION_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** Whole seconds from start to stop, never negative (charge point clocks can jump). */
export function durationSeconds(startedAt: string, stoppedAt: string | null): number | null {
  if (stoppedAt === null) return null;
  return Math.max(0, Math.floor((Date.parse(stoppedAt) - Date.parse(startedAt)) / 1000));
}

export interface MeterValue {
  timestamp: string;
  measurand: string;
  value: number;
  unit: string | null;
  phase: string | null;
  location: string | null;
  context: string | null;
}
