import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app.js';
import { DIALECTS } from '../support/databases.js';
import { BOOT, bootChargePoint, type TestChargePoint } from '../support/ocpp-client.js';
import { ManualClock } from '../support/test-app.js';

const NOW = '2026-06-01T12:00:00.000Z';
const minutes = (n: number) => new Date(Date.parse(NOW) + n * 60_000).toISOString();

/** Issue 10 item 10: a charge point time far from the server's clock is the receipt time. */
describe.each(DIALECTS)('charge point timestamps on %s', (dialect) => {
  let cp: TestChargePoint;
  const clock = new ManualClock(Date.parse(NOW));

  const app = useTestApp(dialect, { clock, env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  beforeAll(async () => {
    await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'GOOD', allowConcurrent: true },
    });
    ({ client: cp } = await bootChargePoint(app.url, 'CP-CLOCK'));
  });
  afterAll(async () => {
    await cp?.close();
  });

  const station = async () => (await app.request('GET', '/api/stations/CP-CLOCK', { token: app.admin })).body;
  const status = (timestamp: string) =>
    cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp });

  it.each([
    ['the year 9999', '9999-12-31T23:59:59.000Z'],
    ['1970 (a clock never set)', '1970-01-01T00:00:00.000Z'],
    ['2000 (an RTC chip’s epoch)', '2000-01-01T00:00:00.000Z'],
    ['2014 (before OCPP 1.6)', '2014-12-31T23:59:59.000Z'],
    ['20 minutes ahead', minutes(20)],
  ])('takes the receipt time for a status dated %s and records the skew', async (_case, timestamp) => {
    const skew = (Date.parse(timestamp) - Date.parse(NOW)) / 1000;
    const before = app.publishedEvents.length;
    await status(timestamp);
    const s = await station();
    expect(s.connectors[0]).toMatchObject({ connectorId: 1, timestamp: NOW });
    expect(s.clockSkewSeconds).toBe(skew);
    expect(app.publishedEvents.slice(before)).toContainEqual(
      expect.objectContaining({ type: 'ConnectorStatusChanged', connectorId: 1, timestamp: NOW }),
    );
  });

  it('takes the receipt time for a leap second JavaScript cannot read', async () => {
    await status('2026-05-31T23:59:60Z');
    expect((await station()).connectors[0].timestamp).toBe(NOW);
  });

  it.each([
    ['10 minutes ahead', minutes(10)],
    ['a week old (sent from an offline queue)', minutes(-7 * 24 * 60)],
    ['early 2015', '2015-01-02T00:00:00.000Z'],
  ])('believes a status dated %s', async (_case, timestamp) => {
    await status(timestamp);
    expect((await station()).connectors[0].timestamp).toBe(timestamp);
  });

  it('forgets the skew when the station boots again (it sets its clock from the answer)', async () => {
    await status('1970-01-01T00:00:00.000Z');
    expect((await station()).clockSkewSeconds).not.toBeNull();
    await cp.call('BootNotification', BOOT);
    expect((await station()).clockSkewSeconds).toBeNull();
  });

  it('starts, meters and stops a transaction dated 9999 at the receipt times, and knows a retried start', async () => {
    const start = { connectorId: 2, idTag: 'GOOD', meterStart: 10, timestamp: '9999-01-01T00:00:00.000Z' };
    const first = (await cp.call('StartTransaction', start)) as { transactionId: number };
    clock.advance(60_000);
    // The retry comes a minute later: the same id, nothing new.
    expect(await cp.call('StartTransaction', start)).toEqual(first);
    await cp.call('MeterValues', {
      connectorId: 2,
      transactionId: first.transactionId,
      meterValue: [{ timestamp: '9999-01-01T00:05:00.000Z', sampledValue: [{ value: '20' }] }],
    });
    await cp.call('StopTransaction', {
      transactionId: first.transactionId,
      meterStop: 30,
      timestamp: '1970-01-01T00:10:00.000Z',
      transactionData: [{ timestamp: '1970-01-01T00:09:00.000Z', sampledValue: [{ value: '29' }] }],
    });
    const detail = (
      await app.request('GET', `/api/transactions/${first.transactionId}`, { token: app.admin })
    ).body;
    expect(detail).toMatchObject({ startedAt: NOW, stoppedAt: minutes(1), durationSeconds: 60 });
    expect(detail.meterValues.map((v: { timestamp: string }) => v.timestamp)).toEqual([
      minutes(1),
      minutes(1),
    ]);
    const list = await app.request('GET', '/api/transactions?chargePointId=CP-CLOCK', { token: app.admin });
    expect(list.body.total).toBe(1);
    expect((await station()).clockSkewSeconds).toBe(
      Math.round((Date.parse('1970-01-01T00:09:00.000Z') - Date.parse(minutes(1))) / 1000),
    );
  });
});
