import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdTags, createStation, startTransaction } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { sendEvent } from '../support/ocpp2-session.js';
import { useTestApp } from '../support/use-test-app.js';

type V16Profile = {
  connectorId: number;
  csChargingProfiles: {
    transactionId: number;
    chargingProfilePurpose: string;
    chargingSchedule: { chargingSchedulePeriod: { limit: number }[] };
  };
};
type V2Profile = {
  evseId: number;
  chargingProfile: {
    transactionId: string;
    chargingProfilePurpose: string;
    chargingSchedule: { chargingSchedulePeriod: { limit: number }[] }[];
  };
};

describe.each(DIALECTS)('the load of a site with a 1.6 and a 2.0.1 station on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { LOAD_MANAGEMENT_INTERVAL_MS: '200' } });
  let old: TestChargePoint;
  let cs2: TestChargePoint;
  let siteId: number;
  const v16Profiles: V16Profile[] = [];
  const v2Profiles: V2Profile[] = [];
  let v2Status = 'Accepted';
  const limit16 = () =>
    v16Profiles.at(-1)?.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]?.limit;
  const limit2 = () =>
    v2Profiles.at(-1)?.chargingProfile.chargingSchedule[0]?.chargingSchedulePeriod[0]?.limit;
  const load = () => app.request('GET', `/api/sites/${siteId}/load`, { token: app.admin });
  let transaction16: number;

  beforeAll(async () => {
    siteId = (await app.request('POST', '/api/sites', { token: app.admin, body: { name: 'Mixed' } })).body.id;
    for (const chargePointId of ['MIX-16', 'MIX-2']) {
      await createStation(app, app.admin, { chargePointId, siteId, ocppPassword: null, maxPowerKw: 22 });
    }
    await createIdTags(app, app.admin, 'MIX-TAG-16', 'MIX-TAG-2');
    ({ client: old } = await bootChargePoint(app.url, 'MIX-16'));
    old.handle(async ({ method, params }) => {
      if (method === 'SetChargingProfile') v16Profiles.push(params as V16Profile);
      return method === 'SetChargingProfile' ? { status: 'Accepted' } : {};
    });
    ({ client: cs2 } = await bootStation2(app.url, 'MIX-2', {
      handlers: {
        SetChargingProfile: (params) => {
          v2Profiles.push(params as V2Profile);
          return { status: v2Status };
        },
      },
    }));
    ({ transactionId: transaction16 } = await startTransaction(old, {
      idTag: 'MIX-TAG-16',
      timestamp: new Date().toISOString(),
    }));
    await sendEvent(cs2, 'Started', 'MIX-TX-2', 0, {
      idToken: 'MIX-TAG-2',
      evseId: 1,
      chargingState: 'Charging',
    });
  });
  afterAll(async () => {
    await old?.close({ force: true });
    await cs2?.close({ force: true });
  });

  it('gives both sessions a TxProfile in their station’s protocol when a limit is set', async () => {
    expect((await load()).body.sessions).toHaveLength(2);
    await app.request('PATCH', `/api/sites/${siteId}`, { token: app.admin, body: { maxPowerKw: 16 } });
    await eventually(() => limit16() !== undefined && limit2() !== undefined, 10_000);
    expect(v16Profiles.at(-1)).toMatchObject({
      connectorId: 1,
      csChargingProfiles: { transactionId: transaction16, chargingProfilePurpose: 'TxProfile' },
    });
    // The 2.0.1 station gets its own transaction id, on its EVSE, the schedule as a list with an id.
    expect(v2Profiles.at(-1)).toMatchObject({
      evseId: 1,
      chargingProfile: {
        transactionId: 'MIX-TX-2',
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: [{ id: expect.any(Number), chargingRateUnit: 'W' }],
      },
    });
    await eventually(async () => (await load()).body.allocatedKw === 16);
    expect(limit16()! + limit2()!).toBeLessThanOrEqual(16_000);
    const { sessions } = (await load()).body;
    expect(sessions.map((s: { chargePointId: string }) => s.chargePointId).sort()).toEqual([
      'MIX-16',
      'MIX-2',
    ]);
  });

  it('pauses both sessions when the limit is below their minimum', async () => {
    await app.request('PATCH', `/api/sites/${siteId}`, { token: app.admin, body: { maxPowerKw: 3 } });
    await eventually(() => limit16() === 0 && limit2() === 0, 10_000);
    await eventually(async () => (await load()).body.sessions.every((s: { paused: boolean }) => s.paused));
  });

  it('counts a 2.0.1 session whose station refuses at the station maximum, and asks again', async () => {
    v2Status = 'Rejected';
    try {
      const sent = v2Profiles.length;
      await app.request('PATCH', `/api/sites/${siteId}`, { token: app.admin, body: { maxPowerKw: 30 } });
      await eventually(() => v2Profiles.length > sent);
      await eventually(async () =>
        (await load()).body.sessions.some(
          (s: { chargePointId: string; limitKw: number }) => s.chargePointId === 'MIX-2' && s.limitKw === 22,
        ),
      );
    } finally {
      v2Status = 'Accepted';
    }
    // Asked again a few seconds later, the station accepts a limit of the session's share.
    const refused = v2Profiles.length;
    await eventually(() => v2Profiles.length > refused && limit2()! > 0, 10_000);
  });

  it('lifts the limit of both when it is removed', async () => {
    await app.request('PATCH', `/api/sites/${siteId}`, { token: app.admin, body: { maxPowerKw: null } });
    await eventually(() => limit16() === 22_000 && limit2() === 22_000, 10_000);
    await eventually(async () => (await load()).body.allocatedKw === 0);
  });
});
