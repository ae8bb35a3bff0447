import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp, withTestApp } from '../support/use-test-app.js';
import { BOOT, bootChargePoint, connectChargePoint, eventually } from '../support/ocpp-client.js';

const NOW = '2026-01-11T14:30:00Z';

/** Everything a charge point may send besides BootNotification and Heartbeat. */
const GATED: [string, object][] = [
  ['StatusNotification', { connectorId: 2147483647, status: 'Faulted', errorCode: 'OtherError' }],
  ['StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' }],
  ['Authorize', { idTag: 'TAG-1' }],
  ['StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: NOW }],
  ['StopTransaction', { transactionId: 7, meterStop: 10, timestamp: NOW }],
  [
    'MeterValues',
    { connectorId: 1, meterValue: [{ timestamp: NOW, sampledValue: [{ value: '12', unit: 'Wh' }] }] },
  ],
  ['DataTransfer', { vendorId: 'Acme', data: 'x'.repeat(1000) }],
  ['DiagnosticsStatusNotification', { status: 'Uploaded' }],
  ['FirmwareStatusNotification', { status: 'Installed' }],
];

/**
 * Issue 10, "gate on acceptance": a charge point whose registration is not accepted gets its
 * BootNotification and Heartbeat answered and SecurityError for anything else, which stores
 * nothing (OCPP 1.6 §4.2).
 */
describe.each(DIALECTS)('the acceptance gate on %s', (dialect) => {
  const app = useTestApp(dialect);

  const station = async (id: string) =>
    (await app.request('GET', `/api/stations/${id}`, { token: app.admin })).body;
  const transactions = async (id: string) =>
    (await app.request('GET', `/api/transactions?chargePointId=${id}`, { token: app.admin })).body;
  const messages = async (id: string) =>
    (await app.request('GET', `/api/stations/${id}/messages?limit=100`, { token: app.admin })).body;
  const eventsOf = (id: string, types: string[]) =>
    app.publishedEvents.filter(
      (e) => 'chargePointId' in e && e.chargePointId === id && types.includes(e.type),
    );

  it('answers SecurityError to a pending station for every action but BootNotification and Heartbeat, storing nothing', async () => {
    const { client, boot } = await bootChargePoint(app.url, 'GATED-1');
    expect(boot.status).toBe('Pending');
    expect(await client.call('Heartbeat', {})).toHaveProperty('currentTime');
    for (const [action, payload] of GATED) {
      await expect(client.call(action, payload), action).rejects.toMatchObject({
        rpcErrorCode: 'SecurityError',
      });
    }
    expect((await station('GATED-1')).connectors).toEqual([]);
    expect(await transactions('GATED-1')).toMatchObject({ total: 0 });
    expect(
      eventsOf('GATED-1', [
        'ConnectorStatusChanged',
        'TransactionStarted',
        'TransactionStopped',
        'MeterValuesReceived',
      ]),
    ).toEqual([]);
    // The message log keeps the BootNotification exchange, not what was refused.
    await eventually(async () => (await messages('GATED-1')).total >= 2);
    await new Promise((r) => setTimeout(r, 400));
    const logged = (await messages('GATED-1')).items as { action: string | null }[];
    expect(new Set(logged.map((m) => m.action))).toEqual(new Set(['BootNotification']));
    await client.close();
  });

  it('lets a station report as soon as it is approved, without booting again', async () => {
    const { client } = await bootChargePoint(app.url, 'GATED-2');
    await expect(
      client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' }),
    ).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });
    expect((await app.request('POST', '/api/stations/GATED-2/approve', { token: app.admin })).status).toBe(
      200,
    );
    await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    expect((await station('GATED-2')).connectors).toMatchObject([{ connectorId: 1, status: 'Available' }]);
    await client.close();
  });

  it('lets an accepted station that reconnects report at once, without a BootNotification', async () => {
    await app.request('POST', '/api/stations', {
      token: app.admin,
      // Without a password (POST /api/stations generates one unless told otherwise).
      body: { chargePointId: 'KNOWN-2', name: 'Known', ocppPassword: null },
    });
    const first = await connectChargePoint(app.url, 'KNOWN-2');
    expect(await first.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
    await first.close();
    const again = await connectChargePoint(app.url, 'KNOWN-2');
    await again.call('StatusNotification', { connectorId: 2, status: 'Charging', errorCode: 'NoError' });
    await again.call('MeterValues', {
      connectorId: 2,
      meterValue: [{ timestamp: NOW, sampledValue: [{ value: '5' }] }],
    });
    expect((await station('KNOWN-2')).connectors).toMatchObject([{ connectorId: 2, status: 'Charging' }]);
    await again.close();
  });
});

describe.each(DIALECTS)('the acceptance gate under accept on %s', (dialect) => {
  it('refuses what an unknown charge point sends before its BootNotification, storing nothing', async () => {
    await withTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } }, async (app) => {
      const admin = (await app.login()).token;
      const client = await connectChargePoint(app.url, 'EAGER-1');
      await expect(
        client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' }),
      ).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });
      expect((await app.request('GET', '/api/stations/EAGER-1', { token: admin })).status).toBe(404);
      expect(await client.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
      await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
      const stored = await app.request('GET', '/api/stations/EAGER-1', { token: admin });
      expect(stored.body.connectors).toMatchObject([{ connectorId: 1, status: 'Available' }]);
      await client.close();
    });
  });
});
