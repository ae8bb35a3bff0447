import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { userToken } from '../support/builders.js';
import { profileBody, profileRoute } from '../support/charging-profiles.js';

const body = profileBody;

describe.each(DIALECTS)('charging profiles as data on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '500' } });
  let cp: TestChargePoint;
  /** What the charge point received, in order. */
  const received: { action: string; params: Record<string, unknown> }[] = [];
  /** How the charge point answers SetChargingProfile. */
  let setStatus = 'Accepted';

  const connect = async () => {
    ({ client: cp } = await bootChargePoint(app.url, 'PROF-1'));
    cp.handle(async ({ method, params }) => {
      received.push({ action: method ?? '', params: params as Record<string, unknown> });
      if (method === 'SetChargingProfile') return { status: setStatus };
      if (method === 'ClearChargingProfile') return { status: 'Accepted' };
      if (method === 'GetCompositeSchedule') {
        return {
          status: 'Accepted',
          connectorId: (params as { connectorId: number }).connectorId,
          scheduleStart: '2026-01-01T00:00:00.000Z',
          chargingSchedule: {
            chargingRateUnit: 'W',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
          },
        };
      }
      return {};
    });
  };
  beforeAll(connect);
  afterAll(async () => {
    await cp?.close({ force: true });
  });

  const { path, post, install, kept, schedule, sent } = profileRoute(app, 'PROF-1', received);

  it('sends an accepted profile, keeps it and lists it', async () => {
    const response = await install(body(1));
    expect(sent('SetChargingProfile').at(-1)?.params).toEqual(body(1));
    expect(await kept()).toEqual({ total: 1, items: [response.body] });
  });

  it('answers 409 PROFILE_REJECTED with the station status and keeps nothing when refused', async () => {
    setStatus = 'Rejected';
    try {
      const response = await post(
        body(0, { chargingProfileId: 8, chargingProfilePurpose: 'ChargePointMaxProfile', stackLevel: 0 }),
      );
      expect(response.status).toBe(409);
      expect(response.body.error).toMatchObject({
        code: 'PROFILE_REJECTED',
        details: { status: 'Rejected' },
      });
      expect((await kept()).items.map((p: { chargingProfileId: number }) => p.chargingProfileId)).toEqual([
        7,
      ]);
    } finally {
      setStatus = 'Accepted';
    }
  });

  it('replaces a kept profile with the same id, or the same stack level and purpose on the connector', async () => {
    expect((await post(body(1, { chargingProfileId: 9 }))).status).toBe(201);
    // Profile 7 had stack level 1 TxDefaultProfile on connector 1: profile 9 replaces it on the station.
    expect((await kept()).items.map((p: { chargingProfileId: number }) => p.chargingProfileId)).toEqual([9]);
    expect((await post(body(0, { chargingProfileId: 9, stackLevel: 2 }))).status).toBe(201);
    expect(await kept()).toMatchObject({ total: 1, items: [{ chargingProfileId: 9, connectorId: 0 }] });
  });

  it.each([
    ['a TxProfile', body(1, { chargingProfilePurpose: 'TxProfile', transactionId: 1 }), 'load manager'],
    [
      'a ChargePointMaxProfile on a connector',
      body(1, { chargingProfilePurpose: 'ChargePointMaxProfile' }),
      'connectorId 0',
    ],
    ['a transactionId outside a TxProfile', body(1, { transactionId: 5 }), 'transactionId'],
    [
      'periods not starting at 0',
      body(1, {
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 60, limit: 6 }] },
      }),
      'starts at 0',
    ],
    [
      'periods not ascending',
      body(1, {
        chargingSchedule: {
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 6 },
            { startPeriod: 600, limit: 7 },
            { startPeriod: 600, limit: 8 },
          ],
        },
      }),
      'does not start after',
    ],
    [
      'a limit that is not a multiple of 0.1',
      body(1, {
        chargingSchedule: {
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 6.05 }],
        },
      }),
      'multiple of 0.1',
    ],
    ['Recurring without recurrencyKind', body(1, { chargingProfileKind: 'Recurring' }), 'recurrencyKind'],
    ['recurrencyKind on an Absolute profile', body(1, { recurrencyKind: 'Daily' }), 'recurrencyKind'],
    [
      'a Daily profile longer than a day',
      body(1, {
        chargingProfileKind: 'Recurring',
        recurrencyKind: 'Daily',
        chargingSchedule: {
          startSchedule: '2026-01-01T00:00:00Z',
          duration: 90000,
          chargingRateUnit: 'W',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 1000 }],
        },
      }),
      'at most 86400',
    ],
    ['a Relative profile with startSchedule', body(1, { chargingProfileKind: 'Relative' }), 'Relative'],
    [
      'validFrom after validTo',
      body(1, { validFrom: '2027-02-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z' }),
      'validFrom',
    ],
    ['validTo in the past', body(1, { validTo: '2020-01-01T00:00:00Z' }), 'past'],
  ])('refuses %s with 400 and sends nothing', async (_case, payload, problem) => {
    const before = received.length;
    const response = await post(payload);
    expect(response.status, response.text).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.message).toContain(problem);
    // Only what this request would have sent counts: kept profiles may be sent again after a boot.
    expect(received.slice(before).some((r) => JSON.stringify(r.params) === JSON.stringify(payload))).toBe(
      false,
    );
  });

  it.each([
    ['a negative stack level', body(1, { stackLevel: -1 })],
    ['an unknown purpose', body(1, { chargingProfilePurpose: 'Boost' })],
    ['a negative connector', body(-1)],
    ['an unknown field', { ...body(1), extra: true }],
    [
      'no schedule periods',
      body(1, { chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [] } }),
    ],
    [
      'a unit other than A or W',
      body(1, {
        chargingSchedule: { chargingRateUnit: 'kW', chargingSchedulePeriod: [{ startPeriod: 0, limit: 1 }] },
      }),
    ],
    [
      'a text limit',
      body(1, {
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: '6' }] },
      }),
    ],
    ['no body', undefined],
  ])('refuses %s by schema with 400', async (_case, payload) => {
    const before = received.length;
    const response = await post(payload);
    expect(response.status).toBe(400);
    // Only what this request would have sent counts: kept profiles may be sent again after a boot.
    expect(received.slice(before).some((r) => JSON.stringify(r.params) === JSON.stringify(payload))).toBe(
      false,
    );
  });

  it('sends kept profiles again when the station boots', async () => {
    const before = sent('SetChargingProfile').length;
    await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
    await eventually(() => sent('SetChargingProfile').length === before + 1);
    expect(sent('SetChargingProfile').at(-1)?.params).toEqual(
      body(0, { chargingProfileId: 9, stackLevel: 2 }),
    );
  });

  it('asks the station for its composite schedule', async () => {
    const response = await schedule('connectorId=1&duration=3600');
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      status: 'Accepted',
      connectorId: 1,
      chargingSchedule: { chargingRateUnit: 'W' },
    });
    expect(sent('GetCompositeSchedule').at(-1)?.params).toEqual({ connectorId: 1, duration: 3600 });
    expect((await schedule('connectorId=-1&duration=0')).status).toBe(400);
  });

  it('needs stations.control to send and stations.view to read', async () => {
    const viewer = await userToken(app, app.admin, { username: 'profile-viewer', roles: ['viewer'] });
    expect((await app.request('GET', path, { token: viewer })).status).toBe(200);
    expect((await post(body(1, { chargingProfileId: 11 }), viewer)).status).toBe(403);
    expect((await app.request('DELETE', `${path}/9`, { token: viewer })).status).toBe(403);
    expect((await app.request('GET', path)).status).toBe(401);
  });

  it('removes a kept profile with ClearChargingProfile { id }; 404 for one not kept', async () => {
    expect((await app.request('DELETE', `${path}/12345`, { token: app.admin })).status).toBe(404);
    const response = await app.request('DELETE', `${path}/9`, { token: app.admin });
    expect(response.status).toBe(204);
    expect(sent('ClearChargingProfile').at(-1)?.params).toEqual({ id: 9 });
    expect(await kept()).toEqual({ items: [], total: 0 });
  });

  it('sends no profile at a boot once none is kept', async () => {
    expect(await kept()).toEqual({ items: [], total: 0 });
    const before = sent('SetChargingProfile').length;
    await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
    // Past the wait after a boot (200 ms) before kept profiles are sent, with room to spare.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sent('SetChargingProfile').length).toBe(before);
  });

  it('answers 404 for an unknown station and 409 STATION_OFFLINE for one not connected, keeping nothing', async () => {
    expect(
      (await app.request('GET', '/api/stations/NOPE/charging-profiles', { token: app.admin })).status,
    ).toBe(404);
    await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'PROF-OFF', name: 'off' },
    });
    const offline = await app.request('POST', '/api/stations/PROF-OFF/charging-profiles', {
      token: app.admin,
      body: body(1),
    });
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('STATION_OFFLINE');
    expect(
      (await app.request('GET', '/api/stations/PROF-OFF/charging-profiles', { token: app.admin })).body.total,
    ).toBe(0);
  });
});
