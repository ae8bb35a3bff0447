import { isoTime } from '../domain/clock.js';
import { checkConnectorId, checkOcppId } from '../domain/ocpp-ranges.js';
import { energyMarks, type TransactionEventInput } from '../domain/transaction-event.js';
import type { ChargePointClock } from './charge-point-clock.js';
import type { ChargePointSession } from './charge-point.service.js';
import type { IdTokenAuthorizer, IdTokenDecision } from './id-token-authorizer.js';
import type { PeriodicTransactionEvents } from './periodic-transaction-events.js';
import { inRange } from './range-check.js';
import type { TransactionEventRecorder } from './transaction-event-recorder.js';
import { readSamples, stamped } from './transaction.service.js';

export type { IdTokenDecision } from './id-token-authorizer.js';

/**
 * OCPP 2.x transactions (TransactionEvent) on the same transactions, id tags, reservations and
 * events as 1.6's (CONTRACT section 7): the first event of a station transaction id creates the
 * transaction; every event is kept once per seqNo, so that repeats change nothing and events
 * from the station's offline queue, arriving late, are taken in seqNo order (meterStart from the
 * earliest reading, meterStop from the latest, the charging state of the latest event).
 *
 * Each event is read here (ranges, samples, times), then takes one of two ways. A running
 * transaction's next Updated event on the same connection, in seqNo order, changing nothing of
 * the transaction but its readings and charging state (a station's periodic meter values), takes
 * the short way (PeriodicTransactionEvents), without reading the transaction and its events
 * back. Everything else takes the full way (TransactionEventRecorder), whose reading the short
 * way then starts from.
 */
export class TransactionEventService {
  constructor(
    private readonly clock: ChargePointClock,
    private readonly periodic: PeriodicTransactionEvents,
    private readonly recorder: TransactionEventRecorder,
    private readonly authorizer: IdTokenAuthorizer,
  ) {}

  /** The station's connection closed: what it told of running transactions is forgotten. */
  connectionClosed(session: ChargePointSession): void {
    this.periodic.connectionClosed(session);
  }

  /** Authorize: the tag's decision and its group, without counting its transactions. */
  authorize(idTag: string): Promise<IdTokenDecision> {
    return this.authorizer.authorize(idTag);
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
    if (input.eventType === 'Ended') this.periodic.ending(session, input.ocppTransactionId);
    const running = this.periodic.find(session, input, marks);
    if (running) {
      await this.periodic.record(session, running, input, { timestamp, marks, readings, now });
      return {};
    }
    const { decision, kept } = await this.recorder.record(session, input, {
      timestamp,
      marks,
      readings,
      now,
    });
    if (kept) this.periodic.keep(session, kept.transaction, kept.summary);
    return decision === undefined ? {} : { idTokenInfo: decision };
  }

  /**
   * The status a 2.x connector shows: `Occupied` refined by the charging state of the
   * transaction running on it.
   */
  connectorStatus(session: ChargePointSession, connectorId: number, reported: string): Promise<string> {
    return this.recorder.connectorStatus(session, connectorId, reported);
  }
}
