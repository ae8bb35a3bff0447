import { type Clock, isoTime } from '../domain/clock.js';
import type { MeterValueRetentionRepository } from '../repositories/meter-value-retention.repository.js';

export interface MeterValueRetentionSettings {
  /** Days raw meter values are kept (METER_VALUES_RETENTION_DAYS); then 15-minute aggregates. */
  retentionDays: number;
  /** Samples condensed per database transaction. */
  batchSize: number;
  /** Pause between two batches, so that a long catch-up never holds the database from ingest. */
  pauseMs: number;
  /** How often a round starts. */
  intervalMs: number;
}

export const DEFAULT_RETENTION_BATCHING = { batchSize: 500, pauseMs: 20, intervalMs: 60 * 60_000 };

/**
 * Keeps raw meter values for the retention and condenses the older ones into their
 * transaction's 15-minute aggregates, in small batches (each its own short write, with a pause
 * between) so that ingest never waits long behind it, at start and then every interval.
 */
export class MeterValueRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly samples: MeterValueRetentionRepository,
    private readonly clock: Clock,
    private readonly settings: MeterValueRetentionSettings,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    const round = () => void this.condense().catch(this.onError);
    round();
    this.timer = setInterval(round, this.settings.intervalMs);
    this.timer.unref();
  }

  /** One round: batches until the oldest samples are within the retention; answers how many were condensed. */
  condense(): Promise<number> {
    this.running ??= this.rounds().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async rounds(): Promise<number> {
    const before = isoTime(new Date(this.clock.now().getTime() - this.settings.retentionDays * 86_400_000));
    let condensed = 0;
    while (!this.stopped) {
      const taken = await this.samples.condenseOldest(before, this.settings.batchSize);
      condensed += taken;
      if (taken === 0) break;
      await new Promise((resolve) => setTimeout(resolve, this.settings.pauseMs));
    }
    return condensed;
  }
}
