import type { LoadRepository, SiteSession } from '../repositories/load.repository.js';

/** CONTRACT section 9: a station's kW per connector while neither configured nor measured. */
export const DEFAULT_STATION_KW = 22;

/**
 * What the load manager knows of the power sessions draw, from the meter values of the stations
 * this node holds: the last power each transaction reported, and the highest each station ever
 * drew (read once from the database, then kept up from events).
 */
export class MeasuredPower {
  /** Last power reported per transaction, kW. */
  private readonly byTransaction = new Map<number, number>();
  /** Highest power measured per station, kW. */
  private readonly stationPeakKw = new Map<string, number>();

  constructor(private readonly loads: Pick<LoadRepository, 'highestPowerKw'>) {}

  /** A meter value reported `powerKw` at the station (for a transaction, when it names one). */
  reported(chargePointId: string, transactionId: number | null, powerKw: number): void {
    if (transactionId !== null) this.byTransaction.set(transactionId, powerKw);
    const peak = this.stationPeakKw.get(chargePointId) ?? 0;
    if (powerKw > peak) this.stationPeakKw.set(chargePointId, powerKw);
  }

  /** Forgets a transaction that ended. */
  ended(transactionId: number): void {
    this.byTransaction.delete(transactionId);
  }

  /** The power the transaction last reported, kW; null when it reported none. */
  of(transactionId: number): number | null {
    return this.byTransaction.get(transactionId) ?? null;
  }

  /** Each session's station maximum: configured, else the highest measured, else 22 kW. */
  async stationMaxima(sessions: readonly SiteSession[]): Promise<(s: SiteSession) => number> {
    const unknown = sessions
      .filter((s) => s.stationMaxKw === null && !this.stationPeakKw.has(s.chargePointId))
      .map((s) => s.chargePointId);
    for (const [chargePointId, kw] of await this.loads.highestPowerKw([...new Set(unknown)])) {
      this.stationPeakKw.set(chargePointId, Math.max(kw, this.stationPeakKw.get(chargePointId) ?? 0));
    }
    return (s) => s.stationMaxKw ?? this.stationPeakKw.get(s.chargePointId) ?? DEFAULT_STATION_KW;
  }
}
