import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { eventually, upgradeStatus, ocppUrl, type TestChargePoint } from '../support/ocpp-client.js';
import { BOOT2, bootStation2, connectStation2 } from '../support/ocpp2-client.js';

const T0 = '2026-01-11T14:30:00.000Z';

describe.each(DIALECTS)('OCPP 2.0.1 provisioning and status on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  let cs: TestChargePoint;
  const reports: unknown[] = [];

  beforeAll(async () => {
    ({ client: cs } = await bootStation2(app.url, 'CS-201', {
      handlers: {
        GetBaseReport: (params) => {
          reports.push(params);
          return { status: 'Accepted' };
        },
      },
    }));
  });
  afterAll(async () => {
    await cs?.close();
  });

  const station = async (id = 'CS-201') =>
    (await app.request('GET', `/api/stations/${id}`, { token: app.admin })).body as Record<string, unknown>;

  it('TC_B_01_CSMS: a cold boot is accepted with the heartbeat interval and the station shows 2.0.1', async () => {
    const { client, boot } = await bootStation2(app.url, 'CS-BOOT');
    expect(boot).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(await station('CS-BOOT')).toMatchObject({
      ocppVersion: '2.0.1',
      vendor: 'Acme',
      model: 'Volt 2',
      serialNumber: 'S-2',
      firmwareVersion: '2.0.0',
      connected: true,
    });
    await client.close();
  });

  it('picks the newest protocol the station offers', async () => {
    const client = await connectStation2(app.url, 'CS-MULTI', {
      protocols: ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'],
    });
    expect(client.protocol).toBe('ocpp2.1');
    await client.call('BootNotification', BOOT2);
    expect((await station('CS-MULTI')).ocppVersion).toBe('2.1');
    await client.close();
    const older = await connectStation2(app.url, 'CS-MULTI', { protocols: ['ocpp1.6', 'ocpp2.0.1'] });
    expect(older.protocol).toBe('ocpp2.0.1');
    await eventually(async () => (await station('CS-MULTI')).ocppVersion === '2.0.1');
    await older.close();
    expect(await upgradeStatus(`${ocppUrl(app.url)}/CS-NONE`, { protocols: ['ocpp2.0'] })).toBe(400);
  });

  it('TC_B_07_CSMS: asks for the full inventory after the first accepted boot', async () => {
    await eventually(() => reports.length > 0);
    expect(reports[0]).toMatchObject({ reportBase: 'FullInventory' });
  });

  it('answers Heartbeat with the current time', async () => {
    const answer = (await cs.call('Heartbeat', {})) as { currentTime: string };
    expect(Date.parse(answer.currentTime)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('TC_G_01_CSMS: maps an EVSE status to a connector of the station', async () => {
    await cs.call('StatusNotification', {
      timestamp: T0,
      connectorStatus: 'Available',
      evseId: 1,
      connectorId: 1,
    });
    await cs.call('StatusNotification', {
      timestamp: T0,
      connectorStatus: 'Faulted',
      evseId: 2,
      connectorId: 1,
    });
    const body = await station();
    expect(body.status).toBe('Faulted');
    expect(body.connectors).toEqual([
      expect.objectContaining({ connectorId: 1, status: 'Available', errorCode: 'NoError' }),
      expect.objectContaining({ connectorId: 2, status: 'Faulted', errorCode: 'OtherError' }),
    ]);
  });
});
