import { DEFAULT_ID_TOKEN_TYPE } from '@cimorings/contracts';
import type { EventBus } from '../cluster/event-bus.js';
import { isoTime } from '../domain/clock.js';
import { decideIdTag, type IdTagInfo } from '../domain/id-tag.js';
import { checkConnectorId, checkOcppId } from '../domain/ocpp-ranges.js';
import { reservationEnded, reservationToUse } from '../domain/reservation.js';
import { isRefusedStart, type Transaction } from '../domain/transaction.js';
import {
  CHARGED_STATES,
  energyMarks,
  type EnergyMarks,
  refineConnectorStatus,
  statusOfChargingState,
  type TransactionEventInput,
} from '../domain/transaction-event.js';
import type { IdTagRepository } from '../repositories/id-tag.repository.js';
import type { ReservationRepository } from '../repositories/reservation.repository.js';
import type { TransactionEventRepository } from '../repositories/transaction-event.repository.js';
import type { TransactionRepository } from '../repositories/transaction.repository.js';
import type { ChargePointClock } from './charge-point-clock.js';
import type { ChargePointService, ChargePointSession } from './charge-point.service.js';
import { inRange } from './range-check.js';
import { RunningTransactions, type RunningTransaction } from './running-transactions.js';
import { readingEvents, readSamples, stamped } from './transaction.service.js';
import type { StoredSample } from '../repositories/meter-value.repository.js';

/** A stop without a reason is a local one (OCPP 2.0.1: stoppedReason may be omitted only when Local). */
const DEFAULT_STOP_REASON = 'Local';

/** An id tag's decision with its group's token, as a 2.x station is told it (IdTokenInfo). */
export interface IdTokenDecision extends IdTagInfo {
  group?: { idTag: string; type: string };
}

/**
 * OCPP 2.x transactions (TransactionEvent) on the same transactions, id tags, reservations and
 * events as 1.6's (CONTRACT section 7): the first event of a station transaction id creates the
 * transaction; every event is kept once per seqNo, so that repeats change nothing and events
 * from the station's offline queue, arriving late, are taken in seqNo order (meterStart from the
 * earliest reading, meterStop from the latest, the charging state of the latest event).
 *
 * A running transaction's next Updated event on the same connection, in seqNo order, changing
 * nothing of the transaction but its readings and charging state (a station's periodic meter
 * values), takes a short way: the event and its samples go to the database by group commit
 * with the others of the same turn (as 1.6 MeterValues), without reading the transaction and its
 * events back (see RunningTransactions). Everything else takes the full way.
 */
export class TransactionEventService {
  private readonly running = new RunningTransactions();

  constructor(
    private readonly events: TransactionEventRepository,
    private readonly transactions: TransactionRepository,
    private readonly idTags: IdTagRepository,
    private readonly reservations: ReservationRepository,
    private readonly chargePoints: ChargePointService,
    private readonly bus: EventBus,
    private readonly clock: ChargePointClock,
  ) {
    bus.subscribe(this.running.onEvent);
  }

  /** The station's connection closed: what it told of running transactions is forgotten. */
  connectionClosed(session: ChargePointSession): void {
    this.running.connectionClosed(session);
  }

  /** Authorize: the tag's decision and its group, without counting its transactions. */
  async authorize(idTag: string): Promise<IdTokenDecision> {
    return this.withGroup(decideIdTag(await this.idTags.find(idTag), this.clock.now(), 0, false));
  }

  /** Records one TransactionEvent; answers the decision on its idToken when it carries one. */
  async record(
    session: ChargePointSession,
    input: TransactionEventInput,
  ): Promise<{ idTokenInfo?: IdTokenDecision }> {
    inRange(() => {
      if (input.connectorId !== undefined) checkConnectorId(input.connectorId, 'evse.id', 1);
      if (input.reservationId !== undefined) checkOcppId(input.reservationId, 'reservationId');
      checkOcppId(input.seqNo, 'seqNo');
    });
    // Every sample is read first: one implausible value refuses the whole message.
    const sampled = input.readings.map((reading) => readSamples(reading.samples));
    const received = this.clock.now();
    const now = isoTime(received);
    const [eventTime, ...readingTimes] = await this.clock.read(
      session.stationId,
      [input.timestamp, ...input.readings.map((r) => r.timestamp)],
      received,
    );
    const timestamp = eventTime?.time ?? now;
    const readings = stamped(sampled, readingTimes, now);
    const marks = energyMarks(sampled.flat());
    if (input.eventType === 'Ended') this.running.ending(session, input.ocppTransactionId);
    const running = this.running.find(session, input.ocppTransactionId);
    if (running && takesShortWay(running, input, marks)) {
      await this.recordPeriodic(session, running, input, { timestamp, marks, readings, now });
      return {};
    }
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
      return input.idTag === undefined ? {} : { idTokenInfo: await this.authorize(input.idTag) };
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
    if (input.eventType === 'Updated') {
      const { chargePointId } = session;
      for (const event of readingEvents(
        chargePointId,
        transaction.transactionId,
        transaction.connectorId,
        readings,
      )) {
        this.bus.publish(event);
      }
    }
    const endedBefore = transaction.stoppedAt !== null;
    if (input.eventType === 'Ended') {
      await this.end(session, transaction, input, timestamp, summary.meterStop, now);
    } else if (summary.meterStop !== null && transaction.stoppedAt !== null) {
      // A late event from the offline queue of a transaction already ended.
      await this.events.amend(transaction.transactionId, { meterStop: summary.meterStop }, now);
    }
    // Only the latest charging state of a running transaction (or of its end) shows.
    if (input.chargingState !== undefined && summary.chargingStateSeqNo === input.seqNo && !endedBefore) {
      await this.showChargingState(session, transaction, input.chargingState, summary.charged, timestamp);
    }
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
    return decision === undefined ? {} : { idTokenInfo: decision };
  }

