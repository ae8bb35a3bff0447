import type { IdTagInfo } from '../domain/id-tag.js';
import { reservationToUse } from '../domain/reservation.js';
import { isRefusedStart, type Transaction } from '../domain/transaction.js';
import { refineConnectorStatus, type TransactionEventInput } from '../domain/transaction-event.js';
import type { ReservationRepository } from '../repositories/reservation.repository.js';
import type {
  EventSummary,
  TransactionEventRepository,
} from '../repositories/transaction-event.repository.js';
import type { TransactionRepository } from '../repositories/transaction.repository.js';
import type { ChargePointSession } from './charge-point.service.js';
import type { IdTokenAuthorizer, IdTokenDecision } from './id-token-authorizer.js';
import type { ReadEvent } from './periodic-transaction-events.js';
import type { TransactionAnnouncer } from './transaction-announcer.js';

/** A stop without a reason is a local one (OCPP 2.0.1: stoppedReason may be omitted only when Local). */
const DEFAULT_STOP_REASON = 'Local';

/** What the full way did with an event. */
export interface RecordedEvent {
  /** The decision on the event's idToken, when it carries one. */
  decision?: IdTokenDecision;
  /** The transaction as it stands now, with what its stored events say (none for a repeat). */
  kept?: { transaction: Transaction; summary: EventSummary };
}

/**
 * The full way of a 2.x TransactionEvent (CONTRACT section 7): the event is kept once per seqNo,
 * then the transaction and its stored events are read back; the first event of a station
 * transaction id creates the transaction, later ones (or those of the offline queue, arriving
 * late) amend it in seqNo order, an Ended event stops it.
 */
export class TransactionEventRecorder {
  constructor(
    private readonly events: TransactionEventRepository,
    private readonly transactions: TransactionRepository,
    private readonly reservations: ReservationRepository,
    private readonly authorizer: IdTokenAuthorizer,
    private readonly announcer: TransactionAnnouncer,
  ) {}

  async record(
    session: ChargePointSession,
    input: TransactionEventInput,
    event: ReadEvent,
  ): Promise<RecordedEvent> {
    const { timestamp, marks, readings, now } = event;
    const fresh = await this.events.record(session.stationId, input, timestamp, marks, now);
    if (!fresh) {
      // The same seqNo again: stored once, nothing changes; the same answer on its token. Its
      // samples are stored again (each kept once): a first attempt may have failed between the two.
      const known = await this.events.find(session.stationId, input.ocppTransactionId);
      if (known) {
        await this.transactions.addMeterValues(
          session.stationId,
          known.connectorId,
          known.transactionId,
          readings.flat(),
          now,
        );
      }
      return input.idTag === undefined ? {} : { decision: await this.authorizer.authorize(input.idTag) };
    }
    const summary = await this.events.summary(session.stationId, input.ocppTransactionId);
    const known = await this.events.find(session.stationId, input.ocppTransactionId);
    const { transaction, decision } = known
      ? { transaction: known, decision: await this.update(known, input, timestamp, summary.meterStart, now) }
      : await this.create(session, input, timestamp, summary.meterStart ?? 0, now);
    await this.events.link(session.stationId, input.ocppTransactionId, transaction.transactionId);
    await this.transactions.addMeterValues(
      session.stationId,
      transaction.connectorId,
      transaction.transactionId,
      readings.flat(),
      now,
    );
    if (input.eventType === 'Updated') this.announcer.readings(session, transaction, readings);
    const endedBefore = transaction.stoppedAt !== null;
    if (input.eventType === 'Ended') {
      await this.end(session, transaction, input, timestamp, summary.meterStop, now);
    } else if (summary.meterStop !== null && transaction.stoppedAt !== null) {
      // A late event from the offline queue of a transaction already ended.
      await this.events.amend(transaction.transactionId, { meterStop: summary.meterStop }, now);
    }
    // Only the latest charging state of a running transaction (or of its end) shows.
    if (input.chargingState !== undefined && summary.chargingStateSeqNo === input.seqNo && !endedBefore) {
      await this.announcer.chargingState(
        session,
        transaction,
        input.chargingState,
        summary.charged,
        timestamp,
      );
    }
    return { decision, kept: { transaction, summary } };
  }

