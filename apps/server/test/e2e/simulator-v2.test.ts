import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedChargingStation } from '@cimorings/simulator';
import { changeVariables } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { eventually, ocppUrl } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';

const CASES = DIALECTS.flatMap((dialect) =>
  (['2.0.1', '2.1'] as const).map((protocol) => [dialect, protocol] as const),
);

/** The OCPP 2.x simulator against the real server: what `npm run simulate -- --protocol 2.0.1` does. */
describe.each(CASES)('the 2.x simulator against the real server on %s, OCPP %s', (dialect, protocol) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  const id = `SIM2-${protocol.replace('.', '')}`;
  let cs: SimulatedChargingStation;

  beforeAll(async () => {
    await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag: 'SIMTAG' } });
    cs = new SimulatedChargingStation({
      id,
      protocol,
      url: ocppUrl(app.url),
      meterIntervalMs: 1000,
      powerKw: 50,
      batteryCapacityKwh: 5,
      fileTransferStepMs: 20,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200, factor: 2, jitter: 0 },
    });
    await cs.start();
    await cs.waitFor('accepted');
  });
  afterAll(async () => {
    await cs?.stop({ stopSessions: false });
  });

  const get = async (path: string) => (await app.request('GET', path, { token: app.admin })).body;
  const post = async (path: string, body: unknown) => {
    const response = await app.request('POST', path, { token: app.admin, body });
    expect(response.status, response.text).toBe(200);
    return response.body;
  };

  it('registers with its version, and its device model reaches the variables route after the boot', async () => {
    await eventually(async () => (await get(`/api/stations/${id}`)).status === 'Available');
    expect(await get(`/api/stations/${id}`)).toMatchObject({ ocppVersion: protocol, connected: true });
    await eventually(async () => (await get(`/api/stations/${id}/variables?limit=1000`)).total > 50);
    const { items } = await get(`/api/stations/${id}/variables?limit=1000`);
    expect(items).toContainEqual(
      expect.objectContaining({
        component: 'OCPPCommCtrlr',
        variable: 'HeartbeatInterval',
        mutability: 'ReadWrite',
      }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({ component: 'EVSE', evseId: 2, variable: 'Power', value: '50000' }),
    );
    const password = items.find((v: { variable: string }) => v.variable === 'BasicAuthPassword');
    expect(password?.value ?? null).toBeNull();
  });

  it('changes a variable through PATCH, refusing a value of the wrong type', async () => {
    const statuses = await changeVariables(app, app.admin, id, [
      { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', value: '90' },
      { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', value: 'often' },
    ]);
    expect(statuses).toEqual(['Accepted', 'Rejected']);
    expect(cs.deviceModel.value('OCPPCommCtrlr', 'HeartbeatInterval')).toBe('90');
  });

  it('runs a remote session: remote-start, TransactionEvents with meter values, remote-stop', async () => {
    expect(await post(`/api/stations/${id}/remote-start`, { connectorId: 1, idTag: 'SIMTAG' })).toMatchObject(
      {
        status: 'Accepted',
      },
    );
    const started = await cs.waitFor('transactionStarted');
    await eventually(
      async () => (await get(`/api/transactions/${started.transactionId}`)).status === 'active',
    );
    const tx = await get(`/api/transactions/${started.transactionId}`);
    expect(tx).toMatchObject({
      chargePointId: id,
      connectorId: 1,
      idTag: 'SIMTAG',
      ocppTransactionId: started.transactionId,
    });
    await cs.sendMeterValues(1);
    await eventually(async () => (await get(`/api/transactions/${tx.transactionId}`)).meterValues.length > 0);
    expect(await post(`/api/stations/${id}/remote-stop`, { transactionId: tx.transactionId })).toMatchObject({
      status: 'Accepted',
    });
    await eventually(async () => (await get(`/api/transactions/${tx.transactionId}`)).status === 'completed');
    expect(await get(`/api/transactions/${tx.transactionId}`)).toMatchObject({ stopReason: 'Remote' });
  });

  it('delivers a session ended while offline once, after it reconnects', async () => {
    const result = await cs.startSession(2, 'SIMTAG');
    if (!result.started) throw new Error(`not started: ${result.reason}`);
    await eventually(
      async () => (await get(`/api/transactions/${result.transactionId}`)).status === 'active',
    );
    await cs.goOffline();
    await eventually(async () => (await get(`/api/stations/${id}`)).connected === false);
    await cs.sendMeterValues(2);
    const stopped = await cs.stopSession(2, 'EVDisconnected');
    expect(stopped?.delivered).toBe(false);
    await cs.goOnline();
    await cs.waitFor('accepted');
    await eventually(
      async () => (await get(`/api/transactions/${result.transactionId}`)).status === 'completed',
    );
    expect(cs.queuedEvents).toBe(0);
    const done = await get(`/api/transactions/${result.transactionId}`);
    expect(done).toMatchObject({ stopReason: 'EVDisconnected', meterStop: stopped?.meterStop });
    const list = await get(`/api/transactions?chargePointId=${id}&limit=100`);
    expect(
      list.items.filter((t: { ocppTransactionId: string }) => t.ocppTransactionId === result.transactionId),
    ).toHaveLength(1);
  });

  it('answers reset, unlock and availability through the routes every station offers', async () => {
    expect(await post(`/api/stations/${id}/unlock`, { connectorId: 1 })).toMatchObject({
      status: 'Unlocked',
    });
    expect(
      await post(`/api/stations/${id}/availability`, { connectorId: 2, type: 'Inoperative' }),
    ).toMatchObject({
      status: 'Accepted',
    });
    await eventually(async () => (await get(`/api/stations/${id}`)).connectors[1]?.status === 'Unavailable');
    await post(`/api/stations/${id}/availability`, { connectorId: 0, type: 'Operative' });
    const rebooted = cs.waitFor('boot');
    expect(await post(`/api/stations/${id}/reset`, { type: 'Soft' })).toMatchObject({ status: 'Accepted' });
    await rebooted;
    await cs.waitFor('accepted');
  });
});
