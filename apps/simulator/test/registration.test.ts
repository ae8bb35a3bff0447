import { describe, expect, it } from 'vitest';
import { acceptedStation, centralSystem, simulator } from './support/fixtures.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('connection and registration', () => {
  it('boots, reports the charge point and every connector Available, then sends heartbeats', async () => {
    const { csms, cp } = await acceptedStation({ connectors: 2, vendor: 'ACME', model: 'Fast22' });

    expect(csms.received('BootNotification')).toEqual([
      expect.objectContaining({
        chargePointVendor: 'ACME',
        chargePointModel: 'Fast22',
        firmwareVersion: '1.0.0',
      }),
    ]);
    const statuses = csms.received('StatusNotification');
    expect(statuses.map((s) => [s.connectorId, s.status, s.errorCode])).toEqual([
      [0, 'Available', 'NoError'],
      [1, 'Available', 'NoError'],
      [2, 'Available', 'NoError'],
    ]);
    expect(statuses.every((s) => ISO_UTC.test(s.timestamp ?? ''))).toBe(true);
    expect(cp.accepted).toBe(true);

    const heartbeat = await cp.waitFor('heartbeat', undefined, 3000);
    expect(heartbeat.currentTime).toMatch(ISO_UTC);
  });

  it('retries BootNotification after the interval while Pending and sends nothing else before Accepted', async () => {
    const csms = await centralSystem({ bootStatus: (n) => (n === 1 ? 'Pending' : 'Accepted'), interval: 1 });
    const cp = simulator(csms);
    const pending = cp.waitFor('boot', (b) => b.status === 'Pending');
    const accepted = cp.waitFor('accepted', undefined, 5000);
    await cp.start();
    await pending;
    expect(cp.registrationStatus).toBe('Pending');
    await accepted;

    const actions = csms.calls.map((c) => c.action);
    expect(actions.slice(0, 2)).toEqual(['BootNotification', 'BootNotification']);
    expect(actions.slice(2, 5)).toEqual(['StatusNotification', 'StatusNotification', 'StatusNotification']);
  });

  it('waits its own retry interval after Rejected with interval 0, then boots again', async () => {
    const csms = await centralSystem({ bootStatus: (n) => (n === 1 ? 'Rejected' : 'Accepted'), interval: 0 });
    const cp = simulator(csms, { bootRetryMs: 150 });
    const rejected = cp.waitFor('boot', (b) => b.status === 'Rejected');
    await cp.start();
    const rejectedAt = (await rejected, Date.now());
    await cp.waitFor('accepted');

    expect(Date.now() - rejectedAt).toBeGreaterThanOrEqual(140);
    expect(csms.received('BootNotification')).toHaveLength(2);
    expect(csms.received('StatusNotification')).toHaveLength(3);
  });

  it('answers no request from the central system while Rejected', async () => {
    const csms = await centralSystem({ bootStatus: () => 'Rejected', interval: 60 });
    const cp = simulator(csms);
    const rejected = cp.waitFor('boot', (b) => b.status === 'Rejected');
    await cp.start();
    await rejected;

    await expect(csms.rawCommand(cp.id, 'GetConfiguration', {}, 200)).rejects.toThrow(/timeout/i);
    expect(csms.received('StatusNotification')).toEqual([]);
  });

  it('presents its password with HTTP Basic auth', async () => {
    const { csms } = await acceptedStation({ password: 'secret-1234' }, { password: () => 'secret-1234' });
    expect(csms.passwords).toEqual(['secret-1234']);
  });

  it('keeps retrying with growing delays while the upgrade is refused', async () => {
    const csms = await centralSystem({ password: () => 'right' });
    const cp = simulator(csms, { password: 'wrong' });
    const delays: number[] = [];
    cp.on('connectionFailed', ({ retryInMs }) => delays.push(retryInMs));
    await cp.start();
    const failure = await cp.waitFor('connectionFailed', () => delays.length >= 3);

    expect(failure.error.message).toMatch(/401|Unauthorized/);
    expect(delays.slice(0, 3)).toEqual([20, 40, 80]);
    expect(cp.connected).toBe(false);
  });

  it('reconnects after the central system drops the socket and boots again', async () => {
    const { csms, cp } = await acceptedStation();
    const disconnected = cp.waitFor('disconnected');
    const reaccepted = cp.waitFor('accepted');
    await csms.dropConnection(cp.id);

    expect((await disconnected).willReconnect).toBe(true);
    await reaccepted;
    expect(csms.received('BootNotification')).toHaveLength(2);
    expect(cp.accepted).toBe(true);
  });

  it('closes cleanly on stop and does not come back', async () => {
    const { csms, cp } = await acceptedStation();
    const disconnected = cp.waitFor('disconnected');
    await cp.stop();

    expect(await disconnected).toMatchObject({ code: 1000, willReconnect: false });
    expect(cp.connected).toBe(false);
    expect(csms.received('BootNotification')).toHaveLength(1);
  });
});
