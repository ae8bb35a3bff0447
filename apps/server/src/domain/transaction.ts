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
