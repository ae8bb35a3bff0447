import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userToken, expectPermissionRequired, startTransaction } from '../support/builders.js';
import { useTestApp } from '../support/use-test-app.js';
import { DIALECTS } from '../support/databases.js';
import { ManualClock } from '../support/test-app.js';
import { bootChargePoint, type TestChargePoint } from '../support/ocpp-client.js';

describe.each(DIALECTS)('dashboard statistics on %s', (dialect) => {
  // 2026-01-11T14:30:00Z: today from 2026-01-11T00:00Z, this month from 2026-01-01T00:00Z (UTC).
  const clock = new ManualClock();
  const chargers: TestChargePoint[] = [];
  let north: number;

  const app = useTestApp(dialect, { clock });
  beforeAll(async () => {
    await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'ST-TAG', allowConcurrent: true },
    });
    north = (await app.request('POST', '/api/sites', { token: app.admin, body: { name: 'North' } })).body.id;
    for (const [chargePointId, siteId] of [
      ['ST-1', north],
      ['ST-2', north],
      ['ST-3', null],
      ['ST-4', null],
    ] as const) {
      await app.request('POST', '/api/stations', {
        token: app.admin,
        body: { chargePointId, name: chargePointId, siteId, ocppPassword: null },
      });
    }
    const status = async (cp: TestChargePoint, connectorId: number, value: string, errorCode = 'NoError') =>
      cp.call('StatusNotification', { connectorId, status: value, errorCode });
    const session = async (
      cp: TestChargePoint,
      startedAt: string,
      stoppedAt: string | null,
      energy: number,
    ) => {
      const { transactionId } = await startTransaction(cp, {
        idTag: 'ST-TAG',
        meterStart: 1000,
        timestamp: startedAt,
      });
      if (stoppedAt)
        await cp.call('StopTransaction', { transactionId, meterStop: 1000 + energy, timestamp: stoppedAt });
    };
    const one = (await bootChargePoint(app.url, 'ST-1')).client;
    const two = (await bootChargePoint(app.url, 'ST-2')).client;
    const three = (await bootChargePoint(app.url, 'ST-3')).client;
    chargers.push(one, two, three);
    await status(one, 1, 'Charging');
    await status(two, 1, 'Available');
    await status(two, 2, 'Faulted', 'GroundFailure');
    await status(three, 1, 'Available');
    await three.close();
    // ST-4 never connected: Unavailable. An unknown charge point, once booted, waits for approval.
    chargers.push((await bootChargePoint(app.url, 'ST-PENDING')).client);

    // The sessions are reported after they happened (a time ahead of the server's clock would be
    // taken as the receipt time); the figures are then read at 14:30 that day.
    const reportLater = 10 * 3_600_000;
    clock.advance(reportLater);
    await session(one, '2026-01-11T09:00:00.000Z', '2026-01-11T10:00:00.000Z', 1000); // today
    await session(one, '2026-01-11T22:00:00.000Z', '2026-01-11T23:59:59.999Z', 20); // today, its last moment
    await session(one, '2026-01-04T09:00:00.000Z', '2026-01-05T10:00:00.000Z', 2000); // this month
    await session(one, '2025-12-31T20:00:00.000Z', '2025-12-31T23:59:59.999Z', 4000); // last month
    await session(one, '2026-01-11T23:00:00.000Z', '2026-01-12T00:00:00.000Z', 300); // tomorrow: this month
    await session(two, '2026-01-11T08:00:00.000Z', '2026-01-11T08:30:00.000Z', 500); // today, ST-2
    await session(two, '2026-01-11T14:00:00.000Z', null, 0); // active
    await session(one, '2026-01-11T14:10:00.000Z', null, 0); // active
    clock.advance(-reportLater);
  });
  afterAll(async () => {
    for (const charger of chargers) await charger.close();
  });

  const stats = async (token: string) => {
    const response = await app.request('GET', '/api/stats', { token });
    expect(response.status).toBe(200);
    return response.body;
  };
  const viewerToken = (username: string, scope: Record<string, unknown>) =>
    userToken(app, app.admin, { username, roles: ['viewer'], ...scope });

  it('counts stations by status, connections, active transactions and energy today and this month (UTC)', async () => {
    expect(await stats(app.admin)).toEqual({
      stations: {
        total: 5,
        connected: 3,
        pending: 1,
        byStatus: { Available: 0, Occupied: 1, Reserved: 0, Unavailable: 3, Faulted: 1 },
      },
      transactions: { active: 2 },
      energy: {
        todayWh: 1520,
        monthWh: 3820,
        timezone: 'UTC',
        todayFrom: '2026-01-11T00:00:00.000Z',
        monthFrom: '2026-01-01T00:00:00.000Z',
      },
      generatedAt: '2026-01-11T14:30:00.000Z',
    });
  });

  it('counts only the stations of the caller, by station list and by site', async () => {
    const byStation = await viewerToken('st-one', { allowedStations: ['ST-1'] });
    expect(await stats(byStation)).toMatchObject({
      stations: { total: 1, connected: 1, pending: 0, byStatus: { Occupied: 1, Faulted: 0, Unavailable: 0 } },
      transactions: { active: 1 },
      energy: { todayWh: 1020, monthWh: 3320 },
    });
    const bySite = await viewerToken('st-north', { allowedSites: [north] });
    expect(await stats(bySite)).toMatchObject({
      stations: { total: 2, connected: 2, byStatus: { Occupied: 1, Faulted: 1 } },
      transactions: { active: 2 },
      energy: { todayWh: 1520, monthWh: 3820 },
    });
    const nothing = await viewerToken('st-none', { allowedStations: [] });
    expect(await stats(nothing)).toMatchObject({
      stations: { total: 0, connected: 0, pending: 0 },
      transactions: { active: 0 },
      energy: { todayWh: 0, monthWh: 0 },
    });
  });

  it('answers 401 without a token and 403 without stations.view', async () => {
    await expectPermissionRequired(app, app.admin, '/api/stats', 'st-bare');
  });
});
