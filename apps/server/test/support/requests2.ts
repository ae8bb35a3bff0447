import type { V2CsmsAction } from '@cimorings/contracts';
import { TestPki } from './certificates.js';

/** Real certificates: the commands endpoint refuses certificate messages whose PEM cannot be read. */
const pki = new TestPki();
const ca = pki.ca('REQUESTS2-CA');
const station = pki.issue('requests2-station', 'CMD2-201', { issuer: ca });

const COMPONENT = { name: 'OCPPCommCtrlr' };
const VARIABLE = { name: 'OfflineThreshold' };
const HASH = {
  hashAlgorithm: 'SHA256',
  issuerNameHash: 'a1b2c3',
  issuerKeyHash: 'd4e5f6',
  serialNumber: '0102',
};

/** A charging profile of OCPP 2.0.1 (K01), schema-valid. */
export const TX_DEFAULT_PROFILE_2 = {
  id: 11,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: [
    {
      id: 1,
      startSchedule: '2026-01-11T14:00:00.000Z',
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
    },
  ],
};

/** A schema-valid OCPP 2.0.1 request of every message a CSMS may send (CONTRACT section 7). */
export const REQUESTS_2: Record<V2CsmsAction, Record<string, unknown>> = {
  CancelReservation: { reservationId: 5 },
  CertificateSigned: { certificateChain: `${station.cert.trim()}\n${ca.cert.trim()}\n` },
  ChangeAvailability: { operationalStatus: 'Inoperative', evse: { id: 1 } },
  ClearCache: {},
  ClearChargingProfile: { chargingProfileId: 11 },
  ClearVariableMonitoring: { id: [1, 2] },
  DataTransfer: { vendorId: 'com.example', messageId: 'ping', data: { n: 1 } },
  DeleteCertificate: { certificateHashData: HASH },
  GetBaseReport: { requestId: 1, reportBase: 'ConfigurationInventory' },
  GetChargingProfiles: { requestId: 2, chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' } },
  GetCompositeSchedule: { duration: 3600, evseId: 1, chargingRateUnit: 'A' },
  GetInstalledCertificateIds: { certificateType: ['CSMSRootCertificate'] },
  GetLocalListVersion: {},
  GetLog: { log: { remoteLocation: 'https://logs.example/upload' }, logType: 'DiagnosticsLog', requestId: 3 },
  GetReport: { requestId: 4, componentCriteria: ['Available'] },
  GetTransactionStatus: { transactionId: 'TX-1' },
  GetVariables: { getVariableData: [{ component: COMPONENT, variable: VARIABLE }] },
  InstallCertificate: {
    certificateType: 'CSMSRootCertificate',
    certificate: ca.cert,
  },
  RequestStartTransaction: { idToken: { idToken: 'CARD-1', type: 'ISO14443' }, remoteStartId: 7, evseId: 1 },
  RequestStopTransaction: { transactionId: 'TX-1' },
  ReserveNow: {
    id: 8,
    expiryDateTime: '2026-01-11T16:00:00.000Z',
    idToken: { idToken: 'CARD-1', type: 'ISO14443' },
    evseId: 1,
  },
  Reset: { type: 'OnIdle' },
  SendLocalList: {
    versionNumber: 1,
    updateType: 'Full',
    localAuthorizationList: [
      { idToken: { idToken: 'CARD-1', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } },
    ],
  },
  SetChargingProfile: { evseId: 1, chargingProfile: TX_DEFAULT_PROFILE_2 },
  SetNetworkProfile: {
    configurationSlot: 1,
    connectionData: {
      ocppVersion: 'OCPP20',
      ocppTransport: 'JSON',
      ocppCsmsUrl: 'wss://csms.example/ocpp',
      messageTimeout: 30,
      securityProfile: 2,
      ocppInterface: 'Wired0',
    },
  },
  SetVariableMonitoring: {
    setMonitoringData: [{ value: 10, type: 'Delta', severity: 5, component: COMPONENT, variable: VARIABLE }],
  },
  SetVariables: {
    setVariableData: [{ component: COMPONENT, variable: VARIABLE, attributeValue: '123' }],
  },
  TriggerMessage: { requestedMessage: 'Heartbeat' },
  UnlockConnector: { evseId: 1, connectorId: 1 },
  UpdateFirmware: {
    requestId: 9,
    firmware: { location: 'https://fw.example/2.bin', retrieveDateTime: '2026-01-11T16:00:00.000Z' },
  },
};
