import type { v16 } from '@cimorings/ocpp';
import { describe, expect, it } from 'vitest';
import { acceptedStation } from './support/fixtures.js';

describe('remote control commands', () => {
  it('RemoteStartTransaction is Accepted and starts a session on the first free connector', async () => {
    const { csms, cp } = await acceptedStation();
    await cp.startSession(1, 'LOCAL');
    const started = cp.waitFor('transactionStarted', (t) => t.idTag === 'REMOTE');

    expect(await csms.command(cp.id, 'RemoteStartTransaction', { idTag: 'REMOTE' })).toEqual({
      status: 'Accepted',
    });
    expect(await started).toMatchObject({ connectorId: 2, idTag: 'REMOTE' });
    // AuthorizeRemoteTxRequests is true by default, so the tag is authorized first.
    expect(csms.received('Authorize').map((a) => a.idTag)).toEqual(['LOCAL', 'REMOTE']);
  });

  it('RemoteStartTransaction answers before the session messages it causes', async () => {
    const { csms, cp } = await acceptedStation();
    csms.clearCalls();
    const started = cp.waitFor('transactionStarted');
    await csms.command(cp.id, 'RemoteStartTransaction', { idTag: 'REMOTE', connectorId: 2 });
    await started;

    expect(csms.calls.map((c) => c.action).slice(0, 3)).toEqual([
      'StatusNotification',
      'Authorize',
      'StartTransaction',
    ]);
    expect(csms.received('StatusNotification')[0]).toMatchObject({ connectorId: 2, status: 'Preparing' });
  });

  it('RemoteStartTransaction is Rejected on a busy, unavailable or unknown connector', async () => {
    const { csms, cp } = await acceptedStation({ connectors: 2 });
    await cp.startSession(1);
    await csms.command(cp.id, 'ChangeAvailability', { connectorId: 2, type: 'Inoperative' });

    for (const connectorId of [1, 2, 3, 0]) {
      expect(await csms.command(cp.id, 'RemoteStartTransaction', { idTag: 'X', connectorId })).toEqual({
        status: 'Rejected',
      });
    }
    expect(await csms.command(cp.id, 'RemoteStartTransaction', { idTag: 'X' })).toEqual({
      status: 'Rejected',
    });
  });

  it('RemoteStartTransaction skips Authorize when AuthorizeRemoteTxRequests is false', async () => {
    const { csms, cp } = await acceptedStation();
    await csms.command(cp.id, 'ChangeConfiguration', { key: 'AuthorizeRemoteTxRequests', value: 'false' });
    const started = cp.waitFor('transactionStarted');
    await csms.command(cp.id, 'RemoteStartTransaction', { idTag: 'APP', connectorId: 1 });

    await started;
    expect(csms.received('Authorize')).toEqual([]);
  });

  it('RemoteStopTransaction stops a running transaction with reason Remote, and rejects unknown ones', async () => {
    const { csms, cp } = await acceptedStation();
    const session = await cp.startSession(1);
    if (!session.started) throw new Error('session did not start');
    const stopped = cp.waitFor('transactionStopped');

    expect(await csms.command(cp.id, 'RemoteStopTransaction', { transactionId: 999 })).toEqual({
      status: 'Rejected',
    });
    expect(
      await csms.command(cp.id, 'RemoteStopTransaction', { transactionId: session.transactionId }),
    ).toEqual({
      status: 'Accepted',
    });
    expect(await stopped).toMatchObject({ transactionId: session.transactionId, reason: 'Remote' });
    const stop = await csms.waitForCall('StopTransaction');
    expect(stop.reason).toBe('Remote');
    expect(stop.idTag).toBeUndefined();
  });

  it('Reset (Hard) stops sessions with HardReset, closes the connection, reconnects and boots again', async () => {
    const { csms, cp } = await acceptedStation();
    await cp.startSession(2);
    const disconnected = cp.waitFor('disconnected');
    const rebooted = cp.waitFor('accepted');

    expect(await csms.command(cp.id, 'Reset', { type: 'Hard' })).toEqual({ status: 'Accepted' });
    expect(await csms.waitForCall('StopTransaction')).toMatchObject({
      transactionId: 1,
      reason: 'HardReset',
    });
    expect(await disconnected).toMatchObject({ code: 1012, willReconnect: true });
    await rebooted;
    expect(csms.received('BootNotification')).toHaveLength(2);
    expect(cp.status(2)).toBe('Available');
  });

  it('Reset (Soft) uses reason SoftReset', async () => {
    const { csms, cp } = await acceptedStation();
    await cp.startSession(1);
    const rebooted = cp.waitFor('accepted');
    await csms.command(cp.id, 'Reset', { type: 'Soft' });

    expect(await csms.waitForCall('StopTransaction')).toMatchObject({ reason: 'SoftReset' });
    await rebooted;
  });

  it('UnlockConnector stops the transaction there with UnlockCommand and answers Unlocked', async () => {
    const { csms, cp } = await acceptedStation();
    await cp.startSession(1);

    expect(await csms.command(cp.id, 'UnlockConnector', { connectorId: 1 })).toEqual({ status: 'Unlocked' });
    expect(await csms.waitForCall('StopTransaction')).toMatchObject({ reason: 'UnlockCommand' });
    expect(await csms.command(cp.id, 'UnlockConnector', { connectorId: 2 })).toEqual({ status: 'Unlocked' });
    expect(await csms.command(cp.id, 'UnlockConnector', { connectorId: 7 })).toEqual({
      status: 'UnlockFailed',
    });
  });

  it('ChangeAvailability turns a connector Unavailable and back, and schedules the change during a session', async () => {
    const { csms, cp } = await acceptedStation();
    const unavailable = cp.waitFor('status', (s) => s.connectorId === 1 && s.status === 'Unavailable');
    expect(await csms.command(cp.id, 'ChangeAvailability', { connectorId: 1, type: 'Inoperative' })).toEqual({
      status: 'Accepted',
    });
    await unavailable;
    expect(await csms.waitForCall('StatusNotification', (s) => s.status === 'Unavailable')).toMatchObject({
      connectorId: 1,
    });
    expect(await cp.startSession(1)).toMatchObject({ started: false, reason: 'Unavailable' });

    const available = cp.waitFor('status', (s) => s.connectorId === 1 && s.status === 'Available');
    await csms.command(cp.id, 'ChangeAvailability', { connectorId: 1, type: 'Operative' });
    await available;

    await cp.startSession(2);
    expect(await csms.command(cp.id, 'ChangeAvailability', { connectorId: 2, type: 'Inoperative' })).toEqual({
      status: 'Scheduled',
    });
    expect(cp.status(2)).toBe('Charging');
    await cp.stopSession(2);
    expect(cp.status(2)).toBe('Unavailable');

    expect(await csms.command(cp.id, 'ChangeAvailability', { connectorId: 9, type: 'Inoperative' })).toEqual({
      status: 'Rejected',
    });
  });

  it('ChangeAvailability on connector 0 applies to the charge point and all connectors', async () => {
    const { csms, cp } = await acceptedStation();
    await csms.command(cp.id, 'ChangeAvailability', { connectorId: 0, type: 'Inoperative' });
    await csms.waitForCall('StatusNotification', (s) => s.connectorId === 2 && s.status === 'Unavailable');

    expect([cp.status(0), cp.status(1), cp.status(2)]).toEqual(['Unavailable', 'Unavailable', 'Unavailable']);
    await csms.command(cp.id, 'ChangeAvailability', { connectorId: 0, type: 'Operative' });
    expect([cp.status(0), cp.status(1), cp.status(2)]).toEqual(['Available', 'Available', 'Available']);
  });

  it('TriggerMessage is Accepted and then sends each requested message', async () => {
    const { csms, cp } = await acceptedStation();
    await cp.startSession(1);
    csms.clearCalls();
    const trigger = (requestedMessage: v16.TriggerableMessage, connectorId?: number) =>
      csms.command(cp.id, 'TriggerMessage', {
        requestedMessage,
        ...(connectorId === undefined ? {} : { connectorId }),
      });

    expect(await trigger('Heartbeat')).toEqual({ status: 'Accepted' });
    await csms.waitForCall('Heartbeat');
    expect(await trigger('StatusNotification', 1)).toEqual({ status: 'Accepted' });
    expect(await csms.waitForCall('StatusNotification')).toMatchObject({
      connectorId: 1,
      status: 'Charging',
    });
    expect(await trigger('MeterValues', 1)).toEqual({ status: 'Accepted' });
    const triggered = await csms.waitForCall(
      'MeterValues',
      (m) => m.meterValue[0]?.sampledValue[0]?.context === 'Trigger',
    );
    expect(triggered).toMatchObject({ connectorId: 1, transactionId: 1 });
    expect(await trigger('DiagnosticsStatusNotification')).toEqual({ status: 'Accepted' });
    expect(await csms.waitForCall('DiagnosticsStatusNotification')).toEqual({ status: 'Idle' });
    expect(await trigger('FirmwareStatusNotification')).toEqual({ status: 'Accepted' });
    expect(await csms.waitForCall('FirmwareStatusNotification')).toEqual({ status: 'Idle' });
    const reaccepted = cp.waitFor('accepted');
    expect(await trigger('BootNotification')).toEqual({ status: 'Accepted' });
    await reaccepted;
    expect(csms.received('BootNotification')).toHaveLength(1);

    expect(await trigger('StatusNotification', 5)).toEqual({ status: 'Rejected' });
  });

  it('answers NotImplemented to an ExtendedTriggerMessage for a message it cannot send on request', async () => {
    const { csms, cp } = await acceptedStation();
    expect(
      await csms.rawCommand(cp.id, 'ExtendedTriggerMessage', { requestedMessage: 'MeterValues' }),
    ).toEqual({ status: 'NotImplemented' });
  });
});
