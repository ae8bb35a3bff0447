import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileBody, profileRoute } from '../support/charging-profiles.js';
import { DIALECTS } from '../support/databases.js';
import { eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { useTestApp } from '../support/use-test-app.js';

/** The route's 1.6-shaped body (CONTRACT section 9), profile 21 unless told. */
const body = (connectorId: number, profile: Record<string, unknown> = {}) =>
  profileBody(connectorId, { chargingProfileId: 21, ...profile });

describe.each(DIALECTS)('charging profiles of an OCPP 2.0.1 station on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '500' } });
  let cs: TestChargePoint;
  /** What the station received, in order (its strict mode checked each against the 2.0.1 schema). */
  const received: { action: string; params: Record<string, unknown> }[] = [];
  let setStatus = 'Accepted';
  const record = (action: string, answer: (params: Record<string, unknown>) => unknown) => ({
    [action]: (params: unknown) => {
      received.push({ action, params: params as Record<string, unknown> });
      return answer(params as Record<string, unknown>);
    },
  });

  beforeAll(async () => {
    ({ client: cs } = await bootStation2(app.url, 'PROF2-1', {
      handlers: {
        ...record('SetChargingProfile', () => ({ status: setStatus })),
        ...record('ClearChargingProfile', () => ({ status: 'Accepted' })),
        ...record('GetCompositeSchedule', (params) => ({
          status: 'Accepted',
          schedule: {
            evseId: params.evseId,
            duration: params.duration,
            scheduleStart: '2026-01-01T00:00:00.000Z',
            chargingRateUnit: 'W',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
          },
        })),
      },
    }));
  });
  afterAll(async () => {
    await cs?.close({ force: true });
  });

  const { path, post, install, kept, schedule, sent } = profileRoute(app, 'PROF2-1', received);

  it('K01: sends an accepted profile as SetChargingProfile { evseId, chargingProfile } and keeps it', async () => {
    const response = await install(body(1));
    expect(sent('SetChargingProfile').at(-1)?.params).toEqual({
      evseId: 1,
      chargingProfile: {
        id: 21,
        stackLevel: 1,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [
          {
            id: 21,
            startSchedule: '2026-01-01T00:00:00.000Z',
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [
              { startPeriod: 0, limit: 16 },
              { startPeriod: 3600, limit: 10.5 },
            ],
          },
        ],
      },
    });
    expect(await kept()).toEqual({ total: 1, items: [response.body] });
  });

  it('sends a ChargePointMaxProfile as ChargingStationMaxProfile on EVSE 0', async () => {
    const profile = body(0, { chargingProfileId: 22, chargingProfilePurpose: 'ChargePointMaxProfile' });
    const response = await post(profile);
    expect(response.status, response.text).toBe(201);
    expect(sent('SetChargingProfile').at(-1)?.params).toMatchObject({
      evseId: 0,
      chargingProfile: { id: 22, chargingProfilePurpose: 'ChargingStationMaxProfile' },
    });
  });

  it('answers 409 PROFILE_REJECTED with the station status and keeps nothing when refused', async () => {
    setStatus = 'Rejected';
    try {
      const response = await post(body(1, { chargingProfileId: 23, stackLevel: 4 }));
      expect(response.status).toBe(409);
      expect(response.body.error).toMatchObject({
        code: 'PROFILE_REJECTED',
        details: { status: 'Rejected' },
      });
      const ids = (await kept()).items.map((p: { chargingProfileId: number }) => p.chargingProfileId);
      expect(new Set(ids)).toEqual(new Set([21, 22]));
    } finally {
      setStatus = 'Accepted';
    }
  });

  it('answers an error and keeps nothing when the station answers outside its schema', async () => {
    setStatus = 'Maybe';
    try {
      const response = await post(body(1, { chargingProfileId: 26, stackLevel: 5 }));
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.body.error.code).toBe('OCPP_CALL_ERROR');
      const ids = (await kept()).items.map((p: { chargingProfileId: number }) => p.chargingProfileId);
      expect(ids).not.toContain(26);
    } finally {
      setStatus = 'Accepted';
    }
  });

  it('refuses a profile breaking the rules with 400 and sends nothing', async () => {
    const before = received.length;
    const response = await post(body(1, { chargingProfileId: 24, chargingProfilePurpose: 'TxProfile' }));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(received.length).toBe(before);
  });

  it('K08: asks for the composite schedule with GetCompositeSchedule { evseId, duration, chargingRateUnit }', async () => {
    const response = await schedule('connectorId=1&duration=3600&chargingRateUnit=W');
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      status: 'Accepted',
      schedule: {
        evseId: 1,
        duration: 3600,
        scheduleStart: '2026-01-01T00:00:00.000Z',
        chargingRateUnit: 'W',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
      },
    });
    expect(sent('GetCompositeSchedule').at(-1)?.params).toEqual({
      evseId: 1,
      duration: 3600,
      chargingRateUnit: 'W',
    });
  });

  it('sends kept profiles again when the station boots', async () => {
    const before = sent('SetChargingProfile').length;
    await cs.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'Acme', model: 'Volt 2' },
    });
    // Unhurried: the machine may be busy.
    await eventually(() => sent('SetChargingProfile').length >= before + 2, 15_000);
    const ids = sent('SetChargingProfile')
      .slice(before)
      .map((r) => (r.params.chargingProfile as { id: number }).id);
    expect(new Set(ids)).toEqual(new Set([21, 22]));
  });

  it('K10: removes a kept profile with ClearChargingProfile { chargingProfileId }', async () => {
    expect((await app.request('DELETE', `${path}/999`, { token: app.admin })).status).toBe(404);
    const response = await app.request('DELETE', `${path}/21`, { token: app.admin });
    expect(response.status).toBe(204);
    expect(sent('ClearChargingProfile').at(-1)?.params).toEqual({ chargingProfileId: 21 });
    expect((await kept()).items.map((p: { chargingProfileId: number }) => p.chargingProfileId)).toEqual([22]);
  });

  it('answers 409 STATION_OFFLINE for a 2.0.1 station not connected, keeping nothing', async () => {
    await cs.close({ force: true });
    await eventually(async () => {
      const station = await app.request('GET', '/api/stations/PROF2-1', { token: app.admin });
      return station.body.connected === false;
    });
    const offline = await post(body(1, { chargingProfileId: 25 }));
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('STATION_OFFLINE');
    expect((await kept()).items.map((p: { chargingProfileId: number }) => p.chargingProfileId)).toEqual([22]);
  });
});
