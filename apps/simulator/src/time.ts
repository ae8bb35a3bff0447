/**
 * The simulator's time: the clock its meters, sessions and charging profiles read, and the
 * timers of its periodic samples, so that a test can run stations (and the server, with the
 * same clock) faster than real time. `ms` are milliseconds of this clock.
 */
export interface SimulatorTime {
  /** The present, ms since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): NodeJS.Timeout;
  setInterval(callback: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout | undefined): void;
  clearInterval(timer: NodeJS.Timeout | undefined): void;
}

/** Real time: the system clock and Node's timers. */
export const realTime: SimulatorTime = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer),
  clearInterval: (timer) => clearInterval(timer),
};
