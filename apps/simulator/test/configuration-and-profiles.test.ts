import type { v16 } from '@cimorings/ocpp';
import { describe, expect, it } from 'vitest';
import { acceptedStation } from './support/fixtures.js';
import type { TestCsms } from './support/csms.js';

function soon(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

/** Sends ReserveNow for a reservation that expires `expiresInMs` from now. */
function reserveNow(
  csms: TestCsms,
  identity: string,
  reservation: Omit<v16.Request<'ReserveNow'>, 'expiryDate'>,
  expiresInMs: number,
): Promise<v16.Response<'ReserveNow'>> {
  return csms.command(identity, 'ReserveNow', { ...reservation, expiryDate: soon(expiresInMs) });
}

describe('configuration commands', () => {
  it('GetConfiguration returns every key, read-only flags, and never the AuthorizationKey value', async () => {
    const { csms, cp } = await acceptedStation(
      { connectors: 2, password: 'hidden-secret' },
      { password: () => 'hidden-secret' },
    );
    const { configurationKey = [], unknownKey } = await csms.command(cp.id, 'GetConfiguration', {});
    const byKey = new Map(configurationKey.map((k) => [k.key, k]));

    expect(byKey.get('NumberOfConnectors')).toEqual({
      key: 'NumberOfConnectors',
      readonly: true,
      value: '2',
    });
    expect(byKey.get('HeartbeatInterval')).toEqual({ key: 'HeartbeatInterval', readonly: false, value: '1' });
    expect(byKey.get('MeterValueSampleInterval')).toMatchObject({ readonly: false, value: '1' });
    expect(byKey.get('AuthorizationKey')).toEqual({ key: 'AuthorizationKey', readonly: false });
    expect(JSON.stringify(configurationKey)).not.toContain('hidden-secret');
    expect(unknownKey).toEqual([]);
  });

  it('GetConfiguration with keys returns those and lists unknown ones', async () => {
    const { csms, cp } = await acceptedStation();
    expect(
      await csms.command(cp.id, 'GetConfiguration', { key: ['HeartbeatInterval', 'NoSuchKey'] }),
    ).toEqual({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '1' }],
      unknownKey: ['NoSuchKey'],
    });
  });

  it('ChangeConfiguration accepts writable keys, rejects read-only keys and bad values, and does not know others', async () => {
    const { csms, cp } = await acceptedStation();
    const change = (key: string, value: string) => csms.command(cp.id, 'ChangeConfiguration', { key, value });

    expect(await change('MeterValueSampleInterval', '30')).toEqual({ status: 'Accepted' });
    expect(await change('NumberOfConnectors', '4')).toEqual({ status: 'Rejected' });
    expect(await change('HeartbeatInterval', 'soon')).toEqual({ status: 'Rejected' });
    expect(await change('MeterValuesSampledData', 'Voltage')).toEqual({ status: 'Rejected' });
    expect(await change('VendorSpecificThing', '1')).toEqual({ status: 'NotSupported' });
    expect(
      await csms.command(cp.id, 'GetConfiguration', { key: ['MeterValueSampleInterval'] }),
    ).toMatchObject({
      configurationKey: [{ value: '30' }],
    });
  });

  it('ChangeConfiguration of HeartbeatInterval changes how often heartbeats come', async () => {
    const { csms, cp } = await acceptedStation({}, { interval: 3600 });
    expect(
      await csms.command(cp.id, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '1' }),
    ).toEqual({
      status: 'Accepted',
    });
    await cp.waitFor('heartbeat', undefined, 2000);
  });

  it('ChangeConfiguration of MeterValuesSampledData limits the measurands sent', async () => {
    const { csms, cp } = await acceptedStation();
    await csms.command(cp.id, 'ChangeConfiguration', {
      key: 'MeterValuesSampledData',
      value: 'Energy.Active.Import.Register',
    });
    await cp.startSession(1);
    await cp.waitFor('meterValues');

    const [request] = csms.received('MeterValues');
    expect(request?.meterValue[0]?.sampledValue.map((s) => s.measurand)).toEqual([
      'Energy.Active.Import.Register',
    ]);
  });

  it('ChangeConfiguration of AuthorizationKey makes the next connection use the new password', async () => {
    let expected = 'first-password';
    const { csms, cp } = await acceptedStation({ password: 'first-password' }, { password: () => expected });
    expect(
      await csms.command(cp.id, 'ChangeConfiguration', { key: 'AuthorizationKey', value: 'second-password' }),
    ).toEqual({
      status: 'Accepted',
    });
    expected = 'second-password';
    const reaccepted = cp.waitFor('accepted');
    await csms.dropConnection(cp.id);
    await reaccepted;

    expect(csms.passwords).toEqual(['first-password', 'second-password']);
  });

  it('ClearCache is Accepted and DataTransfer from an unknown vendor is UnknownVendorId', async () => {
    const { csms, cp } = await acceptedStation();
    expect(await csms.command(cp.id, 'ClearCache', {})).toEqual({ status: 'Accepted' });
    expect(await csms.command(cp.id, 'DataTransfer', { vendorId: 'com.example', messageId: 'x' })).toEqual({
      status: 'UnknownVendorId',
    });
  });
});

