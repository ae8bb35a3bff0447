import type { StationStatus } from './station-status.js';

/**
 * What happened, published on the EventBus by the services. The real-time API turns these into
 * the customer's Socket.IO events; times are ISO 8601 UTC, the charge point's own where its
 * message carries one.
 */
export type DomainEvent =
  | {
      type: 'TransactionStarted';
      chargePointId: string;
      transactionId: number;
      connectorId: number;
      idTag: string;
      /** Wh. */
      meterStart: number;
      timestamp: string;
    }
  | {
      type: 'TransactionStopped';
      chargePointId: string;
      transactionId: number;
      connectorId: number | null;
      /** Wh. */
      meterStop: number;
      reason: string;
      timestamp: string;
    }
  | { type: 'StationStatusChanged'; chargePointId: string; status: StationStatus; timestamp: string }
  | {
      type: 'ConnectorStatusChanged';
      chargePointId: string;
      connectorId: number;
      status: string;
      errorCode: string;
      timestamp: string;
    }
  | {
      type: 'MeterValuesReceived';
      chargePointId: string;
      transactionId: number | null;
      connectorId: number;
      /** Wh, the meter register. */
      energy: number | null;
      /** kW. */
      power: number | null;
      /** %. */
      soc: number | null;
      timestamp: string;
    }
  | {
      type: 'ReservationCreated';
      reservationId: number;
      chargePointId: string;
      connectorId: number;
      idTag: string;
      expiryDate: string;
      userName: string | null;
      phoneNumber: string | null;
    }
  | {
      type: 'ReservationCancelled';
      reservationId: number;
      chargePointId: string;
      connectorId: number;
      /** `User cancelled`, `Expired` or `Used` (CONTRACT section 5). */
      reason: 'User cancelled' | 'Expired' | 'Used';
    }
  | { type: 'StationConnected'; chargePointId: string; timestamp: string }
  | { type: 'StationDisconnected'; chargePointId: string; timestamp: string };

export type DomainEventType = DomainEvent['type'];
