import ocppRpc from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import { userToken, expectPermissionRequired } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';

describe.each(DIALECTS)('station onboarding on %s', (dialect) => {
  const app = useTestApp(dialect, {
    env: { OCPP_UNKNOWN_STATIONS: 'reject', OCPP_HEARTBEAT_INTERVAL: '120' },
  });

  it('tells the exact URL, subprotocol and interval, and a charger configured so gets in', async () => {
    await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'ONB-1', name: 'Onboard', ocppPassword: 'onboard-secret-1' },
    });
    const response = await app.request('GET', '/api/stations/ONB-1/onboarding', { token: app.admin });
    expect(response.status).toBe(200);
    const host = new URL(app.url).host;
    expect(response.body).toEqual({
      chargePointId: 'ONB-1',
      ocppUrl: `ws://${host}/ocpp/ONB-1`,
      centralSystemUrl: `ws://${host}/ocpp`,
      subprotocol: 'ocpp1.6',
      passwordRequired: true,
      basicAuthUsername: 'ONB-1',
      securityProfile: 1,
      heartbeatInterval: 120,
      registration: 'accepted',
    });
    expect(response.text).not.toContain('onboard-secret-1');

    const settings = {
      endpoint: response.body.centralSystemUrl,
      identity: 'ONB-1',
      protocols: [response.body.subprotocol],
      password: 'onboard-secret-1',
      reconnect: false,
    };
    const client = new ocppRpc.RPCClient(
      settings as unknown as ConstructorParameters<typeof ocppRpc.RPCClient>[0],
    );
    await client.connect();
    const boot = (await client.call('BootNotification', {
      chargePointVendor: 'Acme',
      chargePointModel: 'X',
    })) as { status: string; interval: number };
    expect(boot).toMatchObject({ status: 'Accepted', interval: 120 });
    await client.close();
  });

  it('answers wss:// and the public host behind a TLS proxy, and profile 0 without a password', async () => {
    await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'ONB-2', name: 'x', ocppPassword: null },
    });
    const proxied = await app.request('GET', '/api/stations/ONB-2/onboarding', {
      token: app.admin,
      headers: { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'csms.example.id' },
    });
    expect(proxied.body).toMatchObject({
      ocppUrl: 'wss://csms.example.id/ocpp/ONB-2',
      passwordRequired: false,
      basicAuthUsername: null,
      securityProfile: 0,
    });
    await app.request('PATCH', '/api/stations/ONB-2', {
      token: app.admin,
      body: { ocppPassword: 'later-secret-2' },
    });
    const secured = await app.request('GET', '/api/stations/ONB-2/onboarding', {
      token: app.admin,
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bad host/<x>' },
    });
    expect(secured.body).toMatchObject({
      ocppUrl: `wss://${new URL(app.url).host}/ocpp/ONB-2`,
      passwordRequired: true,
      securityProfile: 2,
    });
  });

  it('answers 401, 403, and 404 for an unknown station or one outside the scope', async () => {
    await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'ONB-3', name: 'x' },
    });
    await expectPermissionRequired(app, app.admin, '/api/stations/ONB-3/onboarding', 'onb-none');
    const scoped = await userToken(app, app.admin, {
      username: 'onb-scoped',
      roles: ['viewer'],
      allowedStations: ['ONB-1'],
    });
    expect((await app.request('GET', '/api/stations/ONB-3/onboarding', { token: scoped })).status).toBe(404);
    expect((await app.request('GET', '/api/stations/ONB-1/onboarding', { token: scoped })).status).toBe(200);
    expect((await app.request('GET', '/api/stations/NOPE/onboarding', { token: app.admin })).status).toBe(
      404,
    );
    expect((await app.request('GET', '/api/stations/bad%20id/onboarding', { token: app.admin })).status).toBe(
      400,
    );
  });
});
