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

  /** The connector's status as the transaction's latest charging state shows it. */
  async chargingState(
    session: ChargePointSession,
    transaction: Transaction,
    state: string,
    charged: boolean,
    timestamp: string,
  ): Promise<void> {
    const report = statusReport(transaction, state, charged, timestamp);
    if (report) await this.chargePoints.recordStatus(session, report);
  }

  /**
   * The connector status of a charging state told again (the one this connection stored last),
   * stored from now on, in the same turn as the event's own writes: what to await with them and
   * what to publish after them (see ChargePointService.storeStatusToldAgain). Undefined when
   * chargingState() must run instead, after the writes. `timestamp` as the clock read it.
   */
  chargingStateToldAgain(
    session: ChargePointSession,
    transaction: Transaction,
    state: string,
    charged: boolean,
    timestamp: string,
  ): { stored: Promise<void>; publish: () => void } | undefined {
    const report = statusReport(transaction, state, charged, timestamp);
    if (!report) return { stored: Promise.resolve(), publish: () => undefined };
    return this.chargePoints.storeStatusToldAgain(session, report);
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
