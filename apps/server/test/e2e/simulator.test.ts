import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedChargePoint } from '@cimorings/simulator';
import { useTestApp } from '../support/use-test-app.js';
import { eventually, ocppUrl } from '../support/ocpp-client.js';

describe('the simulator against the real server', () => {
  const app = useTestApp('sqlite', { env: { OCPP_UNKNOWN_STATIONS: 'pending' } });
  let cp: SimulatedChargePoint;

  beforeAll(async () => {
    await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag: 'SIMTAG' } });
    cp = new SimulatedChargePoint({
      id: 'SIM-E2E',
      url: ocppUrl(app.url),
      meterIntervalMs: 100,
      bootRetryMs: 60_000,
      fileTransferStepMs: 20,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200, factor: 2, jitter: 0 },
    });
    await cp.start();
  });
  afterAll(async () => {
    await cp?.stop({ stopSessions: false });
  });

  const command = async (action: string, body: unknown) => {
    const response = await app.request('POST', `/api/stations/SIM-E2E/commands/${action}`, {
      token: app.admin,
      body,
    });
    expect(response.status, `${action}: ${response.text}`).toBe(200);
    return response.body;
  };
  const station = async () => (await app.request('GET', '/api/stations/SIM-E2E', { token: app.admin })).body;

  it('waits as pending until approved, then boots as accepted without waiting out its retry', async () => {
    await eventually(() => cp.registrationStatus === 'Pending');
    expect((await station()).registration).toBe('pending');
    await app.request('POST', '/api/stations/SIM-E2E/approve', { token: app.admin });
    await cp.waitFor('accepted');
    await eventually(async () => (await station()).status === 'Available');
    expect(await station()).toMatchObject({
      connected: true,
      vendor: expect.any(String),
      model: expect.any(String),
    });
  });

  it('starts a session on RemoteStartTransaction and stops it on RemoteStopTransaction', async () => {
    expect(await command('RemoteStartTransaction', { idTag: 'SIMTAG', connectorId: 1 })).toEqual({
      status: 'Accepted',
    });
    const activeList = () =>
      app.request('GET', '/api/transactions?status=active&chargePointId=SIM-E2E', { token: app.admin });
    await eventually(async () => (await activeList()).body.total === 1);
    expect((await station()).status).toBe('Occupied');
    const active = await activeList();
    const { transactionId } = active.body.items[0];
    await eventually(async () => {
      const detail = await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin });
      return detail.body.meterValues.some((m: { measurand: string }) => m.measurand === 'SoC');
    });
    expect(await command('RemoteStopTransaction', { transactionId })).toEqual({ status: 'Accepted' });
    await eventually(async () => {
      const detail = await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin });
      return detail.body.status === 'completed';
    });
    const done = await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin });
    expect(done.body.stopReason).toBe('Remote');
    expect(done.body.energyDelivered).toBeGreaterThanOrEqual(0);
    expect(await command('RemoteStopTransaction', { transactionId: 999999 })).toEqual({ status: 'Rejected' });
  });

  it('answers configuration, availability, cache, trigger, local list and reservation commands', async () => {
    const config = (await command('GetConfiguration', { key: ['HeartbeatInterval'] })) as {
      configurationKey: { key: string; value?: string }[];
    };
    expect(config.configurationKey[0]).toMatchObject({ key: 'HeartbeatInterval' });
    expect(await command('ChangeConfiguration', { key: 'HeartbeatInterval', value: '120' })).toEqual({
      status: 'Accepted',
    });
    expect(await command('ChangeAvailability', { connectorId: 2, type: 'Inoperative' })).toMatchObject({
      status: expect.stringMatching(/Accepted|Scheduled/),
    });
    await eventually(async () => (await station()).connectors[1]?.status === 'Unavailable');
    await command('ChangeAvailability', { connectorId: 2, type: 'Operative' });
    expect(await command('ClearCache', {})).toEqual({ status: 'Accepted' });
    expect(await command('TriggerMessage', { requestedMessage: 'Heartbeat' })).toEqual({
      status: 'Accepted',
    });
    expect(
      await command('SendLocalList', { listVersion: 2, updateType: 'Full', localAuthorizationList: [] }),
    ).toEqual({
      status: 'Accepted',
    });
    expect(await command('GetLocalListVersion', {})).toEqual({ listVersion: 2 });
    await eventually(async () => (await station()).connectors[0]?.status === 'Available');
    expect(
      await command('ReserveNow', {
        connectorId: 1,
        expiryDate: new Date(Date.now() + 600_000).toISOString(),
        idTag: 'SIMTAG',
        reservationId: 77,
      }),
    ).toEqual({ status: 'Accepted' });
    await eventually(async () => (await station()).connectors[0]?.status === 'Reserved');
    expect(await command('CancelReservation', { reservationId: 77 })).toEqual({ status: 'Accepted' });
    expect(await command('DataTransfer', { vendorId: 'com.example' })).toMatchObject({
      status: expect.any(String),
    });
  });

  it('reports diagnostics and firmware progress after GetDiagnostics and UpdateFirmware', async () => {
    expect(await command('GetDiagnostics', { location: 'ftp://logs.example/' })).toHaveProperty('fileName');
    await eventually(async () => (await station()).diagnosticsStatus === 'Uploaded');
    await command('UpdateFirmware', {
      location: 'https://fw.example/2.0.bin',
      retrieveDate: new Date().toISOString(),
    });
    await eventually(async () => (await station()).firmwareStatus === 'Installed', 10_000);
  });

  it('reboots on Reset and boots again', async () => {
    const boots = new Promise((resolve) => cp.waitFor('boot').then(resolve));
    expect(await command('Reset', { type: 'Soft' })).toEqual({ status: 'Accepted' });
    await boots;
    await cp.waitFor('accepted');
    await eventually(async () => (await station()).connected === true);
  });
});
