import type { Transaction } from '../domain/transaction.js';
import { CHARGED_STATES, type EnergyMarks, type TransactionEventInput } from '../domain/transaction-event.js';
import type { StoredSample } from '../repositories/meter-value.repository.js';
import type {
  EventSummary,
  TransactionEventRepository,
} from '../repositories/transaction-event.repository.js';
import type { TransactionRepository } from '../repositories/transaction.repository.js';
import type { ChargePointSession } from './charge-point.service.js';
import type { RunningTransactions, RunningTransaction } from './running-transactions.js';
import type { TransactionAnnouncer } from './transaction-announcer.js';

/** A TransactionEvent as the server read it: its time, energy registers and timed samples. */
export interface ReadEvent {
  timestamp: string;
  marks: EnergyMarks;
  readings: StoredSample[][];
  /** The receipt time. */
  now: string;
}

/**
 * The short way of a running 2.x transaction's periodic TransactionEvent Updated: the event and
 * its samples go to the database by group commit with the others of the same turn (as 1.6
 * MeterValues), without reading the transaction and its events back, from what the full way
 * (TransactionEventRecorder) read last (see RunningTransactions).
 */
export class PeriodicTransactionEvents {
  constructor(
    private readonly running: RunningTransactions,
    private readonly events: TransactionEventRepository,
    private readonly transactions: TransactionRepository,
    private readonly announcer: TransactionAnnouncer,
  ) {}

  /** An Ended event: its transaction takes the full way and is not remembered after it. */
  ending(session: ChargePointSession, ocppTransactionId: string): void {
    this.running.ending(session, ocppTransactionId);
  }

  /** The station's connection closed: what it told of running transactions is forgotten. */
  connectionClosed(session: ChargePointSession): void {
    this.running.connectionClosed(session);
  }

  /** The running transaction of the event when the event may take the short way. */
  find(
    session: ChargePointSession,
    input: TransactionEventInput,
    marks: EnergyMarks,
  ): RunningTransaction | undefined {
    const running = this.running.find(session, input.ocppTransactionId);
    return running && takesShortWay(running, input, marks) ? running : undefined;
  }

  /** Remembers what the full way read of a transaction while it runs, forgets it once it ended. */
  keep(session: ChargePointSession, transaction: Transaction, summary: EventSummary): void {
    if (transaction.stoppedAt === null && summary.lastSeqNo !== null) {
      this.running.remember({
        session,
        transaction,
        lastSeqNo: summary.lastSeqNo,
        meterStart: summary.meterStart === null ? null : summary.meterStartIsBegin ? 'begin' : 'first',
        charged: summary.charged,
      });
    } else {
      this.running.forget(transaction.transactionId);
    }
  }

  /**
   * The short way: the event and its samples stored together with the others of the turn, then
   * the same realtime events as the full way. Both writes skip what is kept already, so that a
   * retry after a failure between them completes what the first attempt left.
   */
  async record(
    session: ChargePointSession,
    running: RunningTransaction,
    input: TransactionEventInput,
    event: ReadEvent,
  ): Promise<void> {
    const { transaction } = running;
    // A write that failed half way, or an event already stored: the next one takes the full way,
    // which reads back what is stored.
    const forget = () => this.running.forget(transaction.transactionId);
    const state = input.chargingState;
    const charged = running.charged || (state !== undefined && CHARGED_STATES.includes(state));
    // A charging state told again (a station's periodic events) changes nothing of its connector.
    const unchanged =
      state === undefined ||
      this.announcer.chargingStateUnchanged(session, transaction, state, charged, event.timestamp);
    const [fresh] = await Promise.all([
      this.events.recordOfKnown(
        session.stationId,
        transaction.transactionId,
        input,
        event.timestamp,
        event.marks,
        event.now,
      ),
      this.transactions.addMeterValues(
        session.stationId,
        transaction.connectorId,
        transaction.transactionId,
        event.readings.flat(),
        event.now,
      ),
    ]).catch((error: unknown) => {
      forget();
      throw error;
    });
    if (!fresh) return forget();
    running.lastSeqNo = input.seqNo;
    running.charged = charged;
    this.announcer.readings(session, transaction, event.readings);
    if (!unchanged) await this.announcer.chargingState(session, transaction, state, charged, event.timestamp);
  }
}

/**
 * Whether an event of a running transaction, from the connection that saw its events so far, may
 * take the short way: a later Updated event (seqNo order), without a token to decide on, that
 * moves neither the transaction's connector nor its meterStart.
 */
function takesShortWay(
  running: RunningTransaction,
  input: TransactionEventInput,
  marks: EnergyMarks,
): boolean {
  const { transaction } = running;
  if (input.eventType !== 'Updated' || input.seqNo <= running.lastSeqNo || input.idTag !== undefined)
    return false;
  if (transaction.stoppedAt !== null) return false;
  if (transaction.connectorId === 0 && input.connectorId !== undefined) return false;
  // The first Transaction.Begin register, else the first reading, is meterStart.
  if (marks.begin !== null && running.meterStart !== 'begin') return false;
  return !(running.meterStart === null && marks.first !== null);
}
