import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTransaction } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import {
  bootChargePoint,
  connectChargePoint,
  eventually,
  ocppUrl,
  rawSocket,
  type TestChargePoint,
} from '../support/ocpp-client.js';

const T0 = '2026-01-11T14:30:00.000Z';

describe.each(DIALECTS)('OCPP 1.6 messages from a charge point on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  let cp: TestChargePoint;

  beforeAll(async () => {
    for (const tag of [
      { idTag: 'GOOD', status: 'Accepted' },
      { idTag: 'PARENT', status: 'Accepted' },
      { idTag: 'CHILD', status: 'Accepted', parentIdTag: 'PARENT', expiryDate: '2099-01-01T00:00:00Z' },
      { idTag: 'BLOCKED', status: 'Blocked' },
      { idTag: 'OLD', status: 'Accepted', expiryDate: '2020-01-01T00:00:00.000Z' },
      { idTag: 'MARKED', status: 'Expired' },
      { idTag: 'FLEET', status: 'Accepted', allowConcurrent: true },
    ]) {
      expect((await app.request('POST', '/api/id-tags', { token: app.admin, body: tag })).status).toBe(201);
    }
    ({ client: cp } = await bootChargePoint(app.url, 'CP-MSG'));
  });
  afterAll(async () => {
    await cp?.close();
  });

  const station = async (id = 'CP-MSG') =>
    (await app.request('GET', `/api/stations/${id}`, { token: app.admin })).body;

  it('records the identity of BootNotification and answers Accepted with the heartbeat interval', async () => {
    const { client, boot } = await bootChargePoint(app.url, 'CP-BOOT');
    expect(boot).toMatchObject({ status: 'Accepted', interval: 300 });
    // The fields the station shows under their OCPP names; vendor, model and serial number are renamed.
    const sameName = {
      chargeBoxSerialNumber: 'B-1',
      firmwareVersion: '1.2.3',
      iccid: '8962',
      imsi: '5101',
      meterType: 'DC',
      meterSerialNumber: 'M-1',
    };
    await client.call('BootNotification', {
      chargePointVendor: 'Acme',
      chargePointModel: 'X1',
      chargePointSerialNumber: 'S-1',
      ...sameName,
    });
    expect(await station('CP-BOOT')).toMatchObject({
      vendor: 'Acme',
      model: 'X1',
      serialNumber: 'S-1',
      ...sameName,
      connected: true,
    });
    await client.close();
  });

  it('answers Heartbeat with the current time and records it', async () => {
    const answer = (await cp.call('Heartbeat', {})) as { currentTime: string };
    expect(Date.parse(answer.currentTime)).toBeGreaterThan(Date.now() - 60_000);
    expect((await station()).lastHeartbeat).toBe(answer.currentTime);
  });

  it('keeps connector statuses and derives the station status from them', async () => {
    const report = (connectorId: number, status: string, errorCode = 'NoError') =>
      cp.call('StatusNotification', { connectorId, status, errorCode, timestamp: T0 });
    await report(0, 'Available');
    await report(1, 'Available');
    await report(2, 'Available');
    let s = await station();
    expect(s.status).toBe('Available');
    expect(s.connectors).toEqual([
      expect.objectContaining({ connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: T0 }),
      expect.objectContaining({ connectorId: 2, status: 'Available', errorCode: 'NoError' }),
    ]);
    await report(1, 'Reserved');
    expect((await station()).status).toBe('Reserved');
    await report(2, 'Charging');
    expect((await station()).status).toBe('Occupied');
    await report(1, 'Faulted', 'GroundFailure');
    s = await station();
    expect(s.status).toBe('Faulted');
    expect(s.connectors[0]).toMatchObject({ status: 'Faulted', errorCode: 'GroundFailure' });
    await report(1, 'Unavailable');
    await report(2, 'Unavailable');
    await report(0, 'Unavailable');
    expect((await station()).status).toBe('Unavailable');
    await report(0, 'Available');
    await report(1, 'Available');
    await report(2, 'Available');
  });

  it.each([
    ['GOOD', { status: 'Accepted' }],
    ['CHILD', { status: 'Accepted', parentIdTag: 'PARENT', expiryDate: '2099-01-01T00:00:00.000Z' }],
    ['BLOCKED', { status: 'Blocked' }],
    ['OLD', { status: 'Expired' }],
    ['MARKED', { status: 'Expired' }],
    ['NOBODY', { status: 'Invalid' }],
  ])('answers Authorize for %s from the id tag table', async (idTag, idTagInfo) => {
    const answer = (await cp.call('Authorize', { idTag })) as { idTagInfo: object };
    expect(answer.idTagInfo).toMatchObject(idTagInfo);
  });

  it('starts a transaction with a new positive id, and a retried start gets the same id', async () => {
    const start = { connectorId: 1, idTag: 'GOOD', meterStart: 1000, timestamp: T0 };
    const first = (await cp.call('StartTransaction', start)) as { transactionId: number; idTagInfo: object };
    expect(Number.isInteger(first.transactionId) && first.transactionId > 0).toBe(true);
    expect(first.idTagInfo).toEqual({ status: 'Accepted' });
    const retry = (await cp.call('StartTransaction', start)) as { transactionId: number; idTagInfo: object };
    expect(retry).toEqual(first);
    const list = await app.request('GET', '/api/transactions?status=active&chargePointId=CP-MSG', {
      token: app.admin,
    });
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({
      transactionId: first.transactionId,
      chargePointId: 'CP-MSG',
      connectorId: 1,
      idTag: 'GOOD',
      status: 'active',
      meterStart: 1000,
      meterStop: null,
      startedAt: T0,
      stoppedAt: null,
      energyDelivered: null,
    });
  });

  it('answers ConcurrentTx to a second session of the same tag, unless the tag allows several', async () => {
    const second = await startTransaction(cp, {
      connectorId: 2,
      idTag: 'GOOD',
      meterStart: 50,
      timestamp: '2026-01-11T14:31:00.000Z',
    });
    expect(second.idTagInfo.status).toBe('ConcurrentTx');
    expect(second.transactionId).toBeGreaterThan(0);
    await cp.call('StopTransaction', { transactionId: second.transactionId, meterStop: 50, timestamp: T0 });
    for (const connectorId of [1, 2]) {
      const fleet = await startTransaction(cp, {
        connectorId,
        idTag: 'FLEET',
        timestamp: `2026-01-11T15:0${connectorId}:00.000Z`,
      });
      expect(fleet.idTagInfo.status).toBe('Accepted');
      await cp.call('StopTransaction', { transactionId: fleet.transactionId, meterStop: 10, timestamp: T0 });
    }
  });

  it('stores meter values converted to Wh, kW and % with the measurand default', async () => {
    const { transactionId } = await startTransaction(cp, {
      connectorId: 2,
      idTag: 'CHILD',
      meterStart: 2000,
      timestamp: '2026-01-11T16:00:00.000Z',
    });
    await cp.call('MeterValues', {
      connectorId: 2,
      transactionId,
      meterValue: [
        {
          timestamp: '2026-01-11T16:01:00.000Z',
          sampledValue: [
            { value: '2.5', measurand: 'Energy.Active.Import.Register', unit: 'kWh' },
            { value: '7400', measurand: 'Power.Active.Import', unit: 'W' },
            { value: '42', measurand: 'SoC', unit: 'Percent' },
          ],
        },
        { timestamp: '2026-01-11T16:02:00.000Z', sampledValue: [{ value: '2600' }] },
      ],
    });
    const detail = await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin });
    expect(detail.status).toBe(200);
    expect(detail.body.meterValues).toEqual([
      expect.objectContaining({ measurand: 'Energy.Active.Import.Register', value: 2500, unit: 'Wh' }),
      expect.objectContaining({ measurand: 'Power.Active.Import', value: 7.4, unit: 'kW' }),
      expect.objectContaining({ measurand: 'SoC', value: 42, unit: 'Percent' }),
      expect.objectContaining({
        measurand: 'Energy.Active.Import.Register',
        value: 2600,
        unit: 'Wh',
        timestamp: '2026-01-11T16:02:00.000Z',
      }),
    ]);

    const stop = (await cp.call('StopTransaction', {
      transactionId,
      meterStop: 3100,
      timestamp: '2026-01-11T16:30:00.000Z',
      idTag: 'CHILD',
      transactionData: [
        { timestamp: '2026-01-11T16:29:00.000Z', sampledValue: [{ value: '3.05', unit: 'kWh' }] },
      ],
    })) as { idTagInfo: { status: string; parentIdTag?: string } };
    expect(stop.idTagInfo).toMatchObject({ status: 'Accepted', parentIdTag: 'PARENT' });
    const done = await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin });
    expect(done.body).toMatchObject({
      status: 'completed',
      meterStop: 3100,
      stoppedAt: '2026-01-11T16:30:00.000Z',
      stopReason: 'Local',
      energyDelivered: 1100,
    });
    expect(done.body.meterValues.at(-1)).toMatchObject({ value: 3050, unit: 'Wh' });
    // A repeated stop changes nothing.
    await cp.call('StopTransaction', {
      transactionId,
      meterStop: 9999,
      timestamp: '2026-01-11T17:00:00.000Z',
    });
    expect(
      (await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin })).body.meterStop,
    ).toBe(3100);
  });

  it('stores a StopTransaction for an unknown transaction id and answers it', async () => {
    const answer = (await cp.call('StopTransaction', {
      transactionId: 987654,
      meterStop: 10,
      timestamp: T0,
      idTag: 'BLOCKED',
      reason: 'EVDisconnected',
    })) as { idTagInfo: { status: string } };
    expect(answer.idTagInfo.status).toBe('Blocked');
    const none = await app.request('GET', '/api/transactions/987654', { token: app.admin });
    expect(none.status).toBe(404);
  });

  it('answers DataTransfer from an unknown vendor with UnknownVendorId', async () => {
    expect(await cp.call('DataTransfer', { vendorId: 'com.example', messageId: 'x', data: '1' })).toEqual({
      status: 'UnknownVendorId',
    });
  });

  it('answers DataTransfer from a vendor with a registered handler with that handler’s answer', async () => {
    app.dataTransfer.register('id.co.acme', async (messageId, data) => ({
      status: 'Accepted',
      data: `${messageId ?? ''}:${data ?? ''}`,
    }));
    expect(await cp.call('DataTransfer', { vendorId: 'id.co.acme', messageId: 'ping', data: '42' })).toEqual({
      status: 'Accepted',
      data: 'ping:42',
    });
  });

  it('stores diagnostics and firmware status notifications on the station', async () => {
    await cp.call('DiagnosticsStatusNotification', { status: 'Uploaded' });
    await cp.call('FirmwareStatusNotification', { status: 'Installing' });
    expect(await station()).toMatchObject({ diagnosticsStatus: 'Uploaded', firmwareStatus: 'Installing' });
  });

  it('logs every frame in and out, readable per station', async () => {
    await cp.call('Heartbeat', {});
    await eventually(async () => {
      const log = await app.request('GET', '/api/stations/CP-MSG/messages?limit=2', { token: app.admin });
      return log.body.items?.[0]?.action === 'Heartbeat' && log.body.items[0].messageType === 3;
    });
    const log = await app.request('GET', '/api/stations/CP-MSG/messages?limit=2', { token: app.admin });
    const [answer, call] = log.body.items;
    expect(call).toMatchObject({ direction: 'in', messageType: 2, action: 'Heartbeat', payload: {} });
    expect(answer).toMatchObject({ direction: 'out', messageType: 3, messageId: call.messageId });
    expect(answer.payload.currentTime).toEqual(expect.any(String));
    expect(log.body.total).toBeGreaterThan(20);
  });
});