describe('reservations', () => {
  it('ReserveNow reserves a connector for one id tag, whose session then carries the reservationId', async () => {
    const { csms, cp } = await acceptedStation();
    const reserve = { connectorId: 1, expiryDate: soon(60_000), idTag: 'OWNER', reservationId: 42 };

    expect(await csms.command(cp.id, 'ReserveNow', reserve)).toEqual({ status: 'Accepted' });
    expect(await csms.waitForCall('StatusNotification', (s) => s.status === 'Reserved')).toMatchObject({
      connectorId: 1,
    });
    expect(cp.reservationId(1)).toBe(42);
    expect(await cp.startSession(1, 'STRANGER')).toMatchObject({ started: false, reason: 'Reserved' });
    expect(cp.status(1)).toBe('Reserved');

    expect(await cp.startSession(1, 'OWNER')).toMatchObject({ started: true });
    expect(await csms.waitForCall('StartTransaction')).toMatchObject({ idTag: 'OWNER', reservationId: 42 });
    expect(cp.reservationId(1)).toBeUndefined();
  });

  it('ReserveNow lets a tag with the reservation parent id tag start too', async () => {
    const { csms, cp } = await acceptedStation();
    await reserveNow(
      csms,
      cp.id,
      { connectorId: 2, reservationId: 7, idTag: 'CARD-A', parentIdTag: 'FLEET' },
      60_000,
    );
    // The test central system answers Authorize without parentIdTag, so another card is refused.
    expect(await cp.startSession(2, 'CARD-B')).toMatchObject({ started: false, reason: 'Reserved' });
    expect(await cp.startSession(2, 'CARD-A')).toMatchObject({ started: true });
  });

  it('ReserveNow answers Occupied, Unavailable, Faulted or Rejected when it cannot reserve', async () => {
    const { csms, cp } = await acceptedStation({ connectors: 3 });
    await cp.startSession(1);
    await csms.command(cp.id, 'ChangeAvailability', { connectorId: 2, type: 'Inoperative' });
    await cp.setConnectorStatus(3, 'Faulted', 'HighTemperature');
    const reserve = (connectorId: number, reservationId: number, expiryDate = soon(60_000)) =>
      csms.command(cp.id, 'ReserveNow', { connectorId, expiryDate, idTag: 'T', reservationId });

    expect(await reserve(1, 1)).toEqual({ status: 'Occupied' });
    expect(await reserve(2, 2)).toEqual({ status: 'Unavailable' });
    expect(await reserve(3, 3)).toEqual({ status: 'Faulted' });
    expect(await reserve(0, 4)).toEqual({ status: 'Rejected' });
    expect(await reserve(9, 5)).toEqual({ status: 'Rejected' });
  });

  it('a reservation ends at its expiryDate and the connector is Available again', async () => {
    const { csms, cp } = await acceptedStation();
    await reserveNow(csms, cp.id, { connectorId: 1, reservationId: 9, idTag: 'T' }, 150);
    expect(cp.status(1)).toBe('Reserved');

    await cp.waitFor('status', (s) => s.connectorId === 1 && s.status === 'Available');
    expect(cp.reservationId(1)).toBeUndefined();
  });

  it('CancelReservation frees the connector, and is Rejected for an unknown reservation', async () => {
    const { csms, cp } = await acceptedStation();
    await reserveNow(csms, cp.id, { connectorId: 2, reservationId: 3, idTag: 'T' }, 60_000);

    expect(await csms.command(cp.id, 'CancelReservation', { reservationId: 3 })).toEqual({
      status: 'Accepted',
    });
    expect(cp.status(2)).toBe('Available');
    expect(await csms.command(cp.id, 'CancelReservation', { reservationId: 3 })).toEqual({
      status: 'Rejected',
    });
  });

  it('ReserveNow with a known reservationId replaces that reservation', async () => {
    const { csms, cp } = await acceptedStation();
    await reserveNow(csms, cp.id, { connectorId: 1, reservationId: 5, idTag: 'T' }, 60_000);
    expect(
      await csms.command(cp.id, 'ReserveNow', {
        connectorId: 2,
        expiryDate: soon(60_000),
        idTag: 'T',
        reservationId: 5,
      }),
    ).toEqual({ status: 'Accepted' });

    expect([cp.status(1), cp.status(2)]).toEqual(['Available', 'Reserved']);
  });
});

