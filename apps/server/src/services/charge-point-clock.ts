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
    const skew = [...times].reverse().find((time) => time.skewSeconds !== null)?.skewSeconds;
    if (skew !== undefined && skew !== null) {
      await this.stations.recordClockSkew(stationId, skew, isoTime(receivedAt));
    }
    return times;
  }
}
