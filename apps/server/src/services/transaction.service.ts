import type { EventBus } from '../cluster/event-bus.js';
import type { DomainEvent } from '../domain/events.js';
import type { ReadTime } from '../domain/charge-point-time.js';
import { isoTime } from '../domain/clock.js';
import { decideIdTag, type IdTagInfo } from '../domain/id-tag.js';
import {
  normalizeSample,
  summarize,
  type MeterReport,
  type ReportedSample,
  type Sample,
} from '../domain/meter.js';
import { checkConnectorId, checkEnergyRegister, checkOcppId } from '../domain/ocpp-ranges.js';
import { reservationEnded, reservationToUse } from '../domain/reservation.js';
import { isRefusedStart, type TransactionStart, type TransactionStop } from '../domain/transaction.js';
import type { IdTagRepository } from '../repositories/id-tag.repository.js';
import type { ReservationRepository } from '../repositories/reservation.repository.js';
import type { StoredSample, TransactionRepository } from '../repositories/transaction.repository.js';
import type { ChargePointClock } from './charge-point-clock.js';
import type { ChargePointSession } from './charge-point.service.js';
import { inRange } from './range-check.js';

/** Station/transaction pairs remembered before the memory is emptied and refilled. */
const KNOWN_TRANSACTIONS = 100_000;

/** OCPP 1.6 §4.10: a StopTransaction.req without a reason means a local stop. */
const DEFAULT_STOP_REASON = 'Local';

/**
 * Authorization, the transaction lifecycle and meter values (OCPP 1.6 §4.1, §4.7, §4.8, §4.10).
 * What operators read and mend is in TransactionHistoryService.
 */
export class TransactionService {
  /** `stationId:transactionId` pairs known to exist (see transactionAtStation). */
  private readonly knownTransactions = new Set<string>();

  constructor(
    private readonly transactions: TransactionRepository,
    private readonly idTags: IdTagRepository,
    private readonly reservations: ReservationRepository,
    private readonly events: EventBus,
    private readonly clock: ChargePointClock,
  ) {}

  /**
   * `transactionId` if it is one of the station's transactions, else null. Known pairs are
   * remembered, since a transaction never moves to another station: a charge point sends many
   * MeterValues per transaction, and the look-up cost about as much as storing the samples.
   */
  private async transactionAtStation(stationId: number, transactionId: number): Promise<number | null> {
    const key = `${stationId}:${transactionId}`;
    if (this.knownTransactions.has(key)) return transactionId;
    const transaction = await this.transactions.findAtStation(stationId, transactionId);
    if (!transaction) return null;
    if (this.knownTransactions.size >= KNOWN_TRANSACTIONS) this.knownTransactions.clear();
    this.knownTransactions.add(key);
    return transactionId;
  }

  async authorize(idTag: string): Promise<IdTagInfo> {
    return decideIdTag(await this.idTags.find(idTag), this.clock.now(), 0, false);
  }

  /**
   * Records a transaction's start and answers a transaction id: always, since the charge point
   * has started already (it ends the session itself when the tag is not Accepted). A start
   * answered other than Accepted is stored refused: never active, never announced, never
   * counted for ConcurrentTx (see isRefusedStart). A retry of the same request gets the same id
   * and answer, and changes nothing.
   *
   * A connector reserved (itself, or the whole station by connector 0) admits only the
   * reservation's tag or a tag of its parent (CONTRACT section 4, OCPP 1.6 §5.13): any other
   * tag is answered Invalid. An accepted start uses the reservation.
   */
  async start(
    session: ChargePointSession,
    request: TransactionStart,
  ): Promise<{ transactionId: number; idTagInfo: IdTagInfo }> {
    inRange(() => {
      checkConnectorId(request.connectorId, 'connectorId of StartTransaction', 1);
      checkEnergyRegister(request.meterStart, 'meterStart');
      if (request.reservationId !== undefined) checkOcppId(request.reservationId, 'reservationId');
    });
    const now = this.clock.now();
    const [startTime] = await this.clock.read(session.stationId, [request.timestamp], now);
    const tag = await this.idTags.find(request.idTag);
    const binding = await this.reservations.binding(
      session.stationId,
      request.connectorId,
      request.reservationId,
      isoTime(now),
    );
    const reservation = reservationToUse(binding, request, tag?.parentIdTag ?? null);
    const { transaction, created } = await this.transactions.start({
      stationId: session.stationId,
      connectorId: request.connectorId,
      idTag: request.idTag,
      meterStart: request.meterStart,
      startedAt: startTime?.time ?? isoTime(now),
      startReportedAt: startTime?.reported ?? request.timestamp,
      // Only a reservation we know: the column refers to one.
      reservationId: reservation?.reservationId ?? null,
      now: isoTime(now),
    });
    if (!created && isRefusedStart(transaction.authorizationStatus)) {
      // A retry of a refused start: the same refusal, and nothing changes.
      return {
        transactionId: transaction.transactionId,
        idTagInfo: { status: transaction.authorizationStatus },
      };
    }
    // Counted after the insert, so that two simultaneous starts of one tag see each other.
    const othersActive =
      (await this.transactions.countActiveForTag(request.idTag)) - (transaction.status === 'active' ? 1 : 0);
    let idTagInfo = decideIdTag(tag, now, othersActive, true);
    // A retry of a start that used its reservation was answered already: the same answer again.
    const usedBefore = !created && transaction.reservationId !== null;
    if (idTagInfo.status === 'Accepted' && binding.length > 0 && !reservation && !usedBefore) {
      idTagInfo = { status: 'Invalid' };
    }
    if (created && isRefusedStart(idTagInfo.status)) {
      await this.transactions.refuse(transaction.transactionId, idTagInfo.status, isoTime(now));
    } else if (created) {
      this.events.publish({
        type: 'TransactionStarted',
        chargePointId: session.chargePointId,
        transactionId: transaction.transactionId,
        connectorId: transaction.connectorId,
        idTag: transaction.idTag,
        meterStart: request.meterStart,
        timestamp: transaction.startedAt,
      });
    }
    if (idTagInfo.status === 'Accepted' && reservation) {
      // Conditional, so that a retried StartTransaction neither uses it nor tells it twice.
      const used = await this.reservations.transition(
        reservation.reservationId,
        'active',
        'used',
        isoTime(now),
        transaction.transactionId,
      );
      if (used) this.events.publish(reservationEnded(used, 'Used'));
    }
    return { transactionId: transaction.transactionId, idTagInfo };
  }

