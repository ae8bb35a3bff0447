import { SimulatedChargePoint, type ChargePointOptions } from '../../src/index.js';
import { closeAfterTest, startAccepted, stopAfterTest, TEST_TIMINGS } from './cleanup.js';
import { TestCsms, type TestCsmsOptions } from './csms.js';

let counter = 0;

/**
 * A charge point with test-sized timings: 50 ms meter samples, 20 ms first reconnect delay and
 * a 360 kW charger on a 1 kWh battery, so energy and SoC visibly rise within a few samples.
 */
export function simulator(csms: TestCsms, options: Partial<ChargePointOptions> = {}): SimulatedChargePoint {
  counter += 1;
  return stopAfterTest(
    new SimulatedChargePoint({
      id: `SIM${counter}`,
      url: csms.url,
      meterIntervalMs: 50,
      ...TEST_TIMINGS,
      ...options,
    }),
  );
}

/** A test central system, closed after the test. */
export async function centralSystem(options: TestCsmsOptions = {}): Promise<TestCsms> {
  return closeAfterTest(await TestCsms.start(options));
}

/** A central system and a charge point it has accepted. */
export async function acceptedStation(
  options: Partial<ChargePointOptions> = {},
  csmsOptions: TestCsmsOptions = {},
): Promise<{ csms: TestCsms; cp: SimulatedChargePoint }> {
  const csms = await centralSystem(csmsOptions);
  const cp = simulator(csms, options);
  await startAccepted(cp);
  return { csms, cp };
}
