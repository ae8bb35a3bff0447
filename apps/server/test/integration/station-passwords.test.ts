import { describe, expect, it } from 'vitest';
import { parseLogLines } from '../support/log-lines.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { startTestApp } from '../support/test-app.js';
import { connectChargePoint, ocppUrl, upgradeStatus, BOOT } from '../support/ocpp-client.js';

const basic = (id: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`,
});

describe.each(DIALECTS)('station passwords on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'reject' } });

  const create = (body: Record<string, unknown>) =>
    app.request('POST', '/api/stations', { token: app.admin, body });

  it('generates a strong password for a new station and shows it once, with the onboarding values', async () => {
    const created = await create({ chargePointId: 'PW-1', name: 'Generated' });
    expect(created.status, created.text).toBe(201);
    const password = created.body.ocppPassword as string;
    // 24 random bytes in base64url: within the 16..40 characters of an OCPP 1.6 AuthorizationKey.
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(created.body.hasOcppPassword).toBe(true);
    expect(created.body.onboarding).toMatchObject({
      chargePointId: 'PW-1',
      ocppUrl: `${ocppUrl(app.url)}/PW-1`,
      passwordRequired: true,
      basicAuthUsername: 'PW-1',
      securityProfile: 1,
    });
    const other = await create({ chargePointId: 'PW-2', name: 'Another' });
    expect(other.body.ocppPassword).not.toBe(password);

    // Never again: not in the station, its list or its onboarding values.
    for (const path of ['/api/stations/PW-1', '/api/stations', '/api/stations/PW-1/onboarding']) {
      const read = await app.request('GET', path, { token: app.admin });
      expect(read.status).toBe(200);
      expect(read.text).not.toContain(password);
    }

    // Nobody else can connect as the station; the charger with its password can.
    const url = `${ocppUrl(app.url)}/PW-1`;
    expect(await upgradeStatus(url)).toBe(401);
    expect(await upgradeStatus(url, { headers: basic('PW-1', 'guessed-password') })).toBe(401);
    const charger = await connectChargePoint(app.url, 'PW-1', { password });
    expect(await charger.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
    await charger.close();
  });

  it('stores no password on an explicit opt-out (ocppPassword: null), and keeps one given', async () => {
    const open = await create({ chargePointId: 'PW-OPEN', name: 'Open', ocppPassword: null });
    expect(open.status).toBe(201);
    expect(open.body).toMatchObject({ ocppPassword: null, hasOcppPassword: false });
    expect(open.body.onboarding).toMatchObject({ passwordRequired: false, securityProfile: 0 });
    expect(await upgradeStatus(`${ocppUrl(app.url)}/PW-OPEN`)).toBe(101);

    const given = await create({ chargePointId: 'PW-GIVEN', name: 'Given', ocppPassword: 'given-secret-1' });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ ocppPassword: null, hasOcppPassword: true });
    expect(given.text).not.toContain('given-secret-1');
    expect(await upgradeStatus(`${ocppUrl(app.url)}/PW-GIVEN`)).toBe(401);
    expect(
      await upgradeStatus(`${ocppUrl(app.url)}/PW-GIVEN`, { headers: basic('PW-GIVEN', 'given-secret-1') }),
    ).toBe(101);
  });
});

describe('OCPP_UNKNOWN_STATIONS=accept', () => {
  it('warns at start that unknown stations are accepted without a password, and pending does not', async () => {
    const database = await createTestDatabase('sqlite');
    const warnings = async (mode: string) => {
      const logLines: string[] = [];
      const app = await startTestApp({
        databaseUrl: database.url,
        env: { OCPP_UNKNOWN_STATIONS: mode },
        logLines,
      });
      await app.close();
      return parseLogLines(logLines).filter(
        (line) => line.level === 40 && line.msg.includes('OCPP_UNKNOWN_STATIONS'),
      );
    };
    try {
      const accept = await warnings('accept');
      expect(accept).toHaveLength(1);
      expect(accept[0]?.msg).toMatch(/impersonate/);
      expect(await warnings('pending')).toEqual([]);
    } finally {
      await database.drop();
    }
  });
});
