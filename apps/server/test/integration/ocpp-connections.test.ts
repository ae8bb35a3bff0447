import { describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { useTestApp, withTestApp } from '../support/use-test-app.js';
import { startTestApp } from '../support/test-app.js';
import {
  bootChargePoint,
  connectChargePoint,
  eventually,
  ocppUrl,
  upgradeStatus,
} from '../support/ocpp-client.js';

describe.each(DIALECTS)('charge point admission on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_HEARTBEAT_INTERVAL: '60' } });

  const station = async (id: string) =>
    (await app.request('GET', `/api/stations/${id}`, { token: app.admin })).body;

  it('registers an unknown charge point as pending, answers Pending until approved, then Accepted', async () => {
    const { client, boot } = await bootChargePoint(app.url, 'NEW-1');
    expect(boot).toMatchObject({ status: 'Pending', interval: 60 });
    const pending = await app.request('GET', '/api/stations?registration=pending', { token: app.admin });
    expect(pending.body.items.map((s: { chargePointId: string }) => s.chargePointId)).toContain('NEW-1');
    expect(pending.body.items[0]).toMatchObject({ registration: 'pending', connected: true });
    await expect(
      client.call('StartTransaction', {
        connectorId: 1,
        idTag: 'X',
        meterStart: 0,
        timestamp: '2026-01-11T14:30:00Z',
      }),
    ).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });

    const triggered = new Promise((resolve) =>
      client.handle('TriggerMessage', async ({ params }) => {
        resolve(params);
        return { status: 'Accepted' };
      }),
    );
    const approved = await app.request('POST', '/api/stations/NEW-1/approve', { token: app.admin });
    expect(approved.status).toBe(200);
    expect(approved.body.registration).toBe('accepted');
    expect(await triggered).toEqual({ requestedMessage: 'BootNotification' });
    const again = (await client.call('BootNotification', {
      chargePointVendor: 'A',
      chargePointModel: 'B',
    })) as {
      status: string;
    };
    expect(again.status).toBe('Accepted');
    await client.close();
  });

  it('refuses a connection that offers no supported subprotocol', async () => {
    expect(await upgradeStatus(`${ocppUrl(app.url)}/NO-PROTO`, { protocols: ['ocpp2.0', 'ocpp1.5'] })).toBe(
      400,
    );
    expect(await upgradeStatus(`${ocppUrl(app.url)}/NO-PROTO`, { protocols: [] })).toBe(400);
  });

  it('refuses an identity it cannot accept and paths outside /ocpp/', async () => {
    expect(await upgradeStatus(`${ocppUrl(app.url)}/${'x'.repeat(60)}`)).toBe(400);
    expect(await upgradeStatus(`${app.url.replace('http', 'ws')}/other/CS1`)).toBe(404);
  });

  it('asks a station with a password for it by Basic auth, refusing a wrong or missing one with 401', async () => {
    const created = await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'SECURE-1', name: 'Secure', ocppPassword: 'correct-horse-1' },
    });
    expect(created.status).toBe(201);
    expect(created.body.hasOcppPassword).toBe(true);
    expect(created.text).not.toContain('correct-horse-1');
    const url = `${ocppUrl(app.url)}/SECURE-1`;
    const basic = (user: string, password: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    expect(await upgradeStatus(url)).toBe(401);
    expect(await upgradeStatus(url, { headers: basic('SECURE-1', 'wrong-password') })).toBe(401);
    expect(await upgradeStatus(url, { headers: basic('OTHER', 'correct-horse-1') })).toBe(401);
    const { boot, client } = await bootChargePoint(app.url, 'SECURE-1', { password: 'correct-horse-1' });
    expect(boot.status).toBe('Accepted');
    await client.close();

    const cleared = await app.request('PATCH', '/api/stations/SECURE-1', {
      token: app.admin,
      body: { ocppPassword: null },
    });
    expect(cleared.body.hasOcppPassword).toBe(false);
    expect(await upgradeStatus(url)).toBe(101);
  });

  it('replaces an older connection by a newer one with the same id', async () => {
    const { client: first } = await bootChargePoint(app.url, 'TWICE');
    await app.request('POST', '/api/stations/TWICE/approve', { token: app.admin });
    const closed = new Promise((resolve) => first.once('close', resolve));
    const second = await connectChargePoint(app.url, 'TWICE');
    expect(await closed).toMatchObject({ code: 4000 });
    expect((await station('TWICE')).connected).toBe(true);
    expect(await second.call('Heartbeat', {})).toHaveProperty('currentTime');
    await second.close();
  });

  it('marks a station Unavailable and disconnected as soon as its socket closes', async () => {
    const { client } = await bootChargePoint(app.url, 'LEAVER');
    await app.request('POST', '/api/stations/LEAVER/approve', { token: app.admin });
    await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    expect(await station('LEAVER')).toMatchObject({ connected: true, status: 'Available' });
    await client.close();
    await eventually(async () => (await station('LEAVER')).connected === false);
    expect((await station('LEAVER')).status).toBe('Unavailable');
  });
});

describe.each(DIALECTS)('the other unknown-station policies on %s', (dialect) => {
  it('accept registers and accepts unknown charge points; reject refuses their upgrade', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const accepting = await startTestApp({
        databaseUrl: database.url,
        env: { OCPP_UNKNOWN_STATIONS: 'accept' },
      });
      const { client, boot } = await bootChargePoint(accepting.url, 'AUTO-1');
      expect(boot.status).toBe('Accepted');
      await client.close();
      await accepting.close();

      const rejecting = await startTestApp({
        databaseUrl: database.url,
        env: { OCPP_UNKNOWN_STATIONS: 'reject' },
      });
      expect(await upgradeStatus(`${ocppUrl(rejecting.url)}/STRANGER`)).toBe(404);
      // A known station still gets in.
      expect(await upgradeStatus(`${ocppUrl(rejecting.url)}/AUTO-1`)).toBe(101);
      await rejecting.close();
    } finally {
      await database.drop();
    }
  });
});

describe('a station that falls silent', () => {
  it('is disconnected and marked Unavailable after 2.5 heartbeat intervals without a message', async () => {
    await withTestApp(
      'sqlite',
      {
        env: { OCPP_HEARTBEAT_INTERVAL: '1', OCPP_UNKNOWN_STATIONS: 'accept' },
      },
      async (app) => {
        const admin = (await app.login()).token;
        const { client } = await bootChargePoint(app.url, 'QUIET');
        const closed = new Promise((resolve) => client.once('close', resolve));
        const silentSince = Date.now();
        await closed;
        expect(Date.now() - silentSince).toBeGreaterThanOrEqual(2000);
        await eventually(
          async () =>
            (await app.request('GET', '/api/stations/QUIET', { token: admin })).body.connected === false,
        );
        const station = await app.request('GET', '/api/stations/QUIET', { token: admin });
        expect(station.body.status).toBe('Unavailable');
      },
    );
  });
});
