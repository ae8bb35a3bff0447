import { afterEach, expect } from 'vitest';
import { SimulatedChargePoint, type ChargePointOptions } from '../../src/index.js';
import { TestCsms, type TestCsmsOptions } from './csms.js';

const running: SimulatedChargePoint[] = [];
const servers: TestCsms[] = [];
let counter = 0;

/**
 * A charge point with test-sized timings: 50 ms meter samples, 20 ms first reconnect delay and
 * a 360 kW charger on a 1 kWh battery, so energy and SoC visibly rise within a few samples.
 */
export function simulator(csms: TestCsms, options: Partial<ChargePointOptions> = {}): SimulatedChargePoint {
  counter += 1;
  const chargePoint = new SimulatedChargePoint({
    id: `SIM${counter}`,
    url: csms.url,
    meterIntervalMs: 50,
    powerKw: 360,
    batteryCapacityKwh: 1,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200, jitter: 0 },
    bootRetryMs: 100,
    callTimeoutMs: 2000,
    fileTransferStepMs: 10,
    ...options,
  });
  running.push(chargePoint);
  return chargePoint;
}

/** A test central system, closed after the test. */
export async function centralSystem(options: TestCsmsOptions = {}): Promise<TestCsms> {
  const csms = await TestCsms.start(options);
  servers.push(csms);
  return csms;
}

/** A central system and a charge point it has accepted. */
export async function acceptedStation(
  options: Partial<ChargePointOptions> = {},
  csmsOptions: TestCsmsOptions = {},
): Promise<{ csms: TestCsms; cp: SimulatedChargePoint }> {
  const csms = await centralSystem(csmsOptions);
  const cp = simulator(csms, options);
  const accepted = cp.waitFor('accepted');
  await cp.start();
  await accepted;
  return { csms, cp };
}

afterEach(async () => {
  const violations = servers.flatMap((s) => s.violations);
  await Promise.all(running.splice(0).map((cp) => cp.stop({ stopSessions: false })));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  // Every message either side sent must have passed the official OCPP 1.6 schemas.
  expect(violations).toEqual([]);
});
