import { isDatabaseUnavailable } from '../errors.js';

export interface RetryLog {
  warn(details: object, message: string): void;
}

/**
 * Runs the start-up work that needs the database (migrations, seed data), retrying with a
 * growing delay while the database is unreachable or locked, so that the server answers health checks
 * and `503` meanwhile instead of dying. Any other failure is final.
 */
export class DatabaseLifecycle {
  private ready = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly log: RetryLog,
    private readonly delays = { firstMs: 500, maxMs: 10_000 },
  ) {}

  isReady(): boolean {
    return this.ready;
  }

  async start<T>(work: () => Promise<T>): Promise<T> {
    let delay = this.delays.firstMs;
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) throw new Error('stopped before the database became available');
      try {
        const result = await work();
        this.ready = true;
        return result;
      } catch (error) {
        // Locked by another program (SQLite) is as passing as unreachable.
        if (!isDatabaseUnavailable(error)) throw error;
        this.log.warn({ attempt, retryInMs: delay, err: error }, 'database unreachable, retrying');
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, delay);
      });
      delay = Math.min(delay * 2, this.delays.maxMs);
    }
  }

  stop(): void {
    this.stopped = true;
    this.ready = false;
    clearTimeout(this.timer);
    this.wake?.();
  }
}
