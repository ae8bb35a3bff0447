import type { EventBus } from '../cluster/event-bus.js';
import { reservationEnded } from '../domain/reservation.js';
import type { Reservation } from '../domain/reservation.js';
import type { Transaction } from '../domain/transaction.js';
import { statusOfChargingState } from '../domain/transaction-event.js';
import type { StoredSample } from '../repositories/meter-value.repository.js';
import type { ChargePointService, ChargePointSession } from './charge-point.service.js';
import { readingEvents } from './transaction.service.js';

/**
 * What others see of a 2.x station's transactions: the domain events of its start, readings,
 * stop and the reservation it used, and the connector status its charging state shows.
 */
export class TransactionAnnouncer {
  constructor(
    private readonly bus: EventBus,
    private readonly chargePoints: ChargePointService,
  ) {}

  started(session: ChargePointSession, transaction: Transaction, meterStart: number): void {
    this.bus.publish({
      type: 'TransactionStarted',
      chargePointId: session.chargePointId,
      transactionId: transaction.transactionId,
      connectorId: transaction.connectorId,
      idTag: transaction.idTag,
      meterStart,
      timestamp: transaction.startedAt,
    });
  }

  readings(session: ChargePointSession, transaction: Transaction, readings: readonly StoredSample[][]): void {
    const { chargePointId } = session;
    for (const reading of readingEvents(
      chargePointId,
      transaction.transactionId,
      transaction.connectorId,
      readings,
    )) {
      this.bus.publish(reading);
    }
  }

  stopped(
    session: ChargePointSession,
    transaction: Transaction,
    stop: { meterStop: number; reason: string; timestamp: string },
  ): void {
    this.bus.publish({
      type: 'TransactionStopped',
      chargePointId: session.chargePointId,
      transactionId: transaction.transactionId,
      connectorId: transaction.connectorId,
      ...stop,
    });
  }

  reservationUsed(reservation: Reservation): void {
    this.bus.publish(reservationEnded(reservation, 'Used'));
  }

  /**
   * The connector's status as the transaction's latest charging state shows it, stored and
   * published when it changes the connector's status: a charging state told again (each periodic
   * event of a 2.x station tells it) changes nothing, as a 1.6 station's MeterValues change nothing
   * of its connector (see chargingStateUnchanged).
   */
  async chargingState(
    session: ChargePointSession,
    transaction: Transaction,
    state: string,
    charged: boolean,
    timestamp: string,
  ): Promise<void> {
    const report = statusReport(transaction, state, charged, timestamp);
    if (report && !this.chargePoints.statusUnchanged(session, report)) {
      await this.chargePoints.recordStatus(session, report);
    }
  }

  /**
   * Whether the charging state leaves the connector's status as this connection stored it last
   * (or shows no status): then nothing is stored nor published (ChargePointService.statusUnchanged).
   */
  chargingStateUnchanged(
    session: ChargePointSession,
    transaction: Transaction,
    state: string,
    charged: boolean,
    timestamp: string,
  ): boolean {
    const report = statusReport(transaction, state, charged, timestamp);
    return report === undefined || this.chargePoints.statusUnchanged(session, report);
  }
}

/** The connector status report a charging state makes; none for a state that shows no status. */
function statusReport(transaction: Transaction, state: string, charged: boolean, timestamp: string) {
  const status = statusOfChargingState(state, charged);
  if (status === undefined || transaction.connectorId === 0) return undefined;
  return {
    connectorId: transaction.connectorId,
    status,
    errorCode: 'NoError',
    info: null,
    vendorId: null,
    vendorErrorCode: null,
    timestamp,
  };
}
