import { afterEach, expect } from 'vitest';
import { SimulatedChargingStation, type ChargingStationOptions } from '../../src/index.js';
import { TestCsmsV2 } from './csms-v2.js';

const running: SimulatedChargingStation[] = [];
const servers: TestCsmsV2[] = [];
let counter = 0;

/** A self-signed test root (EC P-256, valid until 2126), for the certificate messages. */
export const TEST_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBujCCAWGgAwIBAgIUdfAayK2+tjXwcIdW0XfUxbr4OZ8wCgYIKoZIzj0EAwIw
MjEcMBoGA1UEAwwTQ0lNT1JJTkdTIFRlc3QgUm9vdDESMBAGA1UECgwJQ0lNT1JJ
TkdTMCAXDTI2MTEzMDEzMTc0MloYDzIxMjYxMTA2MTMxNzQyWjAyMRwwGgYDVQQD
DBNDSU1PUklOR1MgVGVzdCBSb290MRIwEAYDVQQKDAlDSU1PUklOR1MwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQGbh3H8Cf0rFB/nk6PKjcmi9Wyw71/I3plXRQS
5+9evrKcKUT0HMoPdfn1jx0LnoSFAP0YEw3CTj9wLjCr4hpIo1MwUTAdBgNVHQ4E
FgQUoagFw3kVYmyhD/WplRjRVYGFd3UwHwYDVR0jBBgwFoAUoagFw3kVYmyhD/Wp
lRjRVYGFd3UwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiB04NoC
/xzo/XCJiCra/y+Q44+tjafjNGhQ3Rc3OBbmXAIgTdcNpeF9kePXG7hwXEGVPJ9q
FJtlqgbY76cub+2Y9ao=
-----END CERTIFICATE-----
`;

/**
 * A 2.x test CSMS and a station it accepted, with test-sized timings: 1 s TransactionEvent
 * samples (the device model counts whole seconds), a 360 kW charger on a 1 kWh battery.
 */
export async function acceptedV2Station(
  protocol: ChargingStationOptions['protocol'],
  options: Partial<ChargingStationOptions> = {},
): Promise<{ csms: TestCsmsV2; cs: SimulatedChargingStation }> {
  const csms = await TestCsmsV2.start((idToken) => (idToken === 'BLOCKED' ? 'Blocked' : 'Accepted'));
  servers.push(csms);
  counter += 1;
  const cs = new SimulatedChargingStation({
    id: `V2SIM${counter}`,
    url: csms.url,
    protocol,
    meterIntervalMs: 1000,
    powerKw: 360,
    batteryCapacityKwh: 1,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200, jitter: 0 },
    bootRetryMs: 100,
    callTimeoutMs: 2000,
    fileTransferStepMs: 10,
    ...options,
  });
  running.push(cs);
  const accepted = cs.waitFor('accepted');
  await cs.start();
  await accepted;
  return { csms, cs };
}

afterEach(async () => {
  const violations = servers.flatMap((s) => s.violations);
  await Promise.all(running.splice(0).map((cs) => cs.stop({ stopSessions: false })));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  // Every message either side sent must have passed the official schemas of the version spoken.
  expect(violations).toEqual([]);
});

/** Resolves once `check` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
