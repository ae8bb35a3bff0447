import { readChargePointTime, type ReadTime } from '../domain/charge-point-time.js';
import { isoTime, type Clock } from '../domain/clock.js';

/** Where how far a station's clock is off is kept. */
export interface ClockSkewStore {
  recordClockSkew(stationId: number, skewSeconds: number, now: string): Promise<void>;
}

/** A skew is written again when it moved by this much (s), or when the last write is this old (ms). */
const SKEW_CHANGE_SECONDS = 60;
const SKEW_REFRESH_MS = 10 * 60_000;
/** Stations whose last written skew is remembered; past this the memory starts over. */
const MAX_REMEMBERED = 10_000;

/**
 * The clock of the OCPP services: the server's time, and the one reading of the timestamps a
 * charge point sends (readChargePointTime), which records on the station how far its clock was
 * off whenever one of them is replaced by the receipt time. A station whose clock is off has every
 * timestamp replaced: its skew is written when it first shows, when it moves, and now and then
 * (another node, or a boot, may have cleared it), not once per message.
 */
export class ChargePointClock implements Clock {
  private readonly written = new Map<number, { skewSeconds: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly stations: ClockSkewStore,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /** Reads the timestamps of one message, all against the same receipt time, in order. */
  async read(
    stationId: number,
    sent: readonly (string | undefined)[],
    receivedAt: Date = this.now(),
  ): Promise<ReadTime[]> {
    const times = sent.map((time) => readChargePointTime(time, receivedAt));
    const skew = [...times].reverse().find((time) => time.skewSeconds !== null)?.skewSeconds;
    if (skew !== undefined && skew !== null && this.worthWriting(stationId, skew, receivedAt.getTime())) {
      await this.stations.recordClockSkew(stationId, skew, isoTime(receivedAt));
    }
    return times;
  }

  /** A boot clears the station's skew (it sets its clock from our answer): the next one is written. */
  booted(stationId: number): void {
    this.written.delete(stationId);
  }

  private worthWriting(stationId: number, skewSeconds: number, at: number): boolean {
    const last = this.written.get(stationId);
    if (
      last &&
      Math.abs(last.skewSeconds - skewSeconds) < SKEW_CHANGE_SECONDS &&
      at - last.at < SKEW_REFRESH_MS
    ) {
      return false;
    }
    if (this.written.size >= MAX_REMEMBERED) this.written.clear();
    this.written.set(stationId, { skewSeconds, at });
    return true;
  }
}
