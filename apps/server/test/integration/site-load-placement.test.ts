import { afterAll, describe, expect, it } from 'vitest';
import { createIdTags, createStation, sendMeterValue, startTransaction } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';

describe.each(DIALECTS)('a station placed at a limited site while it charges, on %s', (dialect) => {
  // The periodic pass as rare as allowed (5 s): what is asserted must come from the session's own start.
  const app = useTestApp(dialect, { env: { LOAD_MANAGEMENT_INTERVAL_MS: '5000' } });
  let cp: TestChargePoint | undefined;
  afterAll(async () => {
    await cp?.close({ force: true });
  });

  it('gets its limit as its next session starts, though its meter values remember it at no site', async () => {
    const site = await app.request('POST', '/api/sites', {
      token: app.admin,
      body: { name: 'Placed', maxPowerKw: 7 },
    });
    await createStation(app, app.admin, {
      chargePointId: 'SP-1',
      ocppPassword: null,
      maxPowerKw: 22,
    });
    await createIdTags(app, app.admin, 'SP-TAG');
    ({ client: cp } = await bootChargePoint(app.url, 'SP-1'));
    const limitsW: number[] = [];
    cp.handle(async ({ method, params }) => {
      if (method !== 'SetChargingProfile') return {};
      const limit = (
        params as {
          csChargingProfiles: { chargingSchedule: { chargingSchedulePeriod: { limit: number }[] } };
        }
      ).csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]?.limit;
      if (limit !== undefined) limitsW.push(limit);
      return { status: 'Accepted' };
    });

    // Charging at no site: its meter values settle nothing, and the load manager remembers "no site".
    const first = await startTransaction(cp, { idTag: 'SP-TAG', timestamp: new Date().toISOString() });
    await sendMeterValue(cp, { transactionId: first.transactionId, timestamp: new Date().toISOString() }, [
      { value: '100' },
    ]);
    // The site's own settling after its creation (300 ms) is over: it found no session there.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Placed at the limited site, it stops and starts again within the memory's 5 s.
    const placed = await app.request('PATCH', '/api/stations/SP-1', {
      token: app.admin,
      body: { siteId: site.body.id },
    });
    expect(placed.status).toBe(200);
    await cp.call('StopTransaction', {
      transactionId: first.transactionId,
      meterStop: 100,
      timestamp: new Date().toISOString(),
    });
    const began = Date.now();
    await startTransaction(cp, { idTag: 'SP-TAG', timestamp: new Date().toISOString() });
    // At once (the start's own settling, 100 ms), not at a periodic pass up to 5 s later.
    await eventually(() => limitsW.includes(7_000), 1_000);
    expect(Date.now() - began).toBeLessThan(1_000);
  });
});
