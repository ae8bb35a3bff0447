import { afterEach, expect } from 'vitest';
import type { ChargePointOptions } from '../../src/index.js';

/**
 * Test-sized timings every simulated station gets, whatever its protocol: a 360 kW charger on a
 * 1 kWh battery (energy and SoC visibly rise within a few samples), 20 ms first reconnect delay,
 * quick boot retries, call timeouts and file transfer steps.
 */
export const TEST_TIMINGS = {
  powerKw: 360,
  batteryCapacityKwh: 1,
  reconnect: { initialDelayMs: 20, maxDelayMs: 200, jitter: 0 },
  bootRetryMs: 100,
  callTimeoutMs: 2000,
  fileTransferStepMs: 10,
} satisfies Partial<ChargePointOptions>;

interface Station {
  start(): Promise<void>;
  stop(options: { stopSessions: false }): Promise<void>;
  waitFor(event: 'accepted'): Promise<unknown>;
}

interface Server {
  readonly violations: readonly string[];
  close(): Promise<void>;
}

const running: Station[] = [];
const servers: Server[] = [];

/** Stops `station` after the test (without ending its sessions). */
export function stopAfterTest<S extends Station>(station: S): S {
  running.push(station);
  return station;
}

/** Closes `server` after the test, and fails the test if it saw a schema violation. */
export function closeAfterTest<C extends Server>(server: C): C {
  servers.push(server);
  return server;
}

/** Starts `station` and resolves once its central system accepted it. */
export async function startAccepted(station: Station): Promise<void> {
  const accepted = station.waitFor('accepted');
  await station.start();
  await accepted;
}

afterEach(async () => {
  const violations = servers.flatMap((s) => s.violations);
  await Promise.all(running.splice(0).map((station) => station.stop({ stopSessions: false })));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  // Every message either side sent must have passed the official schemas of the version spoken.
  expect(violations).toEqual([]);
});
