import type { v16 } from '@cimorings/ocpp';
import { describe, expect, it } from 'vitest';
import { acceptedStation } from './support/fixtures.js';

type MeterValuesReq = v16.Request<'MeterValues'>;

function sample(
  value: v16.MeterValue | undefined,
  measurand: v16.SampledValue['measurand'],
): v16.SampledValue | undefined {
  return value?.sampledValue.find((s) => s.measurand === measurand);
}

function numberOf(value: v16.MeterValue | undefined, measurand: v16.SampledValue['measurand']): number {
  return Number(sample(value, measurand)?.value);
}

describe('charging sessions', () => {
  it('runs a full session: Preparing, Authorize, StartTransaction, Charging, rising meter values, stop', async () => {
    const { csms, cp } = await acceptedStation({ initialSoc: 30 });
    csms.clearCalls();

    const started = cp.waitFor('transactionStarted');
    const result = await cp.startSession(1, 'TAG-1');
    expect(result).toEqual({ started: true, connectorId: 1, transactionId: 1 });
    expect(await started).toMatchObject({ connectorId: 1, transactionId: 1, idTag: 'TAG-1', meterStart: 0 });
    expect(cp.status(1)).toBe('Charging');

    await csms.waitForCall('StatusNotification', (s) => s.status === 'Charging');
    const start = await csms.waitForCall('StartTransaction');
    expect(start).toMatchObject({ connectorId: 1, idTag: 'TAG-1', meterStart: 0 });
    expect(start.timestamp).toMatch(/Z$/);
    expect(csms.calls.slice(0, 4).map((c) => c.action)).toEqual([
      'StatusNotification',
      'Authorize',
      'StartTransaction',
      'StatusNotification',
    ]);
    expect(csms.received('StatusNotification').map((s) => s.status)).toEqual(['Preparing', 'Charging']);

    await cp.waitFor('meterValues', () => csms.received('MeterValues').length >= 3);
    const periodic: MeterValuesReq[] = csms.received('MeterValues');
    expect(periodic.every((m) => m.transactionId === 1 && m.connectorId === 1)).toBe(true);
    const values = periodic.map((m) => m.meterValue[0]);
    const energy = values.map((v) => numberOf(v, 'Energy.Active.Import.Register'));
    const soc = values.map((v) => numberOf(v, 'SoC'));
    for (let i = 1; i < values.length; i += 1) {
      expect(energy[i]).toBeGreaterThan(energy[i - 1] ?? Infinity);
      expect(soc[i]).toBeGreaterThan(soc[i - 1] ?? Infinity);
    }
    expect(soc[0]).toBeGreaterThan(30);
    expect(sample(values[0], 'Energy.Active.Import.Register')).toMatchObject({
      unit: 'Wh',
      context: 'Sample.Periodic',
      location: 'Outlet',
    });
    expect(sample(values[0], 'Power.Active.Import')).toMatchObject({ value: '360000', unit: 'W' });
    expect(sample(values[0], 'SoC')).toMatchObject({ unit: 'Percent', location: 'EV' });
    expect(values[0]?.timestamp).toMatch(/Z$/);

    const stopped = cp.waitFor('transactionStopped');
    const stop = await cp.stopSession(1);
    expect(stop).toMatchObject({ transactionId: 1, delivered: true });
    expect(await stopped).toMatchObject({
      connectorId: 1,
      transactionId: 1,
      reason: 'Local',
      delivered: true,
    });

    const stopReq = await csms.waitForCall('StopTransaction');
    expect(stopReq).toMatchObject({
      transactionId: 1,
      reason: 'Local',
      idTag: 'TAG-1',
      meterStop: stop?.meterStop,
    });
    expect(stopReq.meterStop).toBeGreaterThanOrEqual(energy[energy.length - 1] ?? Infinity);
    const contexts = (stopReq.transactionData ?? []).map((v) => v.sampledValue[0]?.context);
    expect(contexts[0]).toBe('Transaction.Begin');
    expect(contexts[contexts.length - 1]).toBe('Transaction.End');
    expect(contexts.filter((c) => c === 'Sample.Periodic').length).toBeGreaterThan(0);
    expect(csms.received('StatusNotification').map((s) => s.status)).toEqual([
      'Preparing',
      'Charging',
      'Finishing',
      'Available',
    ]);
    expect(cp.transactionId(1)).toBeUndefined();
  });

  it('starts the next session at the meter register where the last one stopped', async () => {
    const { cp } = await acceptedStation();
    await cp.startSession(1);
    await cp.waitFor('meterValues');
    const first = await cp.stopSession(1);
    const next = cp.waitFor('transactionStarted');
    await cp.startSession(1);
    expect((await next).meterStart).toBe(first?.meterStop);
  });

  it('charges until the battery is full, then reports SuspendedEV', async () => {
    const { csms, cp } = await acceptedStation({ batteryCapacityKwh: 0.05, initialSoc: 90 });
    const suspended = cp.waitFor('status', (s) => s.connectorId === 2 && s.status === 'SuspendedEV');
    const full = cp.waitFor('meterValues', (m) => m.soc === 100);
    await cp.startSession(2);
    await suspended;
    await full;

    const last = csms.received('MeterValues').at(-1)?.meterValue[0];
    expect(numberOf(last, 'SoC')).toBe(100);
    expect(numberOf(last, 'Power.Active.Import')).toBe(0);
  });

  it('refuses to start when the central system does not accept the id tag', async () => {
    const { csms, cp } = await acceptedStation(
      {},
      { idTagStatus: (tag) => (tag === 'BLOCKED' ? 'Blocked' : 'Accepted') },
    );
    const result = await cp.startSession(1, 'BLOCKED');

    expect(result).toMatchObject({
      started: false,
      reason: 'NotAuthorized',
      idTagInfo: { status: 'Blocked' },
    });
    expect(csms.received('StartTransaction')).toEqual([]);
    expect(cp.status(1)).toBe('Available');
  });

  it('stops a transaction the central system deauthorizes in StartTransaction.conf', async () => {
    const { csms, cp } = await acceptedStation(
      {},
      { idTagStatus: (tag) => (tag === 'EXPIRED' ? 'Expired' : 'Accepted') },
    );
    const result = await cp.startSession(1, 'EXPIRED', { authorize: false });

    expect(result).toMatchObject({ started: false, reason: 'DeAuthorized', transactionId: 1 });
    expect(await csms.waitForCall('StopTransaction')).toMatchObject({
      transactionId: 1,
      reason: 'DeAuthorized',
    });
    expect(cp.status(1)).toBe('Available');
  });

  it('refuses a second session on a busy connector and sessions on unknown connectors', async () => {
    const { cp } = await acceptedStation();
    await cp.startSession(1);

    expect(await cp.startSession(1)).toMatchObject({ started: false, reason: 'Occupied' });
    expect(await cp.startSession(3)).toMatchObject({ started: false, reason: 'UnknownConnector' });
    expect(await cp.stopSession(2)).toBeUndefined();
  });

  it('keeps a StopTransaction made while offline and delivers it after reconnecting', async () => {
    const { csms, cp } = await acceptedStation({ reconnect: { initialDelayMs: 150, jitter: 0 } });
    await cp.startSession(1);
    const disconnected = cp.waitFor('disconnected');
    await csms.dropConnection(cp.id);
    await disconnected;

    const offline = await cp.stopSession(1);
    expect(offline).toMatchObject({ transactionId: 1, delivered: false });
    expect(csms.received('StopTransaction')).toEqual([]);

    await cp.waitFor('accepted');
    expect(await csms.waitForCall('StopTransaction')).toMatchObject({
      transactionId: 1,
      meterStop: offline?.meterStop,
    });
  });

  it('sends a meter reading on demand, without transactionId when no session runs', async () => {
    const { csms, cp } = await acceptedStation({ initialEnergyWh: 12_345 });
    await cp.sendMeterValues(2);

    const [request] = csms.received('MeterValues');
    expect(request?.transactionId).toBeUndefined();
    expect(sample(request?.meterValue[0], 'Energy.Active.Import.Register')?.value).toBe('12345');
    expect(sample(request?.meterValue[0], 'SoC')).toBeUndefined();
  });

  it('reports a status set from outside, such as a fault', async () => {
    const { csms, cp } = await acceptedStation();
    await cp.setConnectorStatus(2, 'Faulted', 'GroundFailure');

    expect(await csms.waitForCall('StatusNotification', (s) => s.status === 'Faulted')).toMatchObject({
      connectorId: 2,
      errorCode: 'GroundFailure',
    });
    expect(await cp.startSession(2)).toMatchObject({ started: false, reason: 'Faulted' });
  });
});
