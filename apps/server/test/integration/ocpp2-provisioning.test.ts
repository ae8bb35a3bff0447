import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStation } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { eventually, upgradeStatus, ocppUrl, type TestChargePoint } from '../support/ocpp-client.js';
import { BOOT2, bootStation2, connectStation2 } from '../support/ocpp2-client.js';
import { transactionEvent, sendStatus } from '../support/ocpp2-session.js';

const T0 = '2026-01-11T14:30:00.000Z';

const REPORT = {
  requestId: 1,
  generatedAt: T0,
  seqNo: 0,
  tbc: true,
  reportData: [
    {
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'HeartbeatInterval' },
      variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadWrite' }],
      variableCharacteristics: { dataType: 'integer', unit: 's', supportsMonitoring: false },
    },
    {
      component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
      variable: { name: 'AvailabilityState' },
      variableAttribute: [{ value: 'Available', mutability: 'ReadOnly' }],
      variableCharacteristics: { dataType: 'OptionList', supportsMonitoring: true },
    },
    {
      component: { name: 'SmartChargingCtrlr', instance: 'main' },
      variable: { name: 'Enabled' },
      variableAttribute: [
        { type: 'Actual', value: 'true', mutability: 'ReadWrite' },
        { type: 'Target', value: 'false', mutability: 'ReadWrite' },
      ],
    },
  ],
};

