import { SimulatedChargingStation, type ChargingStationOptions } from '../../src/index.js';
import { closeAfterTest, startAccepted, stopAfterTest, TEST_TIMINGS } from './cleanup.js';
import { TestCsmsV2 } from './csms-v2.js';

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
  const csms = closeAfterTest(
    await TestCsmsV2.start((idToken) => (idToken === 'BLOCKED' ? 'Blocked' : 'Accepted')),
  );
  counter += 1;
  const cs = stopAfterTest(
    new SimulatedChargingStation({
      id: `V2SIM${counter}`,
      url: csms.url,
      protocol,
      meterIntervalMs: 1000,
      ...TEST_TIMINGS,
      ...options,
    }),
  );
  await startAccepted(cs);
  return { csms, cs };
}

/** Resolves once `check` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
