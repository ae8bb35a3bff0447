import type { Clock, Timers } from '../../src/domain/clock.js';

/**
 * One simulated clock for the server and the simulated stations of a test, running `rate`
 * times faster than real time from `startMs`: timers wait `ms / rate` real milliseconds, so
 * that ten simulated minutes pass in half a minute at 20×. What passes in real time (network,
 * database) takes `rate` times longer in simulated time.
 */
export class SimulatedTime implements Timers {
  private readonly realStart = performance.now();

  constructor(
    readonly rate: number,
    private readonly startMs = Date.now(),
  ) {}

  /** The simulated present, ms since the epoch. */
  now(): number {
    return this.startMs + (performance.now() - this.realStart) * this.rate;
  }

  /** The server's view of it. */
  readonly clock: Clock = { now: () => new Date(this.now()) };

  setTimeout(callback: () => void, ms: number): NodeJS.Timeout {
    return setTimeout(callback, ms / this.rate);
  }

  setInterval(callback: () => void, ms: number): NodeJS.Timeout {
    return setInterval(callback, ms / this.rate);
  }

  clearTimeout(timer: NodeJS.Timeout | undefined): void {
    clearTimeout(timer);
  }

  clearInterval(timer: NodeJS.Timeout | undefined): void {
    clearInterval(timer);
  }

  /** Resolves after `ms` of simulated time. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }
}
