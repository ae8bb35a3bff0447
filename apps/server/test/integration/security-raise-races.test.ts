import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { argon2Hasher, type PasswordHasher } from '../../src/services/password-hasher.js';
import { DIALECTS } from '../support/databases.js';
import { eventually } from '../support/ocpp-client.js';
import { ROOT_INSTALLED, SecurityApp, waitFor, type Answers } from '../support/security-app.js';
import { storedSecurityProfiles } from '../support/security-station.js';

/** Hashes as argon2 does, but waits while held: a PATCH with a password then stops between its read and its write. */
class HeldHasher implements PasswordHasher {
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  entered = 0;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  async hash(password: string): Promise<string> {
    this.entered += 1;
    await this.gate;
    return argon2Hasher.hash(password);
  }

  verify(hash: string, password: string): Promise<boolean> {
    return argon2Hasher.verify(hash, password);
  }
}

/** The station's answers to ChangeConfiguration, each held until the test gives it. */
interface HeldAnswer {
  params: Record<string, unknown>;
  give(answer: { status: string }): void;
}

describe.each(DIALECTS)('security profile raises that race, on %s', (dialect) => {
  const security = new SecurityApp();
  const hasher = new HeldHasher();
  let handle: DatabaseHandle;
  beforeAll(() => security.start(dialect, {}, { hasher }), 60_000);
  afterAll(() => security.close());
  // After hooks run last first: the test's own connection closes before the server does.
  beforeAll(() => void (handle = openDatabase(loadConfig({ DATABASE_URL: security.databaseUrl }).database)));
  afterAll(() => handle?.close());
  const api = (method: string, path: string, body?: unknown) => security.api(method, path, body);
  const row = (chargePointId: string) => storedSecurityProfiles(handle, chargePointId);

  it('keeps a raise stored while a PATCH that does not name the profile was under way', async () => {
    const password = await security.station('RACE-A', 1);
    const answers: Answers = {
      GetInstalledCertificateIds: () => ROOT_INSTALLED,
      ChangeConfiguration: () => ({ status: 'Accepted' }),
      Reset: () => ({ status: 'Accepted' }),
    };
    const station = await security.connect('RACE-A', { password }, answers);
    hasher.hold();
    const entered = hasher.entered;
    // Reads the station at profile 1, then waits in the hash of its new password.
    const renamed = api('PATCH', '/api/stations/RACE-A', {
      name: 'renamed',
      ocppPassword: 'race-a-new-password-0123456789ab',
    });
    try {
      await eventually(() => hasher.entered > entered);
      const raised = await api('PATCH', '/api/stations/RACE-A', { securityProfile: 2 });
      expect(raised.status, raised.text).toBe(200);
      expect(raised.body.securityProfile).toBe(2);
    } finally {
      hasher.release();
    }
    const answered = await renamed;
    expect(answered.status, answered.text).toBe(200);
    expect(answered.body).toMatchObject({ name: 'renamed', securityProfile: 2 });
    expect(await row('RACE-A')).toEqual({ security_profile: 2, pending_security_profile: null });
    await station.close();
  });

  it('refuses a second raise while one is in progress, and a failed raise clears only its own pending profile', async () => {
    const password = await security.station('RACE-B', 1);
    const answers: Answers = {
      GetInstalledCertificateIds: () => ROOT_INSTALLED,
      Reset: () => ({ status: 'Accepted' }),
    };
    const station = await security.connect('RACE-B', { password }, answers);
    // A certificate of our CA, which a raise to 3 needs.
    const { csr } = security.pki.csr('race-b', '/CN=RACE-B');
    const signed = waitFor(answers, 'CertificateSigned', { status: 'Accepted' });
    expect(await station.call('SignCertificate', { csr })).toEqual({ status: 'Accepted' });
    await signed;

    const held: HeldAnswer[] = [];
    let holding = true;
    answers.ChangeConfiguration = (params) =>
      holding ? new Promise((resolve) => held.push({ params, give: resolve })) : { status: 'Rejected' };
    // Two raises at once: one asks the station, the other is refused without asking it.
    const first = api('PATCH', '/api/stations/RACE-B', { securityProfile: 2 });
    const second = api('PATCH', '/api/stations/RACE-B', { securityProfile: 2 });
    await eventually(() => held.length === 1);
    holding = false;
    const refused = await Promise.race([first, second]);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/RACE-B to security profile 2: a raise is in progress/),
    });
    expect(held).toHaveLength(1);
    expect(await row('RACE-B')).toEqual({ security_profile: 1, pending_security_profile: 2 });
    // A raise that comes while the station holds the first one's ChangeConfiguration is refused
    // at once: it asks the station nothing, so it does not wait behind that call.
    const late = await api('PATCH', '/api/stations/RACE-B', { securityProfile: 3 });
    expect(late.status, late.text).toBe(409);
    expect(late.body.error?.message).toMatch(/RACE-B to security profile 3: a raise is in progress/);
    expect(held).toHaveLength(1);

    // The operator drops the raise in progress, and another raise takes the pending profile (the
    // server sends a station one call at a time, so a raise from this test would wait for the first
    // one's answer: it is written as the claim of a raise to 3 would write it).
    const dropped = await api('PATCH', '/api/stations/RACE-B', { securityProfile: 1 });
    expect(dropped.status, dropped.text).toBe(200);
    await handle.db
      .updateTable('stations')
      .set({ pending_security_profile: 3 })
      .where('charge_point_id', '=', 'RACE-B')
      .execute();

    // The first raise fails now: the pending profile of the other stays.
    held[0]?.give({ status: 'Rejected' });
    const failed = await first.then(async (answer) => (answer === refused ? second : answer));
    expect(failed.body.error?.code, failed.text).toBe('PROFILE_CHANGE_REFUSED');
    expect(await row('RACE-B')).toEqual({ security_profile: 1, pending_security_profile: 3 });

    // Once that one is dropped too, a raise goes through.
    expect((await api('PATCH', '/api/stations/RACE-B', { securityProfile: 1 })).status).toBe(200);
    answers.ChangeConfiguration = () => ({ status: 'Accepted' });
    const raised = await api('PATCH', '/api/stations/RACE-B', { securityProfile: 3 });
    expect(raised.status, raised.text).toBe(200);
    expect(await row('RACE-B')).toEqual({ security_profile: 3, pending_security_profile: null });
    await station.close();
    // About 2 s alone; a full parallel run once took the file from 4 s to 54 s and this test past 30 s.
  }, 90_000);
});