/** A valid StartTransaction payload, which each bad frame below spoils in one way. */
const START = { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp: '2026-01-11T14:30:00Z' };

/**
 * A StartTransaction call frame as a station's firmware might write it, `"field": value` separated
 * by `, `; a field given as undefined is left out.
 */
function startFrame(messageId: string, payload: Record<string, unknown>): string {
  const fields = Object.entries(payload).filter(([, value]) => value !== undefined);
  const text = fields.map(([field, value]) => `"${field}": ${JSON.stringify(value)}`).join(', ');
  return `[2, "${messageId}", "StartTransaction", {${text}}]`;
}

describe.each(DIALECTS)('bad OCPP input on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });

  beforeAll(async () => {
    await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag: 'GOOD' } });
    const { client } = await bootChargePoint(app.url, 'CP-BAD');
    await client.close();
  });

  const transactionCount = async () =>
    (await app.request('GET', '/api/transactions?chargePointId=CP-BAD', { token: app.admin })).body.total;

  it.each([
    ['a frame that is not JSON', 'hello', 'FormationViolation'],
    ['a frame that is not an array', '{"a":1}', 'FormationViolation'],
    ['a frame with a message id that is not a string', '[2, 17, "Heartbeat", {}]', 'FormationViolation'],
    ['an unknown action', '[2, "m1", "MakeCoffee", {}]', 'NotImplemented'],
    [
      'a missing required field',
      startFrame('m2', { ...START, meterStart: undefined }),
      'OccurenceConstraintViolation',
    ],
    [
      'a field of the wrong type',
      startFrame('m3', { ...START, connectorId: 'one' }),
      'TypeConstraintViolation',
    ],
    ['an unknown field', startFrame('m4', { ...START, color: 'red' }), 'PropertyConstraintViolation'],
    [
      'an id tag longer than 20 characters',
      startFrame('m5', { ...START, idTag: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' }),
      'PropertyConstraintViolation',
    ],
    [
      'a value outside an enumeration',
      '[2, "m8", "StatusNotification", {"connectorId": 1, "status": "Sleeping", "errorCode": "NoError"}]',
      'PropertyConstraintViolation',
    ],
    [
      'a time that is not a date-time',
      startFrame('m9', { ...START, timestamp: 'yesterday' }),
      'PropertyConstraintViolation',
    ],
    ['a frame of an unknown message type', '[7, "m10", "Heartbeat", {}]', 'FormationViolation'],
    ['a call without an action', '[2, "m11"]', 'FormationViolation'],
    [
      'connector 0 for a transaction',
      startFrame('m6', { ...START, connectorId: 0 }),
      'PropertyConstraintViolation',
    ],
    [
      'a meter value that is not a number',
      '[2, "m7", "MeterValues", {"connectorId": 1, "meterValue": [{"timestamp": "2026-01-11T14:30:00Z", "sampledValue": [{"value": "12"}, {"value": "lots"}]}]}]',
      'PropertyConstraintViolation',
    ],
  ])(
    'answers %s with a %s CallError, stores nothing, and keeps the connection',
    async (_case, frame, code) => {
      const socket = await rawSocket(`${ocppUrl(app.url)}/CP-BAD`);
      try {
        const before = await transactionCount();
        const answer = (await socket.send(frame)) as unknown[];
        expect(answer[0]).toBe(4);
        expect(answer[2]).toBe(code);
        expect(await socket.send('[2, "hb", "Heartbeat", {}]')).toEqual([
          3,
          'hb',
          { currentTime: expect.any(String) },
        ]);
        expect(await transactionCount()).toBe(before);
      } finally {
        socket.close();
      }
    },
  );

  it('stores no meter value of a message with one bad value', async () => {
    const cp = await connectChargePoint(app.url, 'CP-BAD', { strictMode: false });
    const { transactionId } = await startTransaction(cp, {
      idTag: 'GOOD',
      timestamp: '2026-01-11T14:30:00Z',
    });
    await expect(
      cp.call('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [{ timestamp: '2026-01-11T14:31:00Z', sampledValue: [{ value: '5' }, { value: 'NaN' }] }],
      }),
    ).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    const detail = await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin });
    expect(detail.body.meterValues).toEqual([]);
    await cp.close();
  });

  it('answers a repeated message id with the same answer without applying it twice', async () => {
    const socket = await rawSocket(`${ocppUrl(app.url)}/CP-BAD`);
    try {
      const frame =
        '[2, "dup-1", "StartTransaction", {"connectorId": 2, "idTag": "GOOD", "meterStart": 7, "timestamp": "2026-02-01T00:00:00Z"}]';
      const first = (await socket.send(frame)) as [number, string, { transactionId: number }];
      const before = await transactionCount();
      const again = await socket.send(frame);
      expect(again).toEqual(first);
      const { transactionId } = first[2];
      const meter = `[2, "dup-2", "MeterValues", {"connectorId": 2, "transactionId": ${transactionId}, "meterValue": [{"timestamp": "2026-02-01T00:01:00Z", "sampledValue": [{"value": "9"}]}]}]`;
      expect(await socket.send(meter)).toEqual([3, 'dup-2', {}]);
      expect(await socket.send(meter)).toEqual([3, 'dup-2', {}]);
      expect(await transactionCount()).toBe(before);
      const detail = await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin });
      expect(detail.body.meterValues).toHaveLength(1);
    } finally {
      socket.close();
    }
  });
});
