import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { type Asked, LimitStations } from '../support/limit-stations.js';
import { eventually } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DIALECTS)('how the load manager sends limits, on %s', (dialect) => {
  const app = useTestApp(dialect, {
    env: { LOAD_MANAGEMENT_INTERVAL_MS: '200', OCPP_CALL_TIMEOUT_MS: '10000' },
  });
  const opened: LimitStations[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((stations) => stations.close()));
  });

  /** A site limited to `maxPowerKw` whose raw stations answer TxProfiles with `answer`. */
  const site = async (
    name: string,
    maxPowerKw: number,
    answer?: (asked: Asked) => Promise<string> | string,
  ) => {
    const body = { name, maxPowerKw };
    const id: number = (await app.request('POST', '/api/sites', { token: app.admin, body })).body.id;
    const stations = new LimitStations(app, app.admin, id, answer);
    opened.push(stations);
    return { id, stations };
  };

  it('gives a session without a limit its first limit at once: paused while there is no room', async () => {
    let slow = false;
    let answeredAt = 0;
    const { stations } = await site('First limit', 25, async (asked) => {
      if (slow && asked.chargePointId === 'FL-A') {
        await sleep(1500);
        answeredAt = Date.now();
      }
      return 'Accepted';
    });
    await stations.add('FL-A');
    await stations.add('FL-B');
    await stations.start('FL-A');
    await eventually(() => stations.holding.get('FL-A/1') === 22_000);
    slow = true;
    await stations.start('FL-B');
    // FL-A is asked to lower to 12.5 kW and answers late: meanwhile it may hold 22, 3 kW are
    // left, less than the 4.14 kW minimum: FL-B is paused at once, not left without a limit.
    await eventually(() => stations.limits('FL-B').length > 0, 2000);
    expect(stations.limits('FL-B')).toEqual([0]);
    expect(answeredAt).toBe(0);
    await eventually(() => stations.holding.get('FL-B/1') === 12_500, 5000);
    expect(stations.limits('FL-A')).toEqual([22_000, 12_500]);
    expect(stations.limits('FL-B')).toEqual([0, 12_500]);
    expect(stations.highestW).toBeLessThanOrEqual(25_000);
  });

  it('counts a limit queued behind another call of its station at what the station still holds', async () => {
    // FL-Q answers each TxProfile after 800 ms: a second one for its other connector waits for
    // the first, and until it is sent the connector still holds its old limit.
    const { stations } = await site('Queued', 30, async (asked) => {
      if (asked.chargePointId === 'FL-Q') await sleep(800);
      return 'Accepted';
    });
    await stations.add('FL-Q', 22, 2);
    await stations.add('FL-R');
    await stations.add('FL-S');
    await stations.start('FL-Q', 1);
    await stations.start('FL-Q', 2);
    await stations.start('FL-R');
    await eventually(
      () => ['FL-Q/1', 'FL-Q/2', 'FL-R/1'].every((key) => stations.holding.get(key) === 10_000),
      10_000,
    );
    await stations.start('FL-S');
    await eventually(
      () => ['FL-Q/1', 'FL-Q/2', 'FL-R/1', 'FL-S/1'].every((key) => stations.holding.get(key) === 7500),
      10_000,
    );
    // Had the queued lowering of FL-Q/2 counted as done, FL-S would have been given its share
    // while FL-Q/2 still held 10 kW: 10 + 10 + 7.5 + 7.5 > 30.
    expect(stations.highestW).toBeLessThanOrEqual(30_000);
  }, 30_000);

  it('asks a station that refused again, at its maximum, only once everything fits with it counted so', async () => {
    let refusing = true;
    const { id, stations } = await site('Refusing', 14, (asked) =>
      asked.chargePointId === 'FL-X' && refusing ? 'Rejected' : 'Accepted',
    );
    await stations.add('FL-X', 11);
    await stations.add('FL-Y');
    await stations.start('FL-X');
    await eventually(() => stations.limits('FL-X').length === 1);
    await stations.start('FL-Y');
    // FL-X counts at 11 kW: 3 kW are left for FL-Y, below its minimum: it is paused.
    await eventually(() => stations.holding.get('FL-Y/1') === 0);
    // A refusal of a first profile may be passing (one that overtook its StartTransaction.conf):
    // FL-X is asked once more, at its maximum, after 3 s. Then, while not everything fits, not again.
    await sleep(4000);
    expect(stations.limits('FL-X')).toEqual([11_000, 11_000]);
    await sleep(3500);
    expect(stations.limits('FL-X')).toEqual([11_000, 11_000]);
    refusing = false;
    const patched = await app.request('PATCH', `/api/sites/${id}`, {
      token: app.admin,
      body: { maxPowerKw: 40 },
    });
    expect(patched.status).toBe(200);
    // Now FL-Y gets the 29 kW left (its 22 kW) and FL-X is asked again at its maximum.
    await eventually(() => stations.holding.get('FL-Y/1') === 22_000, 5000);
    await eventually(() => stations.limits('FL-X', 1, true).length > 0, 5000);
    expect(stations.limits('FL-X')).toEqual([11_000, 11_000, 11_000]);
    expect(stations.highestW).toBeLessThanOrEqual(40_000);
  }, 30_000);
});
