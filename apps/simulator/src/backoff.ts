import type { ReconnectOptions } from './options.js';

/**
 * Exponential backoff with jitter. The jitter matters for load tests: when a central system
 * restarts, thousands of simulated stations must not all knock again in the same millisecond.
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: Required<ReconnectOptions>) {}

  /** The delay before the next attempt, in milliseconds; each call grows the following one. */
  next(): number {
    const { initialDelayMs, maxDelayMs, factor, jitter } = this.options;
    const base = Math.min(maxDelayMs, initialDelayMs * factor ** this.attempt);
    this.attempt += 1;
    const spread = base * jitter * (Math.random() * 2 - 1);
    return Math.max(0, Math.round(Math.min(maxDelayMs, base + spread)));
  }

  /** Starts again from the initial delay, after a connection succeeded. */
  reset(): void {
    this.attempt = 0;
  }
}
