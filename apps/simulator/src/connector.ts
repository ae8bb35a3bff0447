import type { v16 } from '@cimorings/ocpp';
import type { ConnectorMeter } from './meter.js';

/** A transaction running on a connector. */
export interface ActiveTransaction {
  transactionId: number;
  idTag: string;
  /** Energy register at the start, Wh. */
  meterStart: number;
  startedAt: string;
  /** The Transaction.Begin sample followed by the most recent periodic ones, for StopTransaction's transactionData. */
  samples: v16.MeterValue[];
}

/** A reservation made by ReserveNow. */
export interface Reservation {
  reservationId: number;
  idTag: string;
  parentIdTag: string | undefined;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** One connector's state. Fields are written by the bank and the session manager only. */
export class Connector {
  status: v16.ChargePointStatus = 'Available';
  errorCode: v16.ChargePointErrorCode = 'NoError';
  operative = true;
  /** Availability to apply once the running transaction ends (ChangeAvailability answered `Scheduled`). */
  scheduledOperative: boolean | undefined;
  /** A session is being started; keeps a second start off the connector until it settles. */
  starting = false;
  transaction: ActiveTransaction | undefined;
  reservation: Reservation | undefined;
  meterTimer: NodeJS.Timeout | undefined;
  reservationTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: number,
    readonly maxPowerW: number,
    readonly meter: ConnectorMeter,
  ) {}

  /** Whether a session is starting or running here. */
  get busy(): boolean {
    return this.starting || this.transaction !== undefined;
  }
}