  /**
   * The status a 2.x connector shows: `Occupied` refined by the charging state of the
   * transaction running on it.
   */
  async connectorStatus(session: ChargePointSession, connectorId: number, reported: string): Promise<string> {
    if (reported !== 'Occupied') return reported;
    const running = await this.events.running(session.stationId, connectorId);
    if (!running?.ocppTransactionId) return reported;
    return refineConnectorStatus(
      reported,
      await this.events.summary(session.stationId, running.ocppTransactionId),
    );
  }

  private async create(
    session: ChargePointSession,
    input: TransactionEventInput,
    timestamp: string,
    meterStart: number,
    now: string,
  ): Promise<{ transaction: Transaction; decision?: IdTokenDecision }> {
    const connectorId = input.connectorId ?? 0;
    const idTag = input.idTag ?? null;
    const tag = idTag === null ? undefined : await this.authorizer.find(idTag);
    const binding =
      idTag === null
        ? []
        : await this.reservations.binding(session.stationId, connectorId, input.reservationId, now);
    const reservation =
      idTag === null ? undefined : reservationToUse(binding, { idTag, ...input }, tag?.parentIdTag ?? null);
    const { transaction, created } = await this.events.create({
      stationId: session.stationId,
      ocppTransactionId: input.ocppTransactionId,
      connectorId,
      idTag,
      meterStart,
      startedAt: timestamp,
      reservationId: reservation?.reservationId ?? null,
      now,
    });
    let decision: IdTagInfo | undefined;
    if (idTag !== null) {
      decision = await this.authorizer.decideStart(tag, idTag, transaction.status === 'active' ? 1 : 0);
      if (decision.status === 'Accepted' && binding.length > 0 && !reservation)
        decision = { status: 'Invalid' };
    }
    if (created && decision && isRefusedStart(decision.status)) {
      await this.transactions.refuse(transaction.transactionId, decision.status, now);
      transaction.authorizationStatus = decision.status;
    } else if (created) {
      this.announcer.started(session, transaction, meterStart);
    }
    if (decision?.status === 'Accepted' && reservation) {
      const used = await this.reservations.transition(
        reservation.reservationId,
        'active',
        'used',
        now,
        transaction.transactionId,
      );
      if (used) this.announcer.reservationUsed(used);
    }
    return { transaction, ...(decision && { decision: await this.authorizer.withGroup(decision) }) };
  }

  /** What a later event (or one from the offline queue) adds to a known transaction. */
  private async update(
    transaction: Transaction,
    input: TransactionEventInput,
    timestamp: string,
    meterStart: number | null,
    now: string,
  ): Promise<IdTokenDecision | undefined> {
    const started = input.eventType === 'Started';
    const firstTag = input.idTag !== undefined && transaction.idTag === null;
    await this.events.amend(
      transaction.transactionId,
      {
        ...(firstTag && { idTag: input.idTag }),
        ...(started && timestamp < transaction.startedAt && { startedAt: timestamp }),
        ...(meterStart !== null && meterStart !== transaction.meterStart && { meterStart }),
        ...(transaction.connectorId === 0 &&
          input.connectorId !== undefined && { connectorId: input.connectorId }),
      },
      now,
    );
    if (firstTag) transaction.idTag = input.idTag ?? null;
    if (transaction.connectorId === 0 && input.connectorId !== undefined)
      transaction.connectorId = input.connectorId;
    if (input.idTag === undefined) return undefined;
    const active = transaction.status === 'active' && transaction.idTag === input.idTag ? 1 : 0;
    return this.authorizer.decideLater(input.idTag, active);
  }

  private async end(
    session: ChargePointSession,
    transaction: Transaction,
    input: TransactionEventInput,
    timestamp: string,
    meterStop: number | null,
    now: string,
  ): Promise<void> {
    const reason = input.stoppedReason ?? DEFAULT_STOP_REASON;
    const stop = meterStop ?? transaction.meterStart ?? 0;
    const stopped = await this.transactions.stop(transaction.transactionId, {
      meterStop: stop,
      stoppedAt: timestamp,
      reason,
      idTag: input.idTag ?? null,
      now,
    });
    transaction.stoppedAt = timestamp;
    // A refused transaction was never announced as started: its stop is not announced either.
    if (!stopped || isRefusedStart(transaction.authorizationStatus)) return;
    this.announcer.stopped(session, transaction, { meterStop: stop, reason, timestamp });
  }
}