describe.each(DIALECTS)('OCPP 2.0.1 provisioning and status on %s', (dialect) => {
  // The default policy: an unknown station waits for approval.
  const app = useTestApp(dialect);
  let cs: TestChargePoint;
  const reports: unknown[] = [];
  const station = async (id: string) =>
    (await app.request('GET', `/api/stations/${id}`, { token: app.admin })).body as Record<
      string,
      unknown
    > & {
      connectors: Record<string, unknown>[];
    };

  beforeAll(async () => {
    for (const chargePointId of ['CS-201', 'CS-BOOT', 'CS-MULTI', 'CS-ORDER']) {
      await createStation(app, app.admin, { chargePointId, ocppPassword: null });
    }
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

  it('TC_B_01_CSMS: a cold boot is accepted with the heartbeat interval and the station shows 2.0.1', async () => {
    const { client, boot } = await bootStation2(app.url, 'CS-BOOT');
    expect(boot).toMatchObject({ status: 'Accepted', interval: 300 });
    // The identity it booted with: Acme, Volt 2, S-2, 2.0.0.
    const { vendorName: vendor, model, serialNumber, firmwareVersion } = BOOT2.chargingStation;
    expect(await station('CS-BOOT')).toMatchObject({
      ocppVersion: '2.0.1',
      vendor,
      model,
      serialNumber,
      firmwareVersion,
      connected: true,
    });
    await client.close();
  });

  it('TC_B_58_CSMS: picks the newest subprotocol the station offers, and refuses one it does not speak', async () => {
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
    expect(await upgradeStatus(`${ocppUrl(app.url)}/CS-MULTI`, { protocols: ['ocpp2.0'] })).toBe(400);
  });

  it('TC_B_02_CSMS, TC_B_30_CSMS: a pending station may only boot; once approved it is accepted', async () => {
    const pending = await connectStation2(app.url, 'CS-NEW', { strictMode: false });
    expect(((await pending.call('BootNotification', BOOT2)) as { status: string }).status).toBe('Pending');
    expect((await pending.call('Heartbeat', {})) as object).toHaveProperty('currentTime');
    await expect(
      pending.call('TransactionEvent', transactionEvent('Started', 'TX-P', 0, { evseId: 1 })),
    ).rejects.toMatchObject({ rpcErrorCode: 'SecurityError' });
    expect((await station('CS-NEW')).registration).toBe('pending');
    expect((await app.request('POST', '/api/stations/CS-NEW/approve', { token: app.admin })).status).toBe(
      200,
    );
    expect(((await pending.call('BootNotification', BOOT2)) as { status: string }).status).toBe('Accepted');
    await pending.close();
  });

  it('TC_A_01_CSMS, TC_A_03_CSMS: asks a station with a password for it by Basic auth', async () => {
    await createStation(app, app.admin, { chargePointId: 'CS-SECRET', ocppPassword: 'correct-horse-2' });
    const url = `${ocppUrl(app.url)}/CS-SECRET`;
    expect(await upgradeStatus(url, { protocols: ['ocpp2.0.1'] })).toBe(401);
    const basic = (password: string) => `Basic ${Buffer.from(`CS-SECRET:${password}`).toString('base64')}`;
    expect(
      await upgradeStatus(url, {
        protocols: ['ocpp2.0.1'],
        headers: { authorization: basic('wrong-pass-1') },
      }),
    ).toBe(401);
    const { client, boot } = await bootStation2(app.url, 'CS-SECRET', { password: 'correct-horse-2' });
    expect(boot.status).toBe('Accepted');
    await client.close();
  });

  it('TC_B_13_CSMS: asks for the full inventory after the first accepted boot and keeps the report', async () => {
    await eventually(() => reports.length > 0);
    expect(reports[0]).toMatchObject({ reportBase: 'FullInventory', requestId: expect.any(Number) });
    await cs.call('NotifyReport', REPORT);
    await cs.call('NotifyReport', {
      requestId: 1,
      generatedAt: T0,
      seqNo: 1,
      reportData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          variableAttribute: [{ type: 'Actual', value: '600' }],
        },
      ],
    });
    const { items, total } = await app.deviceModel.list('CS-201', { limit: 50, offset: 0 });
    expect(total).toBe(4);
    expect(items).toEqual([
      expect.objectContaining({
        component: 'Connector',
        evseId: 1,
        connectorId: 1,
        variable: 'AvailabilityState',
        attributeType: 'Actual',
        value: 'Available',
        mutability: 'ReadOnly',
        dataType: 'OptionList',
      }),
      // A later part replaced the value and kept what it did not repeat.
      expect.objectContaining({
        component: 'OCPPCommCtrlr',
        componentInstance: null,
        evseId: null,
        connectorId: null,
        variable: 'HeartbeatInterval',
        value: '600',
        mutability: 'ReadWrite',
        dataType: 'integer',
        unit: 's',
      }),
      expect.objectContaining({
        component: 'SmartChargingCtrlr',
        componentInstance: 'main',
        attributeType: 'Actual',
      }),
      expect.objectContaining({
        component: 'SmartChargingCtrlr',
        componentInstance: 'main',
        attributeType: 'Target',
      }),
    ]);
    expect(items.map((i) => [i.component, i.attributeType, i.value])).toEqual([
      ['Connector', 'Actual', 'Available'],
      ['OCPPCommCtrlr', 'Actual', '600'],
      ['SmartChargingCtrlr', 'Actual', 'true'],
      ['SmartChargingCtrlr', 'Target', 'false'],
    ]);
  });

  it('TC_B_13_CSMS: sends GetBaseReport only once the BootNotification answer is out, and only while no report is kept', async () => {
    // The frames as they arrive, in wire order: the answer to the boot (3), then the call (2).
    const seen: string[] = [];
    const client = await connectStation2(app.url, 'CS-ORDER');
    client.on('message', ({ message, outbound }: { message: string; outbound: boolean }) => {
      const [type, , action] = JSON.parse(message) as [number, string, unknown];
      if (!outbound) seen.push(type === 2 ? String(action) : `answer ${type}`);
    });
    await client.call('BootNotification', BOOT2);
    await eventually(() => seen.length === 2);
    expect(seen).toEqual(['answer 3', 'GetBaseReport']);
    await client.call('NotifyReport', { ...REPORT, tbc: false });
    await client.call('BootNotification', BOOT2);
    await client.call('Heartbeat', {});
    expect(seen).toEqual(['answer 3', 'GetBaseReport', 'answer 3', 'answer 3', 'answer 3']);
    const trail = await app.request('GET', '/api/stations/CS-ORDER/commands', { token: app.admin });
    expect(trail.body.items).toEqual([
      expect.objectContaining({ action: 'GetBaseReport', outcome: 'answered', userId: null }),
    ]);
    await client.close();
  });

  it('answers Heartbeat with the current time', async () => {
    const answer = (await cs.call('Heartbeat', {})) as { currentTime: string };
    expect(Date.parse(answer.currentTime)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('TC_G_01_CSMS, TC_G_20_CSMS: maps an EVSE status to a connector of the station, Faulted with OtherError', async () => {
    await sendStatus(cs, 1, 'Available', T0);
    expect((await station('CS-201')).status).toBe('Available');
    await sendStatus(cs, 1, 'Occupied', T0);
    expect((await station('CS-201')).status).toBe('Occupied');
    await sendStatus(cs, 2, 'Faulted', T0);
    const body = await station('CS-201');
    expect(body.status).toBe('Faulted');
    expect(body.connectors).toEqual([
      expect.objectContaining({ connectorId: 1, status: 'Occupied', errorCode: 'NoError', timestamp: T0 }),
      expect.objectContaining({ connectorId: 2, status: 'Faulted', errorCode: 'OtherError' }),
    ]);
  });

  it('keeps security events, firmware and log statuses, and what NotifyEvent tells of a variable', async () => {
    await cs.call('SecurityEventNotification', {
      type: 'TamperDetectionActivated',
      timestamp: T0,
      techInfo: 'lid',
    });
    await cs.call('FirmwareStatusNotification', { status: 'Downloading', requestId: 3 });
    await cs.call('LogStatusNotification', { status: 'Uploaded', requestId: 4 });
    await cs.call('NotifyEvent', {
      generatedAt: T0,
      seqNo: 0,
      eventData: [
        {
          eventId: 1,
          timestamp: T0,
          trigger: 'Delta',
          actualValue: 'Occupied',
          eventNotificationType: 'HardWiredNotification',
          component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
          variable: { name: 'AvailabilityState' },
        },
      ],
    });
    const events = await app.request('GET', '/api/stations/CS-201/security-events', { token: app.admin });
    expect(events.body.items).toEqual([
      expect.objectContaining({
        type: 'TamperDetectionActivated',
        timestamp: T0,
        techInfo: 'lid',
        source: 'station',
      }),
    ]);
    expect(await station('CS-201')).toMatchObject({
      firmwareStatus: 'Downloading',
      logStatus: 'Uploaded',
    });
    const { items } = await app.deviceModel.list(
      'CS-201',
      { limit: 10, offset: 0 },
      { component: 'Connector' },
    );
    expect(items).toEqual([
      expect.objectContaining({ variable: 'AvailabilityState', value: 'Occupied', mutability: 'ReadOnly' }),
    ]);
  });

  it('TC_P_01_CSMS: answers DataTransfer UnknownVendorId as for 1.6', async () => {
    expect(
      await cs.call('DataTransfer', { vendorId: 'com.example', messageId: 'x', data: { a: 1 } }),
    ).toEqual({
      status: 'UnknownVendorId',
    });
  });
});
