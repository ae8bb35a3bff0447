import { describe, expect, it } from 'vitest';
import { acceptedV2Station, TEST_CERTIFICATE, until } from './support/fixtures-v2.js';

const inAMinute = (): string => new Date(Date.now() + 60_000).toISOString();
const token = (idToken: string) => ({ idToken, type: 'ISO14443' as const });

describe.each(['2.0.1', '2.1'] as const)('an OCPP %s simulated station answers the CSMS', (protocol) => {
  it('reserves an EVSE, cancels it, and reports an expired reservation', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    expect(
      await csms.command(cs.id, 'ReserveNow', {
        id: 5,
        expiryDateTime: inAMinute(),
        idToken: token('R'),
        evseId: 1,
      }),
    ).toEqual({
      status: 'Accepted',
    });
    await until(() => cs.status(1) === 'Reserved');
    expect(await cs.startSession(1, 'SOMEONE-ELSE')).toEqual({ started: false, reason: 'Reserved' });
    expect(await csms.command(cs.id, 'CancelReservation', { reservationId: 5 })).toEqual({
      status: 'Accepted',
    });
    expect(await csms.command(cs.id, 'CancelReservation', { reservationId: 5 })).toEqual({
      status: 'Rejected',
    });
    await until(() => cs.status(1) === 'Available');
    const soon = new Date(Date.now() + 150).toISOString();
    expect(
      await csms.command(cs.id, 'ReserveNow', {
        id: 6,
        expiryDateTime: soon,
        idToken: token('R'),
        evseId: 2,
      }),
    ).toEqual({
      status: 'Accepted',
    });
    expect(await csms.waitForCalls('ReservationStatusUpdate')).toEqual([
      { reservationId: 6, reservationUpdateStatus: 'Expired' },
    ]);
    expect(cs.reservationId(2)).toBeUndefined();
  });

  it('starts a reserved transaction with its reservationId', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    await csms.command(cs.id, 'ReserveNow', {
      id: 9,
      expiryDateTime: inAMinute(),
      idToken: token('MINE'),
      evseId: 2,
    });
    expect(await cs.startSession(2, 'MINE')).toMatchObject({ started: true });
    expect(csms.received('TransactionEvent')[0]).toMatchObject({ eventType: 'Started', reservationId: 9 });
  });

  it('keeps a local list, clears its cache, and authorizes from the list while offline', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    const entry = { idToken: token('LOCAL'), idTokenInfo: { status: 'Blocked' as const } };
    expect(
      await csms.command(cs.id, 'SendLocalList', {
        versionNumber: 3,
        updateType: 'Full',
        localAuthorizationList: [entry],
      }),
    ).toEqual({
      status: 'Accepted',
    });
    expect(await csms.command(cs.id, 'GetLocalListVersion', {})).toEqual({ versionNumber: 3 });
    expect(
      await csms.command(cs.id, 'SendLocalList', { versionNumber: 2, updateType: 'Differential' }),
    ).toEqual({
      status: 'VersionMismatch',
    });
    expect(await csms.command(cs.id, 'ClearCache', {})).toEqual({ status: 'Accepted' });
    await cs.goOffline();
    expect(await cs.authorize('LOCAL')).toEqual({ status: 'Blocked' });
    expect(await cs.authorize('STRANGER')).toEqual({ status: 'Accepted' });
  });

  it('changes availability per EVSE and for the whole station, scheduling it during a transaction', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    expect(
      await csms.command(cs.id, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } }),
    ).toEqual({
      status: 'Accepted',
    });
    await until(() => cs.status(2) === 'Unavailable');
    expect(await cs.startSession(2)).toEqual({ started: false, reason: 'Unavailable' });
    expect(await csms.command(cs.id, 'ChangeAvailability', { operationalStatus: 'Operative' })).toEqual({
      status: 'Accepted',
    });
    await until(() => cs.status(2) === 'Available');
    await cs.startSession(1);
    expect(
      await csms.command(cs.id, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } }),
    ).toEqual({
      status: 'Scheduled',
    });
    await cs.stopSession(1);
    expect(cs.status(1)).toBe('Unavailable');
    expect(
      await csms.command(cs.id, 'ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 9 } }),
    ).toEqual({
      status: 'Rejected',
    });
  });

  it('unlocks connectors, sends triggered messages, and reboots on Reset', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    expect(await csms.command(cs.id, 'UnlockConnector', { evseId: 1, connectorId: 1 })).toEqual({
      status: 'Unlocked',
    });
    expect(await csms.command(cs.id, 'UnlockConnector', { evseId: 7, connectorId: 1 })).toEqual({
      status: 'UnknownConnector',
    });
    const heartbeats = csms.received('Heartbeat').length;
    expect(await csms.command(cs.id, 'TriggerMessage', { requestedMessage: 'Heartbeat' })).toEqual({
      status: 'Accepted',
    });
    await csms.waitForCalls('Heartbeat', heartbeats + 1);
    expect(
      await csms.command(cs.id, 'TriggerMessage', { requestedMessage: 'MeterValues', evse: { id: 1 } }),
    ).toEqual({
      status: 'Accepted',
    });
    const [meterValues] = await csms.waitForCalls('MeterValues');
    expect(meterValues?.meterValue[0].sampledValue[0]).toMatchObject({
      context: 'Trigger',
      measurand: 'Energy.Active.Import.Register',
    });
    expect(await csms.command(cs.id, 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' })).toEqual({
      status: 'NotImplemented',
    });
    expect(await csms.command(cs.id, 'Reset', { type: 'Immediate', evseId: 1 })).toEqual({
      status: 'Rejected',
    });
    expect(await csms.command(cs.id, 'Reset', { type: 'OnIdle' })).toEqual({ status: 'Accepted' });
    await cs.waitFor('disconnected');
    await cs.waitFor('accepted');
    expect(csms.received('BootNotification').at(-1)?.reason).toBe('RemoteReset');
  });

  it('keeps, reports, composes and clears charging profiles', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    const profile = {
      id: 11,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile' as const,
      chargingProfileKind: 'Absolute' as const,
      chargingSchedule: [
        {
          id: 1,
          chargingRateUnit: 'W' as const,
          startSchedule: new Date().toISOString(),
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 7400 }],
        },
      ] as [never],
    };
    expect(await csms.command(cs.id, 'SetChargingProfile', { evseId: 1, chargingProfile: profile })).toEqual({
      status: 'Accepted',
    });
    expect(
      await csms.command(cs.id, 'SetChargingProfile', {
        evseId: 1,
        chargingProfile: { ...profile, id: 12, chargingProfilePurpose: 'TxProfile' },
      }),
    ).toMatchObject({ status: 'Rejected' });
    expect(
      await csms.command(cs.id, 'GetChargingProfiles', { requestId: 3, chargingProfile: { stackLevel: 1 } }),
    ).toEqual({
      status: 'Accepted',
    });
    const [report] = await csms.waitForCalls('ReportChargingProfiles');
    expect(report).toMatchObject({
      requestId: 3,
      evseId: 1,
      chargingLimitSource: 'CSO',
      chargingProfile: [{ id: 11 }],
    });
    expect(
      await csms.command(cs.id, 'GetCompositeSchedule', { duration: 3600, evseId: 1, chargingRateUnit: 'W' }),
    ).toMatchObject({
      status: 'Accepted',
      schedule: { evseId: 1, duration: 3600, chargingSchedulePeriod: [{ limit: 7400 }] },
    });
    expect(await csms.command(cs.id, 'ClearChargingProfile', { chargingProfileId: 11 })).toEqual({
      status: 'Accepted',
    });
    expect(await csms.command(cs.id, 'ClearChargingProfile', { chargingProfileId: 11 })).toEqual({
      status: 'Unknown',
    });
    expect(await csms.command(cs.id, 'GetChargingProfiles', { requestId: 4, chargingProfile: {} })).toEqual({
      status: 'NoProfiles',
    });
  });

  it('draws what its profiles allow, and drops a TxProfile when its transaction ends', async () => {
    const { csms, cs } = await acceptedV2Station(protocol, { powerKw: 22, batteryCapacityKwh: 100 });
    const limited = (id: number, purpose: 'TxDefaultProfile' | 'TxProfile', limit: number) => ({
      id,
      stackLevel: 0,
      chargingProfilePurpose: purpose,
      chargingProfileKind: 'Relative' as const,
      chargingSchedule: [
        { id, chargingRateUnit: 'W' as const, chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
      ] as [never],
    });
    const powerNow = async () => {
      const count = csms.received('TransactionEvent').length;
      await cs.sendMeterValues(1);
      await until(() => csms.received('TransactionEvent').length > count);
      const sampled = csms.received('TransactionEvent').at(-1)?.meterValue?.[0]?.sampledValue ?? [];
      return sampled.find((s) => s.measurand === 'Power.Active.Import')?.value;
    };
    const composite = async () => {
      const answer = await csms.command(cs.id, 'GetCompositeSchedule', { duration: 60, evseId: 1 });
      return answer.schedule?.chargingSchedulePeriod[0].limit;
    };
    await cs.startSession(1, 'TAG-1');
    expect(await powerNow()).toBe(22_000);
    const station = { evseId: 0, chargingProfile: limited(21, 'TxDefaultProfile', 11_000) };
    expect(await csms.command(cs.id, 'SetChargingProfile', station)).toEqual({ status: 'Accepted' });
    expect(await powerNow()).toBe(11_000);
    const tx = { ...limited(22, 'TxProfile', 4_000), transactionId: cs.transactionId(1) };
    expect(await csms.command(cs.id, 'SetChargingProfile', { evseId: 1, chargingProfile: tx })).toEqual({
      status: 'Accepted',
    });
    expect(await powerNow()).toBe(4_000);
    expect(await composite()).toBe(4_000);
    await cs.stopSession(1);
    const criteria = { chargingProfilePurpose: 'TxProfile' as const };
    expect(
      await csms.command(cs.id, 'GetChargingProfiles', { requestId: 5, chargingProfile: criteria }),
    ).toEqual({
      status: 'NoProfiles',
    });
    expect(await composite()).toBe(11_000);
  });

  it('reports firmware and log progress, answers DataTransfer, and keeps installed certificates', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    const firmware = { location: 'https://fw.example/2.bin', retrieveDateTime: new Date().toISOString() };
    expect(await csms.command(cs.id, 'UpdateFirmware', { requestId: 21, firmware })).toEqual({
      status: 'Accepted',
    });
    const statuses = await csms.waitForCalls('FirmwareStatusNotification', 4);
    expect(statuses.map((s) => [s.status, s.requestId])).toEqual([
      ['Downloading', 21],
      ['Downloaded', 21],
      ['Installing', 21],
      ['Installed', 21],
    ]);
    expect(
      await csms.command(cs.id, 'GetLog', {
        requestId: 22,
        logType: 'DiagnosticsLog',
        log: { remoteLocation: 'ftp://logs.example/' },
      }),
    ).toEqual({
      status: 'Accepted',
      filename: 'diagnosticslog-22.log',
    });
    expect((await csms.waitForCalls('LogStatusNotification', 2)).map((s) => s.status)).toEqual([
      'Uploading',
      'Uploaded',
    ]);
    expect(await csms.command(cs.id, 'DataTransfer', { vendorId: 'com.example' })).toEqual({
      status: 'UnknownVendorId',
    });
    expect(await csms.command(cs.id, 'GetInstalledCertificateIds', {})).toEqual({ status: 'NotFound' });
    expect(
      await csms.command(cs.id, 'InstallCertificate', {
        certificateType: 'CSMSRootCertificate',
        certificate: 'not a certificate',
      }),
    ).toMatchObject({
      status: 'Rejected',
    });
    expect(
      await csms.command(cs.id, 'InstallCertificate', {
        certificateType: 'CSMSRootCertificate',
        certificate: TEST_CERTIFICATE,
      }),
    ).toEqual({
      status: 'Accepted',
    });
    const installed = await csms.command(cs.id, 'GetInstalledCertificateIds', {
      certificateType: ['CSMSRootCertificate'],
    });
    expect(installed).toMatchObject({
      status: 'Accepted',
      certificateHashDataChain: [{ certificateType: 'CSMSRootCertificate' }],
    });
    const hash = installed.certificateHashDataChain?.[0]?.certificateHashData;
    expect(hash?.serialNumber).toBe('75f01ac8adbeb635f0708756d177d4c5baf8399f');
    expect(await csms.command(cs.id, 'DeleteCertificate', { certificateHashData: hash! })).toEqual({
      status: 'Accepted',
    });
    expect(await csms.command(cs.id, 'DeleteCertificate', { certificateHashData: hash! })).toEqual({
      status: 'NotFound',
    });
  });

  it('answers as a station without monitors, and reports the components a GetReport names', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    const set = await csms.command(cs.id, 'SetVariableMonitoring', {
      setMonitoringData: [
        {
          value: 1,
          type: 'Delta',
          severity: 5,
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
        },
        {
          value: 1,
          type: 'Delta',
          severity: 5,
          component: { name: 'Toaster' },
          variable: { name: 'Crumbs' },
        },
      ],
    });
    expect(set.setMonitoringResult.map((r) => r.status)).toEqual(['Rejected', 'UnknownComponent']);
    expect(await csms.command(cs.id, 'ClearVariableMonitoring', { id: [3] })).toEqual({
      clearMonitoringResult: [{ status: 'NotFound', id: 3 }],
    });
    expect(
      await csms.command(cs.id, 'GetReport', {
        requestId: 9,
        componentVariable: [{ component: { name: 'EVSE', evse: { id: 2 } }, variable: { name: 'Power' } }],
      }),
    ).toEqual({ status: 'Accepted' });
    const [report] = await csms.waitForCalls('NotifyReport');
    expect(report?.reportData).toEqual([
      expect.objectContaining({ component: { name: 'EVSE', evse: { id: 2 } }, variable: { name: 'Power' } }),
    ]);
    expect(report?.tbc).toBeUndefined();
  });
});
