/** The time source of services, so that tests can hold time still or move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO 8601 UTC text, the one spelling of time in storage and payloads. */
export function isoTime(date: Date): string {
  return date.toISOString();
}

/** The clock's present time as ISO 8601 UTC text, as services stamp what they write. */
export function isoNow(clock: Clock): string {
  return isoTime(clock.now());
}

/**
 * Timers that run on the clock's time, so that a test can run services (and simulated stations)
 * faster than real time with one simulated clock: `ms` are milliseconds of that clock.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): NodeJS.Timeout;
  setInterval(callback: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout | undefined): void;
  clearInterval(timer: NodeJS.Timeout | undefined): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer),
  clearInterval: (timer) => clearInterval(timer),
};

/** A service's time: the clock it reads and the timers that run on it. */
export interface TimeSource {
  clock: Clock;
  timers: Timers;
}