  /**
   * The short way (see the class): the event and its samples stored together with the others of
   * the turn, then the same realtime events as the full way. Both writes skip what is kept
   * already, so that a retry after a failure between them completes what the first attempt left.
   */
  private async recordPeriodic(
    session: ChargePointSession,
    running: RunningTransaction,
    input: TransactionEventInput,
    event: { timestamp: string; marks: EnergyMarks; readings: StoredSample[][]; now: string },
  ): Promise<void> {
    const { transaction } = running;
    // A write that failed half way, or an event already stored: the next one takes the full way,
    // which reads back what is stored.
    const forget = () => this.running.forget(transaction.transactionId);
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
    const state = input.chargingState;
    if (state !== undefined && CHARGED_STATES.includes(state)) running.charged = true;
    const { chargePointId } = session;
    for (const reading of readingEvents(
      chargePointId,
      transaction.transactionId,
      transaction.connectorId,
      event.readings,
    )) {
      this.bus.publish(reading);
    }
    if (state !== undefined) {
      await this.showChargingState(session, transaction, state, running.charged, event.timestamp);
    }
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
    const tag = idTag === null ? undefined : await this.idTags.find(idTag);
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
      const others =
        (await this.transactions.countActiveForTag(idTag)) - (transaction.status === 'active' ? 1 : 0);
      decision = decideIdTag(tag, this.clock.now(), others, true);
      if (decision.status === 'Accepted' && binding.length > 0 && !reservation)
        decision = { status: 'Invalid' };
    }
    if (created && decision && isRefusedStart(decision.status)) {
      await this.transactions.refuse(transaction.transactionId, decision.status, now);
      transaction.authorizationStatus = decision.status;
    } else if (created) {
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
    if (decision?.status === 'Accepted' && reservation)
      await this.useReservation(reservation.reservationId, transaction, now);
    return { transaction, ...(decision && { decision: await this.withGroup(decision) }) };
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
    const others = (await this.transactions.countActiveForTag(input.idTag)) - active;
    return this.withGroup(decideIdTag(await this.idTags.find(input.idTag), this.clock.now(), others, true));
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
    this.bus.publish({
      type: 'TransactionStopped',
      chargePointId: session.chargePointId,
      transactionId: transaction.transactionId,
      connectorId: transaction.connectorId,
      meterStop: stop,
      reason,
      timestamp,
    });
  }

  /** The connector's status as the transaction's latest charging state shows it. */
  private async showChargingState(
    session: ChargePointSession,
    transaction: Transaction,
    state: string,
    charged: boolean,
    timestamp: string,
  ): Promise<void> {
    const status = statusOfChargingState(state, charged);
    if (status === undefined || transaction.connectorId === 0) return;
    await this.chargePoints.recordStatus(session, {
      connectorId: transaction.connectorId,
      status,
      errorCode: 'NoError',
      info: null,
      vendorId: null,
      vendorErrorCode: null,
      timestamp,
    });
  }

  private async useReservation(reservationId: number, transaction: Transaction, now: string): Promise<void> {
    const used = await this.reservations.transition(
      reservationId,
      'active',
      'used',
      now,
      transaction.transactionId,
    );
    if (used) this.bus.publish(reservationEnded(used, 'Used'));
  }

  private async withGroup(info: IdTagInfo): Promise<IdTokenDecision> {
    if (info.parentIdTag === undefined) return info;
    const type = (await this.idTags.find(info.parentIdTag))?.type ?? DEFAULT_ID_TOKEN_TYPE;
    return { ...info, group: { idTag: info.parentIdTag, type } };
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
