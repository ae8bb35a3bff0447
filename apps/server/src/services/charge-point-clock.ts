import { readChargePointTime, type ReadTime } from '../domain/charge-point-time.js';
import { isoTime, type Clock } from '../domain/clock.js';

/** Where how far a station's clock is off is kept. */
export interface ClockSkewStore {
  recordClockSkew(stationId: number, skewSeconds: number, now: string): Promise<void>;
}

/**
 * The clock of the OCPP services: the server's time, and the one reading of the timestamps a
 * charge point sends (readChargePointTime), which records on the station how far its clock was
 * off whenever one of them is replaced by the receipt time.
 */
export class ChargePointClock implements Clock {
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
    const skewed = [...times].reverse().find((time) => time.skewSeconds !== null);
    if (skewed?.skewSeconds != null) {
      await this.stations.recordClockSkew(stationId, skewed.skewSeconds, isoTime(receivedAt));
    }
    return times;
  }
}
