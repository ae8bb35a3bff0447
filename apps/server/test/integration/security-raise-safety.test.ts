import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { eventually, upgradeStatus } from '../support/ocpp-client.js';
import { ROOT_INSTALLED, SecurityApp, waitFor, type Answers } from '../support/security-app.js';
import { storedSecurityProfiles } from '../support/security-station.js';

/**
 * Makes the database itself refuse any write of `stations.security_profile` (a trigger), as a
 * full disk or a lost privilege would, while every other write goes on.
 */
async function refuseProfileWrites(handle: DatabaseHandle): Promise<void> {
  if (handle.dialect === 'sqlite') {
    await sql`CREATE TRIGGER refuse_profile BEFORE UPDATE OF security_profile ON stations
      BEGIN SELECT RAISE(ABORT, 'security_profile is read-only (test fault)'); END`.execute(handle.db);
    return;
  }
  await sql`CREATE FUNCTION refuse_profile() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'security_profile is read-only (test fault)'; END $$`.execute(handle.db);
  await sql`CREATE TRIGGER refuse_profile BEFORE UPDATE OF security_profile ON stations
      FOR EACH ROW EXECUTE FUNCTION refuse_profile()`.execute(handle.db);
}

async function allowProfileWrites(handle: DatabaseHandle): Promise<void> {
  await sql`DROP TRIGGER refuse_profile${sql.raw(handle.dialect === 'postgres' ? ' ON stations' : '')}`.execute(
    handle.db,
  );
}

