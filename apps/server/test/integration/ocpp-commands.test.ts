import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCommandsGuarded } from '../support/builders.js';
import ocppRpc from 'ocpp-rpc';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { bootChargePoint, upgradeStatus, ocppUrl, type TestChargePoint } from '../support/ocpp-client.js';

describe.each(DIALECTS)('commands to a charge point on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '400' } });
  let cp: TestChargePoint;
  /** What the charge point received, in order. */
  const received: { action: string; params: unknown }[] = [];

  beforeAll(async () => {
    ({ client: cp } = await bootChargePoint(app.url, 'CMD-1'));
    cp.handle(async ({ method, params }) => {
      received.push({ action: method ?? '', params });
      switch (method) {
        case 'GetConfiguration':
          return {
            configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
            unknownKey: [],
          };
        case 'RemoteStopTransaction':
          return { status: 'Rejected' };
        case 'ChangeConfiguration':
          return { status: 'Accepted' };
        case 'Reset':
          // Never answers: the call must time out.
          return new Promise(() => {});
        case 'UnlockConnector':
          throw ocppRpc.createRPCError('NotSupported', 'no actuator on this model');
        case 'GetDiagnostics':
          return { fileName: 'diagnostics.zip' };
        case 'GetLocalListVersion':
          return { listVersion: 3 };
        case 'UpdateFirmware':
          return {};
        default:
          return { status: 'Accepted' };
      }
    });
    await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'OFF-1', name: 'Offline' },
    });
  });
  afterAll(async () => {
    // The Reset it never answered would hold a graceful close.
    await cp?.close({ force: true });
  });

  const command = (station: string, action: string, body: unknown, token = app.admin) =>
    app.request('POST', `/api/stations/${station}/commands/${action}`, { token, body });

  it('sends a command and answers 200 with the charge point’s response as it is', async () => {
    const response = await command('CMD-1', 'GetConfiguration', { key: ['HeartbeatInterval'] });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
      unknownKey: [],
    });
    expect(received.at(-1)).toEqual({ action: 'GetConfiguration', params: { key: ['HeartbeatInterval'] } });
  });

  it('passes a schema-valid command through, so that the charge point itself can refuse it', async () => {
    const response = await command('CMD-1', 'RemoteStopTransaction', { transactionId: 424242 });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'Rejected' });
  });

  it('sends every CSMS→CS action of OCPP 1.6 it is given a valid payload for', async () => {
    const payloads: Record<string, unknown> = {
      CancelReservation: { reservationId: 1 },
      ChangeAvailability: { connectorId: 1, type: 'Inoperative' },
      ClearCache: {},
      ClearChargingProfile: {},
      DataTransfer: { vendorId: 'com.example' },
      GetCompositeSchedule: { connectorId: 1, duration: 60 },
      GetDiagnostics: { location: 'ftp://logs.example/' },
      GetLocalListVersion: {},
      RemoteStartTransaction: { idTag: 'TAG1', connectorId: 1 },
      ReserveNow: { connectorId: 1, expiryDate: '2026-01-11T16:00:00.000Z', idTag: 'TAG1', reservationId: 7 },
      SendLocalList: { listVersion: 1, updateType: 'Full', localAuthorizationList: [] },
      SetChargingProfile: {
        connectorId: 1,
        csChargingProfiles: {
          chargingProfileId: 1,
          stackLevel: 0,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Absolute',
          chargingSchedule: {
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
          },
        },
      },
      TriggerMessage: { requestedMessage: 'Heartbeat' },
      UpdateFirmware: { location: 'https://fw.example/1.bin', retrieveDate: '2026-01-11T16:00:00.000Z' },
    };
    for (const [action, payload] of Object.entries(payloads)) {
      const response = await command('CMD-1', action, payload);
      expect(response.status, `${action}: ${response.text}`).toBe(200);
      expect(received.at(-1)).toEqual({ action, params: payload });
    }
  });

  it('refuses a payload that breaks the official schema with 400 and sends nothing', async () => {
    const count = received.length;
    for (const [action, body] of [
      ['RemoteStartTransaction', {}],
      ['RemoteStartTransaction', { idTag: 'X', connectorId: 'one' }],
      ['ChangeAvailability', { connectorId: 1, type: 'Sideways' }],
      ['Reset', { type: 'Hard', extra: true }],
      ['GetConfiguration', []],
    ] as const) {
      const response = await command('CMD-1', action, body);
      expect(response.status, action).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
      expect(response.body.error.details.ocppErrorCode).toEqual(expect.any(String));
    }
    expect(received.length).toBe(count);
  });

  it('refuses actions a central system does not send with 400', async () => {
    for (const action of ['MakeCoffee', 'BootNotification', 'StartTransaction']) {
      const response = await command('CMD-1', action, {});
      expect(response.status, action).toBe(400);
      expect(response.body.error.details.fields).toEqual(['action']);
    }
  });

  it('answers 404 for an unknown station and 409 STATION_OFFLINE for one not connected', async () => {
    const unknown = await command('NOPE', 'ClearCache', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const offline = await command('OFF-1', 'ClearCache', {});
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('STATION_OFFLINE');
  });

  it('answers 504 STATION_TIMEOUT when the charge point does not answer in time', async () => {
    const started = Date.now();
    const response = await command('CMD-1', 'Reset', { type: 'Soft' });
    expect(response.status).toBe(504);
    expect(response.body.error.code).toBe('STATION_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('answers 502 OCPP_CALL_ERROR with the CallError code when the charge point answers with one', async () => {
    const response = await command('CMD-1', 'UnlockConnector', { connectorId: 1 });
    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe('OCPP_CALL_ERROR');
    expect(response.body.error.details.ocppErrorCode).toBe('NotSupported');
  });

  it('needs stations.control, and hides stations outside the caller’s scope', async () => {
    const scoped = await expectCommandsGuarded(app, app.admin, 'CMD-1', 'OFF-1', {
      viewer: 'watcher',
      scoped: 'local-op',
    });
    expect((await app.request('GET', '/api/stations/CMD-1', { token: scoped })).status).toBe(404);
    const list = await app.request('GET', '/api/stations', { token: scoped });
    expect(list.body.items.map((s: { chargePointId: string }) => s.chargePointId)).toEqual(['OFF-1']);
  });

  it('records each command with who sent it, the payload, the answer and the outcome', async () => {
    const trail = await app.request('GET', '/api/stations/CMD-1/commands?limit=100', { token: app.admin });
    expect(trail.status).toBe(200);
    const byAction = (action: string) =>
      trail.body.items.find((c: { action: string }) => c.action === action);
    expect(byAction('GetConfiguration')).toMatchObject({
      request: { key: ['HeartbeatInterval'] },
      response: {
        configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
        unknownKey: [],
      },
      outcome: 'answered',
      username: 'admin',
      sentAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    expect(byAction('Reset').outcome).toBe('station_timeout');
    expect(byAction('UnlockConnector')).toMatchObject({
      outcome: 'ocpp_call_error',
      response: { ocppErrorCode: 'NotSupported' },
    });
  });

  it('makes an AuthorizationKey the charge point accepted its password from then on', async () => {
    const response = await command('CMD-1', 'ChangeConfiguration', {
      key: 'AuthorizationKey',
      value: 'new-secret-key-1',
    });
    expect(response.body).toEqual({ status: 'Accepted' });
    const station = await app.request('GET', '/api/stations/CMD-1', { token: app.admin });
    expect(station.body.hasOcppPassword).toBe(true);
    expect(await upgradeStatus(`${ocppUrl(app.url)}/CMD-1`)).toBe(401);
    const basic = `Basic ${Buffer.from('CMD-1:new-secret-key-1').toString('base64')}`;
    expect(await upgradeStatus(`${ocppUrl(app.url)}/CMD-1`, { headers: { authorization: basic } })).toBe(101);
  });
});
