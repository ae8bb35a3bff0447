import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { LimitStations } from '../support/limit-stations.js';
import { BOOT, eventually } from '../support/ocpp-client.js';
import { ManualClock } from '../support/test-app.js';
import { useTestApp } from '../support/use-test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DIALECTS)('a station that boots again while its session is limited, on %s', (dialect) => {
  const app = useTestApp(dialect, {
    env: { LOAD_MANAGEMENT_INTERVAL_MS: '200', OCPP_CALL_TIMEOUT_MS: '10000' },
  });
  let stations: LimitStations | undefined;
  afterAll(async () => {
    await stations?.close();
  });

  it('counts its sessions at its maximum until their limits are sent again, at once', async () => {
    let slow = false;
    const body = { name: 'Reboot', maxPowerKw: 30 };
    const siteId: number = (await app.request('POST', '/api/sites', { token: app.admin, body })).body.id;
    stations = new LimitStations(app, app.admin, siteId, async (asked) => {
      if (slow && asked.chargePointId === 'RB-A') await sleep(1000);
      return 'Accepted';
    });
    const a = await stations.add('RB-A');
    await stations.add('RB-B');
    await stations.start('RB-A');
    await stations.start('RB-B');
    await eventually(
      () => stations!.holding.get('RB-A/1') === 15_000 && stations!.holding.get('RB-B/1') === 15_000,
    );
    const before = stations.asked.length;
    slow = true;
    const bootedAt = Date.now();
    await a.call('BootNotification', BOOT);
    // Its TxProfile is gone: it may draw 22 kW until its 15 kW are accepted again.
    stations.hold('RB-A/1', 22_000);
    /** The limits a station was asked since the boot, W. */
    const since = (id: string) => stations!.asked.slice(before).filter((asked) => asked.chargePointId === id);
    await eventually(() => since('RB-A').length > 0, 2000);
    const [resent] = since('RB-A');
    expect(resent!.limitW).toBe(15_000);
    expect(resent!.at - bootedAt).toBeLessThan(1000);
    // Meanwhile RB-B gets only what is left beside RB-A's 22 kW; once RB-A accepted, its share again.
    await eventually(() => since('RB-B').some((asked) => asked.limitW === 8000), 2000);
    await eventually(
      () => stations!.holding.get('RB-B/1') === 15_000 && stations!.holding.get('RB-A/1') === 15_000,
      5000,
    );
    expect(since('RB-A').map((asked) => asked.limitW)).toEqual([15_000]);
    expect(since('RB-B').map((asked) => asked.limitW)).toEqual([8000, 15_000]);
    const load = (await app.request('GET', `/api/sites/${siteId}/load`, { token: app.admin })).body;
    expect(load.allocatedKw).toBe(30);
  }, 20_000);
});

describe.each(DIALECTS)('a schedule window with a lower limit, on %s', (dialect) => {
  // 14:30 UTC is 21:30 in Jakarta: the window opens at 21:31.
  const clock = new ManualClock(Date.parse('2026-01-11T14:30:00.000Z'));
  const app = useTestApp(dialect, {
    clock,
    env: { LOAD_MANAGEMENT_INTERVAL_MS: '200' },
  });
  let stations: LimitStations | undefined;
  afterAll(async () => {
    await stations?.close();
  });

  it('is shared a little before the window starts, so that the stations have lowered by then', async () => {
    const body = { name: 'Evening', maxPowerKw: 30 };
    const siteId: number = (await app.request('POST', '/api/sites', { token: app.admin, body })).body.id;
    const limitSchedule = [{ from: '21:31', to: '22:00', maxPowerKw: 10 }];
    const patched = await app.request('PATCH', `/api/sites/${siteId}`, {
      token: app.admin,
      body: { limitSchedule },
    });
    expect(patched.status, patched.text).toBe(200);
    stations = new LimitStations(app, app.admin, siteId);
    await stations.add('SW-A');
    await stations.start('SW-A', 1, clock.now());
    await eventually(() => stations!.holding.get('SW-A/1') === 22_000);
    // 15 s before the window: nothing changes yet.
    clock.advance(45_000);
    await sleep(600);
    expect(stations.limits('SW-A')).toEqual([22_000]);
    // 9 s before it: the station is lowered while the limit in force is still 30 kW.
    clock.advance(6000);
    await eventually(() => stations!.holding.get('SW-A/1') === 10_000, 2000);
    const load = (await app.request('GET', `/api/sites/${siteId}/load`, { token: app.admin })).body;
    expect(load).toMatchObject({ limitKw: 30, allocatedKw: 10 });
    clock.advance(9000);
    await eventually(
      async () =>
        (await app.request('GET', `/api/sites/${siteId}/load`, { token: app.admin })).body.limitKw === 10,
    );
    expect(stations.limits('SW-A')).toEqual([22_000, 10_000]);
  }, 20_000);
});
