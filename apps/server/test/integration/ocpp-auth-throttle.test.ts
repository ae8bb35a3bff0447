import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app.js';
import { argon2Hasher, type PasswordHasher } from '../../src/services/password-hasher.js';
import { DIALECTS } from '../support/databases.js';
import { ocppUrl, upgradeStatus } from '../support/ocpp-client.js';
import { ManualClock } from '../support/test-app.js';

/** argon2, counting the password checks it is asked for. */
class CountingHasher implements PasswordHasher {
  verifications = 0;
  hash(password: string) {
    return argon2Hasher.hash(password);
  }
  verify(stored: string, password: string) {
    this.verifications += 1;
    return argon2Hasher.verify(stored, password);
  }
}

describe.each(DIALECTS)('Basic-auth guesses on the OCPP endpoint on %s', (dialect) => {
  const hasher = new CountingHasher();
  const clock = new ManualClock();
  // Behind a trusted proxy, so that the guesses can come from addresses of each test's own.
  const app = useTestApp(dialect, { clock, hasher, env: { TRUST_PROXY: '127.0.0.1' } });

  const createStation = async (chargePointId: string, ocppPassword: string) => {
    const created = await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId, name: chargePointId, ocppPassword },
    });
    expect(created.status).toBe(201);
  };
  const upgrade = (chargePointId: string, password: string, from: string) =>
    upgradeStatus(`${ocppUrl(app.url)}/${chargePointId}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${chargePointId}:${password}`).toString('base64')}`,
        'x-forwarded-for': from,
      },
    });

  it('throttles wrong passwords per station and address before hashing them', async () => {
    await createStation('GUESSED-1', 'station-secret-1');
    const before = hasher.verifications;
    for (let i = 0; i < 5; i++) expect(await upgrade('GUESSED-1', `wrong-${i}`, '10.28.0.1')).toBe(401);
    const throttled = await Promise.all(
      Array.from({ length: 20 }, () => upgrade('GUESSED-1', 'station-secret-1', '10.28.0.1')),
    );
    expect(throttled.every((status) => status === 429)).toBe(true);
    // Only the five counted guesses were hashed; the throttled ones cost nothing.
    expect(hasher.verifications - before).toBe(5);
    // The delay is bounded: once it passed, the right password gets in.
    clock.advance(1000);
    expect(await upgrade('GUESSED-1', 'station-secret-1', '10.28.0.1')).toBe(101);
  });

  it('throttles one address guessing across stations', async () => {
    for (let s = 0; s < 5; s++) await createStation(`SPRAYED-${s}`, 'station-secret-2');
    for (let s = 0; s < 5; s++) {
      for (let i = 0; i < 4; i++) expect(await upgrade(`SPRAYED-${s}`, `wrong-${i}`, '10.28.1.1')).toBe(401);
    }
    expect(await upgrade('SPRAYED-0', 'station-secret-2', '10.28.1.1')).toBe(429);
    expect(await upgrade('SPRAYED-0', 'station-secret-2', '10.28.1.2')).toBe(101);
  });

  it('does not let guesses from other addresses keep the real station out', async () => {
    await createStation('REAL-1', 'station-secret-3');
    expect(await upgrade('REAL-1', 'station-secret-3', '10.28.2.1')).toBe(101);
    for (let i = 0; i < 60; i++) expect(await upgrade('REAL-1', `guess-${i}`, `10.28.3.${i}`)).toBe(401);
    expect(await upgrade('REAL-1', 'station-secret-3', '10.28.2.1')).toBe(101);
  });
});