  /**
   * Records a transaction's stop, always: for an unknown transaction id it is kept apart with its
   * readings as sent. A repeated stop of a completed transaction changes nothing.
   */
  async stop(session: ChargePointSession, request: TransactionStop): Promise<{ idTagInfo?: IdTagInfo }> {
    inRange(() => {
      checkOcppId(request.transactionId, 'transactionId');
      checkEnergyRegister(request.meterStop, 'meterStop');
    });
    // Read every sample first: one implausible value refuses the whole message, as for MeterValues.
    const entries = request.readings;
    const sampled = entries.map((entry) => readSamples(entry.samples));
    const received = this.clock.now();
    const now = isoTime(received);
    const [stopTime, ...entryTimes] = await this.clock.read(
      session.stationId,
      [request.timestamp, ...entries.map((entry) => entry.timestamp)],
      received,
    );
    const stoppedAt = stopTime?.time ?? now;
    const samples = stamped(sampled, entryTimes, now).flat();
    const reason = request.reason ?? DEFAULT_STOP_REASON;
    const transaction = await this.transactions.findAtStation(session.stationId, request.transactionId);
    if (!transaction) {
      await this.transactions.recordUnmatchedStop({
        stationId: session.stationId,
        transactionId: request.transactionId,
        idTag: request.idTag ?? null,
        meterStop: request.meterStop,
        stoppedAt,
        reason,
        transactionData: request.readingsAsSent,
        now,
      });
    } else {
      const stopped = await this.transactions.stop(transaction.transactionId, {
        meterStop: request.meterStop,
        stoppedAt,
        reason,
        idTag: request.idTag ?? null,
        now,
      });
      if (stopped) {
        await this.transactions.addMeterValues(
          session.stationId,
          transaction.connectorId,
          transaction.transactionId,
          samples,
          now,
        );
        // A refused transaction was never announced as started: its stop is not announced either.
        if (!isRefusedStart(transaction.authorizationStatus))
          this.events.publish({
            type: 'TransactionStopped',
            chargePointId: session.chargePointId,
            transactionId: transaction.transactionId,
            connectorId: transaction.connectorId,
            meterStop: request.meterStop,
            reason,
            timestamp: stoppedAt,
          });
      }
    }
    return request.idTag === undefined ? {} : { idTagInfo: await this.authorize(request.idTag) };
  }

  /** Stores a connector's meter readings sample by sample, normalized, and publishes each reading. */
  async meterValues(session: ChargePointSession, request: MeterReport): Promise<void> {
    inRange(() => {
      checkConnectorId(request.connectorId, 'connectorId of MeterValues', 0);
      if (request.transactionId !== undefined) checkOcppId(request.transactionId, 'transactionId');
    });
    // Read every sample first, so that one bad value stores nothing.
    const sampled = request.readings.map((entry) => readSamples(entry.samples));
    const received = this.clock.now();
    const times = await this.clock.read(
      session.stationId,
      request.readings.map((entry) => entry.timestamp),
      received,
    );
    const readings = stamped(sampled, times, isoTime(received));
    const transactionId =
      request.transactionId === undefined
        ? null
        : await this.transactionAtStation(session.stationId, request.transactionId);
    await this.transactions.addMeterValues(
      session.stationId,
      request.connectorId,
      transactionId,
      readings.flat(),
      isoTime(received),
    );
    for (const event of readingEvents(session.chargePointId, transactionId, request.connectorId, readings)) {
      this.events.publish(event);
    }
  }
}

/** `meter_values_updated` for each reading that tells energy, power or SoC. */
export function readingEvents(
  chargePointId: string,
  transactionId: number | null,
  connectorId: number,
  readings: readonly StoredSample[][],
): DomainEvent[] {
  return readings.flatMap((reading) => {
    const timestamp = reading[0]?.timestamp;
    const figures = summarize(reading);
    if (timestamp === undefined) return [];
    if (figures.energy === null && figures.power === null && figures.soc === null) return [];
    return [
      {
        type: 'MeterValuesReceived' as const,
        chargePointId,
        transactionId,
        connectorId,
        ...figures,
        timestamp,
      },
    ];
  });
}

/** The samples of one meter value, normalized; a value out of range refuses the message. */
export function readSamples(values: readonly ReportedSample[]): Sample[] {
  return values.flatMap((value) => {
    const sample = inRange(() => normalizeSample(value));
    return sample ? [sample] : [];
  });
}

/** Each meter value's samples with the time the server read for it (the receipt time if none). */
export function stamped(
  sampled: readonly Sample[][],
  times: readonly ReadTime[],
  received: string,
): StoredSample[][] {
  return sampled.map((samples, index) => {
    const timestamp = times[index]?.time ?? received;
    return samples.map((sample) => ({ ...sample, timestamp }));
  });
}