describe.each(DIALECTS)('a security profile raise that cannot be stored, on %s', (dialect) => {
  const security = new SecurityApp();
  let handle: DatabaseHandle;
  beforeAll(async () => {
    await security.start(dialect);
    handle = openDatabase(loadConfig({ DATABASE_URL: security.databaseUrl }).database);
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    await security.close();
  });
  const api = (method: string, path: string, body?: unknown) => security.api(method, path, body);
  const storedProfiles = (chargePointId: string) => storedSecurityProfiles(handle, chargePointId);

  it('refuses a 1.6 raise to 2 or 3 while the station has no CentralSystemRootCertificate', async () => {
    const password = await security.station('SAFE-ROOT', 1);
    const answers: Answers = {};
    const station = await security.connect('SAFE-ROOT', { password }, answers);
    const asked = waitFor(answers, 'GetInstalledCertificateIds', { status: 'NotFound' });
    const refused = await api('PATCH', '/api/stations/SAFE-ROOT', { securityProfile: 2 });
    expect(await asked).toEqual({ certificateType: 'CentralSystemRootCertificate' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        /no CSMS root certificate installed.*POST \/api\/stations\/SAFE-ROOT\/commands\/InstallCertificate with certificateType CentralSystemRootCertificate/,
      ),
    });
    // Nothing else was sent (the test station answers nothing else), nothing stored, one event.
    expect((await api('GET', '/api/stations/SAFE-ROOT')).body.securityProfile).toBe(1);
    expect((await security.events('SAFE-ROOT')).body.items).toEqual([
      expect.objectContaining({ type: 'SecurityProfileRaiseRefused', source: 'server' }),
    ]);
    await station.close();
  });

  it('keeps the accepted profile pending, admits both meanwhile, and stores it at the first connection with it', async () => {
    const password = await security.station('SAFE-3', 2);
    const answers: Answers = {};
    const station = await security.connect('SAFE-3', { password }, answers);
    // A certificate of our CA, as TC_074_CSMS gets one.
    const { csr, key } = security.pki.csr('safe-3', '/CN=SAFE-3');
    const signed = waitFor(answers, 'CertificateSigned', { status: 'Accepted' });
    expect(await station.call('SignCertificate', { csr })).toEqual({ status: 'Accepted' });
    const { certificateChain } = (await signed) as { certificateChain: string };
    const certificate = { cert: certificateChain, key };

    answers.GetInstalledCertificateIds = () => ROOT_INSTALLED;
    const change = waitFor(answers, 'ChangeConfiguration', { status: 'Accepted' });
    let resets = 0;
    answers.Reset = () => {
      resets += 1;
      return { status: 'Accepted' };
    };
    await refuseProfileWrites(handle);
    try {
      const raised = await api('PATCH', '/api/stations/SAFE-3', { securityProfile: 3 });
      expect(await change).toEqual({ key: 'SecurityProfile', value: '3' });
      expect(raised.status).toBe(503);
      expect(raised.body.error).toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
        message: expect.stringMatching(
          /accepted security profile 3, but storing it failed: it stays pending/,
        ),
      });
      expect(resets).toBe(0);
      expect((await api('GET', '/api/stations/SAFE-3')).body.securityProfile).toBe(2);
      await station.close();
      await eventually(async () => (await api('GET', '/api/stations/SAFE-3')).body.connected === false);

      // The station took profile 3: its certificate without a password opens it, although 2 is
      // stored (and the database still refuses to store 3); the old way still does too.
      const atThree = await security.connect('SAFE-3', { cert: certificate });
      await atThree.close();
      await eventually(async () => (await api('GET', '/api/stations/SAFE-3')).body.connected === false);
      const atTwo = await security.connect('SAFE-3', { password });
      await atTwo.close();
      expect((await api('GET', '/api/stations/SAFE-3')).body.securityProfile).toBe(2);
    } finally {
      await allowProfileWrites(handle);
    }

    // Once the database takes writes again, the first connection at 3 stores it, and ends the transition.
    await eventually(async () => (await api('GET', '/api/stations/SAFE-3')).body.connected === false);
    const stored = await security.connect('SAFE-3', { cert: certificate });
    expect((await api('GET', '/api/stations/SAFE-3')).body.securityProfile).toBe(3);
    await stored.close();
    const auth = `Basic ${Buffer.from(`SAFE-3:${password}`).toString('base64')}`;
    expect(
      await upgradeStatus(security.wss('SAFE-3'), {
        headers: { authorization: auth },
        tls: { ca: security.serverCa.cert },
      }),
    ).toBe(401);
  }, 60_000);

  it('drops a pending profile when the operator sets the profile of the station that is offline', async () => {
    await security.station('SAFE-SET', 2);
    await handle.db
      .updateTable('stations')
      .set({ pending_security_profile: 3 })
      .where('charge_point_id', '=', 'SAFE-SET')
      .execute();
    const set = await api('PATCH', '/api/stations/SAFE-SET', { securityProfile: 2 });
    expect(set.status, set.text).toBe(200);
    expect(await storedProfiles('SAFE-SET')).toEqual({ security_profile: 2, pending_security_profile: null });
  });

  it('stores nothing pending when the station refuses the raise', async () => {
    const password = await security.station('SAFE-NO', 1);
    const answers: Answers = { GetInstalledCertificateIds: () => ROOT_INSTALLED };
    const station = await security.connect('SAFE-NO', { password }, answers);
    answers.ChangeConfiguration = () => ({ status: 'Rejected' });
    const refused = await api('PATCH', '/api/stations/SAFE-NO', { securityProfile: 2 });
    expect(refused.body.error.code).toBe('PROFILE_CHANGE_REFUSED');
    expect(await storedProfiles('SAFE-NO')).toEqual({ security_profile: 1, pending_security_profile: null });
    await station.close();
  });
});

describe.each(DIALECTS)('migration 012_pending_security_profile on %s', (dialect) => {
  it('adds an empty pending profile to the stations there are', async () => {
    const database = await createTestDatabase(dialect);
    const handle = openDatabase(loadConfig({ DATABASE_URL: database.url }).database);
    try {
      await migrateTo(handle.db, handle.dialect, '011_meter_values_plain_key');
      const now = '2026-01-01T00:00:00.000Z';
      await sql`insert into stations (charge_point_id, name, registration, status, connected, security_profile, created_at, updated_at)
        values ('OLD-2', 'OLD-2', 'accepted', 'Unavailable', 0, 2, ${now}, ${now})`.execute(handle.db);
      expect(await migrateToLatest(handle.db, handle.dialect)).toContain('012_pending_security_profile');
      expect(
        await handle.db
          .selectFrom('stations')
          .select(['security_profile', 'pending_security_profile'])
          .execute(),
      ).toEqual([{ security_profile: 2, pending_security_profile: null }]);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