describe('local list, smart charging, diagnostics and firmware', () => {
  it('SendLocalList is Accepted and GetLocalListVersion reports the version sent', async () => {
    const { csms, cp } = await acceptedStation();
    expect(await csms.command(cp.id, 'GetLocalListVersion', {})).toEqual({ listVersion: 0 });
    expect(
      await csms.command(cp.id, 'SendLocalList', {
        listVersion: 5,
        updateType: 'Full',
        localAuthorizationList: [{ idTag: 'CARD', idTagInfo: { status: 'Accepted' } }],
      }),
    ).toEqual({ status: 'Accepted' });

    expect(await csms.command(cp.id, 'GetLocalListVersion', {})).toEqual({ listVersion: 5 });
    expect(cp.localAuthList.lookup('CARD')).toEqual({ status: 'Accepted' });
  });

  it('keeps charging profiles, builds the composite schedule from them and clears them', async () => {
    const { csms, cp } = await acceptedStation();
    const profile = flatProfile(11, 1, 'TxDefaultProfile', 'Absolute', { unit: 'A', limit: 16 });

    expect(await setChargingProfile(csms, cp.id, 0, profile)).toEqual({ status: 'Accepted' });
    const schedule = await csms.command(cp.id, 'GetCompositeSchedule', {
      connectorId: 1,
      duration: 3600,
      chargingRateUnit: 'A',
    });
    expect(schedule).toMatchObject({
      status: 'Accepted',
      connectorId: 1,
      chargingSchedule: {
        duration: 3600,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
      },
    });
    expect(await csms.command(cp.id, 'ClearChargingProfile', { id: 11 })).toEqual({ status: 'Accepted' });
    expect(await csms.command(cp.id, 'ClearChargingProfile', { id: 11 })).toEqual({ status: 'Unknown' });

    const unlimited = await csms.command(cp.id, 'GetCompositeSchedule', { connectorId: 2, duration: 60 });
    expect(unlimited.chargingSchedule).toMatchObject({
      chargingRateUnit: 'W',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 360_000 }],
    });
    expect(await csms.command(cp.id, 'GetCompositeSchedule', { connectorId: 9, duration: 60 })).toEqual({
      status: 'Rejected',
    });
  });

  it('accepts a TxProfile only for a running transaction and drops it when the transaction ends', async () => {
    const { csms, cp } = await acceptedStation();
    const txProfile = flatProfile(3, 0, 'TxProfile', 'Relative', { unit: 'W', limit: 7400 });

    expect(await setChargingProfile(csms, cp.id, 1, txProfile)).toEqual({ status: 'Rejected' });
    await cp.startSession(1);
    expect(await setChargingProfile(csms, cp.id, 1, txProfile)).toEqual({ status: 'Accepted' });
    await cp.stopSession(1);
    expect(await csms.command(cp.id, 'ClearChargingProfile', { id: 3 })).toEqual({ status: 'Unknown' });
  });

  it('GetDiagnostics returns a file name, then reports Uploading and Uploaded', async () => {
    const { csms, cp } = await acceptedStation();
    const answer = await csms.command(cp.id, 'GetDiagnostics', { location: 'ftp://diag.example.com/upload' });

    expect(answer.fileName).toMatch(new RegExp(`^${cp.id}-diagnostics-\\d{8}T\\d{6}\\.log$`));
    await csms.waitForCall('DiagnosticsStatusNotification', (n) => n.status === 'Uploaded');
    expect(csms.received('DiagnosticsStatusNotification').map((n) => n.status)).toEqual([
      'Uploading',
      'Uploaded',
    ]);
  });

  it('UpdateFirmware reports Downloading, Downloaded, Installing and Installed', async () => {
    const { csms, cp } = await acceptedStation();
    expect(
      await csms.command(cp.id, 'UpdateFirmware', {
        location: 'https://fw.example.com/2.0.bin',
        retrieveDate: soon(0),
      }),
    ).toEqual({});

    await csms.waitForCall('FirmwareStatusNotification', (n) => n.status === 'Installed');
    expect(csms.received('FirmwareStatusNotification').map((n) => n.status)).toEqual([
      'Downloading',
      'Downloaded',
      'Installing',
      'Installed',
    ]);
  });
});

/** Sends SetChargingProfile for `connectorId` and resolves with the answer. */
function setChargingProfile(
  csms: TestCsms,
  identity: string,
  connectorId: number,
  csChargingProfiles: v16.ChargingProfile,
): Promise<v16.Response<'SetChargingProfile'>> {
  return csms.command(identity, 'SetChargingProfile', { connectorId, csChargingProfiles });
}

/** A charging profile of one period from the schedule's start, at `limit` in `unit`. */
function flatProfile(
  chargingProfileId: number,
  stackLevel: number,
  chargingProfilePurpose: v16.ChargingProfile['chargingProfilePurpose'],
  chargingProfileKind: v16.ChargingProfile['chargingProfileKind'],
  { unit, limit }: { unit: 'A' | 'W'; limit: number },
): v16.ChargingProfile {
  return {
    chargingProfileId,
    stackLevel,
    chargingProfilePurpose,
    chargingProfileKind,
    chargingSchedule: { chargingRateUnit: unit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
  };
}
