import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIdTags,
  createStation,
  sendMeterValue,
  startTransaction,
  userToken,
} from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { connectSocket, join, recorder } from '../support/realtime-client.js';
import { useTestApp } from '../support/use-test-app.js';

type SetProfile = {
  connectorId: number;
  csChargingProfiles: {
    chargingProfilePurpose: string;
    chargingSchedule: { chargingSchedulePeriod: { limit: number }[] };
  };
};

describe.each(DIALECTS)('the load of a site, one station at a time, on %s', (dialect) => {
  const app = useTestApp(dialect, {
    env: { LOAD_MANAGEMENT_INTERVAL_MS: '200', OCPP_CALL_TIMEOUT_MS: '4000' },
  });
  let cp: TestChargePoint;
  let siteId: number;
  let otherSiteId: number;
  const profiles: SetProfile[] = [];
  const lastLimitW = () =>
    profiles.at(-1)?.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]?.limit;

  beforeAll(async () => {
    siteId = (await app.request('POST', '/api/sites', { token: app.admin, body: { name: 'Depot' } })).body.id;
    otherSiteId = (await app.request('POST', '/api/sites', { token: app.admin, body: { name: 'Other' } }))
      .body.id;
    await createStation(app, app.admin, {
      chargePointId: 'SL-1',
      siteId,
      ocppPassword: null,
      maxPowerKw: 22,
    });
    await createStation(app, app.admin, { chargePointId: 'SL-2', siteId: otherSiteId, ocppPassword: null });
    await createIdTags(app, app.admin, 'SL-TAG');
    ({ client: cp } = await bootChargePoint(app.url, 'SL-1'));
    cp.handle(async ({ method, params }) => {
      if (method === 'SetChargingProfile') profiles.push(params as SetProfile);
      return method === 'SetChargingProfile' ? { status: 'Accepted' } : {};
    });
  });
  afterAll(async () => {
    await cp?.close({ force: true });
  });

  /**
   * A site limited to 20 kW whose stations (22 kW each) are booted and answer SetChargingProfile,
   * except while `answers(chargePointId)` is false (the call then times out): the site id, the
   * limit each station last accepted (W), a session started at station `i` (its transaction id).
   */
  async function limitedSite(name: string, ids: readonly string[], answers = (_id: string) => true) {
    const body = { name, maxPowerKw: 20 };
    const id: number = (await app.request('POST', '/api/sites', { token: app.admin, body })).body.id;
    const limitsW = new Map<string, number>();
    const clients: TestChargePoint[] = [];
    for (const chargePointId of ids) {
      await createStation(app, app.admin, { chargePointId, siteId: id, ocppPassword: null, maxPowerKw: 22 });
      await createIdTags(app, app.admin, `TAG-${chargePointId}`);
      const { client } = await bootChargePoint(app.url, chargePointId);
      client.handle(async ({ method, params }) => {
        if (method !== 'SetChargingProfile') return {};
        if (!answers(chargePointId)) return new Promise(() => undefined);
        const [period] = (params as SetProfile).csChargingProfiles.chargingSchedule.chargingSchedulePeriod;
        limitsW.set(chargePointId, period!.limit);
        return { status: 'Accepted' };
      });
      clients.push(client);
    }
    const start = async (i: number) =>
      (await startTransaction(clients[i]!, { idTag: `TAG-${ids[i]}`, timestamp: new Date().toISOString() }))
        .transactionId;
    const close = () => Promise.all(clients.map((client) => client.close({ force: true })));
    return { id, clients, limitsW, start, close };
  }

  const load = (id = siteId, token = app.admin) => app.request('GET', `/api/sites/${id}/load`, { token });

  it('sends nothing while the site has no limit', async () => {
    const { transactionId } = await startTransaction(cp, {
      idTag: 'SL-TAG',
      timestamp: new Date().toISOString(),
    });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(profiles).toEqual([]);
    expect((await load()).body).toEqual({
      limitKw: null,
      allocatedKw: 0,
      measuredKw: 0,
      sessions: [
        { chargePointId: 'SL-1', connectorId: 1, transactionId, limitKw: 0, powerKw: null, paused: false },
      ],
    });
  });

  it('gives the session a TxProfile when a limit is set, and tells the dashboard and the station room', async () => {
    const dashboard = await connectSocket(app.url, app.admin);
    const stationRoom = await connectSocket(app.url, app.admin);
    const scoped = await userToken(app, app.admin, {
      username: 'sl-other',
      roles: ['viewer'],
      allowedStations: ['SL-2'],
    });
    const outsider = await connectSocket(app.url, scoped);
    const [inDashboard, inStationRoom, outsiderEvents] = [dashboard, stationRoom, outsider].map(recorder);
    try {
      expect(await join(dashboard, 'dashboard')).toEqual({ ok: true });
      expect(await join(stationRoom, 'station_SL-1')).toEqual({ ok: true });
      expect(await join(outsider, 'dashboard')).toEqual({ ok: true });
      await app.request('PATCH', `/api/sites/${siteId}`, { token: app.admin, body: { maxPowerKw: 7 } });
      await eventually(() => lastLimitW() === 7000);
      expect(profiles.at(-1)).toMatchObject({
        connectorId: 1,
        csChargingProfiles: {
          chargingProfilePurpose: 'TxProfile',
          chargingProfileKind: 'Relative',
          chargingSchedule: {
            chargingRateUnit: 'W',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 7000 }],
          },
        },
      });
      const update = { siteId, limitKw: 7, allocatedKw: 7, measuredKw: 0, timestamp: expect.any(String) };
      expect((await inStationRoom!.waitFor('site_load_updated')).at(-1)).toEqual(update);
      expect((await inDashboard!.waitFor('site_load_updated')).at(-1)).toEqual(update);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // A user who sees none of the site's stations hears nothing of it, and cannot read it.
      expect(outsiderEvents!.of('site_load_updated')).toEqual([]);
      expect((await load(siteId, scoped)).status).toBe(404);
    } finally {
      for (const socket of [dashboard, stationRoom, outsider]) socket.close();
    }
  });

  it('follows a lower current limit, the tighter of the two', async () => {
    await app.request('PATCH', `/api/sites/${siteId}`, { token: app.admin, body: { maxCurrentA: 8 } });
    // 8 A × 230 V × 3 phases = 5.52 kW.
    await eventually(() => lastLimitW() === 5520);
    await eventually(async () => (await load()).body.allocatedKw === 5.52);
    expect((await load()).body).toMatchObject({ limitKw: 5.52, allocatedKw: 5.52 });
  });

  it('pauses the session when the limit is below its minimum', async () => {
    await app.request('PATCH', `/api/sites/${siteId}`, {
      token: app.admin,
      body: { maxCurrentA: null, maxPowerKw: 3 },
    });
    // 3 kW is less than the 4.14 kW minimum of 6 A on 3 phases: paused.
    await eventually(() => lastLimitW() === 0);
    await eventually(async () => (await load()).body.sessions[0].paused === true);
    expect((await load()).body.sessions[0]).toMatchObject({ limitKw: 0, paused: true });
  });

  it('lifts the limit when it is removed', async () => {
    const sent = profiles.length;
    await app.request('PATCH', `/api/sites/${siteId}`, { token: app.admin, body: { maxPowerKw: null } });
    await eventually(() => profiles.length > sent && lastLimitW() === 22000);
    await eventually(async () => (await load()).body.allocatedKw === 0);
    expect((await load()).body).toMatchObject({ limitKw: null, allocatedKw: 0 });
  });

  it('lists only the sessions of the stations a scoped user sees, with the site totals', async () => {
    await createStation(app, app.admin, { chargePointId: 'SL-3', siteId, ocppPassword: null });
    await createIdTags(app, app.admin, 'SL-TAG-3');
    const { client: other } = await bootChargePoint(app.url, 'SL-3');
    try {
      await startTransaction(other, { idTag: 'SL-TAG-3', timestamp: new Date().toISOString() });
      const token = await userToken(app, app.admin, {
        username: 'sl-one',
        roles: ['viewer'],
        allowedStations: ['SL-1'],
      });
      const scoped = await load(siteId, token);
      expect(scoped.status).toBe(200);
      expect(scoped.body.sessions.map((s: { chargePointId: string }) => s.chargePointId)).toEqual(['SL-1']);
      const all = await load();
      expect(all.body.sessions.map((s: { chargePointId: string }) => s.chargePointId).sort()).toEqual([
        'SL-1',
        'SL-3',
      ]);
    } finally {
      await other.close({ force: true });
    }
  });

  it('counts a station without maxPowerKw at 22 kW while nothing is measured, then at the highest power measured', async () => {
    const maxSite = (
      await app.request('POST', '/api/sites', { token: app.admin, body: { name: 'Peak', maxPowerKw: 50 } })
    ).body.id;
    await createStation(app, app.admin, { chargePointId: 'SL-4', siteId: maxSite, ocppPassword: null });
    await createIdTags(app, app.admin, 'SL-TAG-4');
    const { client: peak } = await bootChargePoint(app.url, 'SL-4');
    const limitsW: number[] = [];
    peak.handle(async ({ method, params }) => {
      if (method !== 'SetChargingProfile') return {};
      limitsW.push(
        (params as SetProfile).csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]!.limit,
      );
      return { status: 'Accepted' };
    });
    try {
      const { transactionId } = await startTransaction(peak, {
        idTag: 'SL-TAG-4',
        timestamp: new Date().toISOString(),
      });
      // 50 kW for one session of a station that says nothing of its power: its 22 kW.
      await eventually(() => limitsW.at(-1) === 22_000);
      await sendMeterValue(peak, { transactionId, timestamp: new Date().toISOString() }, [
        { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
      ]);
      // Its highest power measured is 11 kW: no more than that (not 11 kW plus the headroom).
      await eventually(() => limitsW.at(-1) === 11_000);
      await eventually(async () => (await load(maxSite)).body.allocatedKw === 11);
      expect((await load(maxSite)).body.sessions).toEqual([
        { chargePointId: 'SL-4', connectorId: 1, transactionId, limitKw: 11, powerKw: 11, paused: false },
      ]);
    } finally {
      await peak.close({ force: true });
    }
  });

  it('gives what a session does not draw, measured from its meter values, to the other', async () => {
    const site = await limitedSite('Draw', ['SL-D1', 'SL-D2']);
    try {
      const transactionId = await site.start(0);
      await site.start(1);
      await eventually(() => site.limitsW.get('SL-D1') === 10_000 && site.limitsW.get('SL-D2') === 10_000);
      // The car at SL-D1 draws 3 kW of its 10: it keeps 3 kW and the 2 kW headroom, SL-D2 gets the rest.
      await sendMeterValue(site.clients[0]!, { transactionId, timestamp: new Date().toISOString() }, [
        { value: '3000', measurand: 'Power.Active.Import', unit: 'W' },
      ]);
      await eventually(() => site.limitsW.get('SL-D1') === 5_000 && site.limitsW.get('SL-D2') === 15_000);
      await eventually(async () => (await load(site.id)).body.allocatedKw === 20);
    } finally {
      await site.close();
    }
  });

  it('counts a station that stops answering at its last limit, and gives the others only what is left', async () => {
    let silent = false;
    let unanswered = 0;
    // SL-Q1 stops answering: the call times out (4 s), whether it applied the limit is unknown.
    const site = await limitedSite('Quiet', ['SL-Q1', 'SL-Q2', 'SL-Q3'], (id) => {
      if (!silent || id !== 'SL-Q1') return true;
      unanswered += 1;
      return false;
    });
    const { limitsW } = site;
    try {
      await site.start(0);
      const second = await site.start(1);
      await eventually(() => limitsW.get('SL-Q1') === 10_000 && limitsW.get('SL-Q2') === 10_000);
      silent = true;
      const third = await site.start(2);
      // 20 kW less the 10 kW SL-Q1 may still draw: 5 kW each for the two others.
      await eventually(() => limitsW.get('SL-Q2') === 5_000 && limitsW.get('SL-Q3') === 5_000, 8000);
      const q1Kw = (body: { sessions: { chargePointId: string; limitKw: number }[] }) =>
        body.sessions.find((row) => row.chargePointId === 'SL-Q1')?.limitKw;
      await eventually(async () => {
        const body = (await load(site.id)).body;
        return body.allocatedKw === 20 && q1Kw(body) === 10;
      });
      // It stays counted so while it keeps silent (asked again every few seconds).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const quiet = (await load(site.id)).body;
      expect(quiet.allocatedKw).toBe(20);
      expect(q1Kw(quiet)).toBe(10);
      // Asking it again does not hold the others: while a retry waits for its answer, a session
      // stops and SL-Q2 gets the room at once (not after the 4 s timeout).
      await eventually(() => unanswered >= 2, 10_000);
      await site.clients[2]!.call('StopTransaction', {
        transactionId: third,
        meterStop: 0,
        timestamp: new Date().toISOString(),
      });
      await eventually(() => limitsW.get('SL-Q2') === 10_000, 2500);
      // Once it answers again, it is shared with again: SL-Q2 stops, SL-Q1 gets the whole limit.
      silent = false;
      await eventually(async () => (await load(site.id)).body.allocatedKw === 20, 10_000);
      await site.clients[1]!.call('StopTransaction', {
        transactionId: second,
        meterStop: 0,
        timestamp: new Date().toISOString(),
      });
      await eventually(() => limitsW.get('SL-Q1') === 20_000, 15_000);
    } finally {
      await site.close();
    }
  }, 40_000);

  it('answers 404 for an unknown site and 401 without a token', async () => {
    expect((await load(999_999)).status).toBe(404);
    expect((await app.request('GET', `/api/sites/${siteId}/load`)).status).toBe(401);
  });
});
