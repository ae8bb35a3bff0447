import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { parseLogLines } from '../support/log-lines.js';
import { useTestApp } from '../support/use-test-app.js';
import type { TestChargePoint } from '../support/ocpp-client.js';
import { BOOT2, bootStation2, type V2Protocol } from '../support/ocpp2-client.js';

const T0 = '2026-01-11T14:30:00.000Z';

const SCHEDULE = { id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }] };

/** A periodic reading of a variable, as NotifyEvent carries it. */
const EVENT = {
  ...{ eventId: 1, timestamp: T0, trigger: 'Periodic', actualValue: '7.5' },
  ...{ eventNotificationType: 'CustomMonitor', component: { name: 'EVSE', evse: { id: 1 } } },
  variable: { name: 'Power' },
};

/**
 * One valid request of every message OCPP 2.0.1 lets a charging station send to a CSMS (part 2,
 * the messages whose sender is the Charging Station), each valid in 2.1 too.
 */
const STATION_MESSAGES: Record<string, unknown> = {
  Authorize: { idToken: { idToken: 'NOBODY', type: 'ISO14443' } },
  BootNotification: BOOT2,
  ClearedChargingLimit: { chargingLimitSource: 'EMS', evseId: 1 },
  DataTransfer: { vendorId: 'com.example' },
  FirmwareStatusNotification: { status: 'Installed', requestId: 7 },
  Get15118EVCertificate: {
    iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef',
    action: 'Install',
    exiRequest: 'gAQ=',
  },
  GetCertificateStatus: {
    ocspRequestData: {
      hashAlgorithm: 'SHA256',
      issuerNameHash: 'a1',
      issuerKeyHash: 'b2',
      serialNumber: '0A1B',
      responderURL: 'http://ocsp.example.com',
    },
  },
  Heartbeat: {},
  LogStatusNotification: { status: 'Uploading', requestId: 8 },
  MeterValues: { evseId: 1, meterValue: [{ timestamp: T0, sampledValue: [{ value: 1200 }] }] },
  NotifyChargingLimit: { chargingLimit: { chargingLimitSource: 'EMS' }, evseId: 1 },
  NotifyCustomerInformation: { data: 'card 04A2: 3 sessions', seqNo: 0, generatedAt: T0, requestId: 2 },
  NotifyDisplayMessages: { requestId: 3 },
  NotifyEVChargingNeeds: { evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'AC_three_phase' } },
  NotifyEVChargingSchedule: { timeBase: T0, evseId: 1, chargingSchedule: SCHEDULE },
  NotifyEvent: { generatedAt: T0, seqNo: 0, eventData: [EVENT] },
  NotifyMonitoringReport: { requestId: 4, seqNo: 0, generatedAt: T0 },
  NotifyReport: { requestId: 5, seqNo: 0, generatedAt: T0 },
  PublishFirmwareStatusNotification: { status: 'Idle' },
  ReportChargingProfiles: {
    requestId: 6,
    chargingLimitSource: 'CSO',
    evseId: 1,
    chargingProfile: [
      {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [SCHEDULE],
      },
    ],
  },
  ReservationStatusUpdate: { reservationId: 4040, reservationUpdateStatus: 'Expired' },
  SecurityEventNotification: { type: 'SettingSystemTime', timestamp: T0 },
  SignCertificate: { csr: 'not a CSR' },
  StatusNotification: { timestamp: T0, connectorStatus: 'Available', evseId: 1, connectorId: 1 },
  TransactionEvent: {
    eventType: 'Started',
    timestamp: T0,
    triggerReason: 'CablePluggedIn',
    seqNo: 0,
    transactionInfo: { transactionId: 'TX-ALL' },
    evse: { id: 1, connectorId: 1 },
  },
};

/** What CIMORINGS answers the messages of the use cases it does not run (ISO 15118 and the like). */
const NOT_SUPPORTED = { reasonCode: 'NotSupported', additionalInfo: expect.any(String) as unknown };

describe.each(DIALECTS)('every message a 2.x charging station may send, on %s', (dialect) => {
  const logLines: string[] = [];
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' }, logLines });
  const stations = new Map<V2Protocol, TestChargePoint>();

  beforeAll(async () => {
    for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
      stations.set(protocol, (await bootStation2(app.url, `ALL-${protocol}`, { protocol })).client);
    }
  });
  afterAll(async () => {
    for (const cs of stations.values()) await cs.close();
  });

  it.each(['ocpp2.0.1', 'ocpp2.1'] as const)(
    'answers each one schema-valid on %s, none NotImplemented, the connection kept',
    async (protocol) => {
      const cs = stations.get(protocol)!;
      // The station's strict mode checks every answer against its protocol's official schema.
      for (const [action, request] of Object.entries(STATION_MESSAGES)) {
        await expect(cs.call(action, request), action).resolves.toBeTypeOf('object');
      }
      expect(await cs.call('Heartbeat', {})).toHaveProperty('currentTime');
    },
  );

  it('answers the ISO 15118 requests Failed or Rejected with a reason, and acknowledges the reports', async () => {
    const cs = stations.get('ocpp2.0.1')!;
    const call = (action: string) => cs.call(action, STATION_MESSAGES[action]);
    expect(await call('Get15118EVCertificate')).toEqual({
      status: 'Failed',
      statusInfo: NOT_SUPPORTED,
      exiResponse: '',
    });
    expect(await call('GetCertificateStatus')).toEqual({ status: 'Failed', statusInfo: NOT_SUPPORTED });
    expect(await call('NotifyEVChargingNeeds')).toEqual({ status: 'Rejected', statusInfo: NOT_SUPPORTED });
    expect(await call('NotifyEVChargingSchedule')).toEqual({ status: 'Accepted' });
    for (const action of [
      'NotifyChargingLimit',
      'ClearedChargingLimit',
      'ReportChargingProfiles',
      'NotifyCustomerInformation',
      'NotifyDisplayMessages',
      'NotifyMonitoringReport',
      'PublishFirmwareStatusNotification',
    ]) {
      expect(await call(action), action).toEqual({});
    }
    // Logged without the customer's data itself.
    const told = parseLogLines(logLines).find((line) => line.msg === 'NotifyCustomerInformation');
    expect(told).toMatchObject({ chargePointId: 'ALL-ocpp2.0.1', requestId: 2, characters: 21 });
    expect(JSON.stringify(told)).not.toContain('card 04A2');
  });

  it('keeps a LogStatusNotification as the logStatus the station page shows, a firmware status as its own', async () => {
    const cs = stations.get('ocpp2.0.1')!;
    await cs.call('LogStatusNotification', { status: 'UploadFailure', requestId: 9 });
    await cs.call('FirmwareStatusNotification', { status: 'InstallationFailed', requestId: 10 });
    const station = await app.request('GET', '/api/stations/ALL-ocpp2.0.1', { token: app.admin });
    expect(station.body).toMatchObject({
      logStatus: 'UploadFailure',
      firmwareStatus: 'InstallationFailed',
      diagnosticsStatus: null,
    });
  });
});
