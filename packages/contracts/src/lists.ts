/**
 * The small lists of the product, written once for the server, the dashboard and the simulator. No TypeBox here: the dashboard imports these values, and they must not pull a
 * schema library into its bundle (the REST schemas are in '@cimorings/contracts/rest').
 */
import { V16_CENTRAL_SYSTEM_ACTIONS, type v16, type v201 } from '@cimorings/ocpp';

/** A station's status as clients see it (CONTRACT section 4), derived from its connectors. */
export const STATION_STATUSES = ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'] as const;
export type StationStatus = (typeof STATION_STATUSES)[number];

/** A connector's status: OCPP 1.6 ChargePointStatus (§7.7), as StatusNotification reports it. */
export const CONNECTOR_STATUSES = [
  'Available',
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
  'Reserved',
  'Unavailable',
  'Faulted',
] as const satisfies readonly v16.ChargePointStatus[];

/** The connector statuses of a session in progress: they make a station Occupied. */
export const SESSION_CONNECTOR_STATUSES = [
  'Preparing',
  'Charging',
  'SuspendedEV',
  'SuspendedEVSE',
  'Finishing',
] as const satisfies readonly v16.ChargePointStatus[];

/**
 * The OCPP 1.6 messages (§5) an operator may send to a charge point: `POST …/commands/{Action}`,
 * the security whitepaper's (CertificateSigned, DeleteCertificate, ExtendedTriggerMessage,
 * GetInstalledCertificateIds, GetLog, InstallCertificate, SignedUpdateFirmware) included.
 */
export type CsmsAction = v16.CentralSystemAction;
export const CSMS_ACTIONS: readonly CsmsAction[] = V16_CENTRAL_SYSTEM_ACTIONS;

/**
 * The OCPP 2.0.1 messages an operator may send to a 2.0.1 or 2.1 station through
 * `POST …/commands/{Action}` (CONTRACT section 7).
 */
export const V2_CSMS_ACTIONS = [
  'CancelReservation',
  'CertificateSigned',
  'ChangeAvailability',
  'ClearCache',
  'ClearChargingProfile',
  'ClearVariableMonitoring',
  'DataTransfer',
  'DeleteCertificate',
  'GetBaseReport',
  'GetChargingProfiles',
  'GetCompositeSchedule',
  'GetInstalledCertificateIds',
  'GetLocalListVersion',
  'GetLog',
  'GetReport',
  'GetTransactionStatus',
  'GetVariables',
  'InstallCertificate',
  'RequestStartTransaction',
  'RequestStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'SetNetworkProfile',
  'SetVariableMonitoring',
  'SetVariables',
  'TriggerMessage',
  'UnlockConnector',
  'UpdateFirmware',
] as const satisfies readonly v201.Action[];
export type V2CsmsAction = (typeof V2_CSMS_ACTIONS)[number];

/** The longest charge point id: OCPP 1.6 bounds it to 48 characters in the URL. */
export const CHARGE_POINT_ID_MAX_LENGTH = 48;
/** The characters of a charge point id (the length is bounded apart, 1 to CHARGE_POINT_ID_MAX_LENGTH). */
export const CHARGE_POINT_ID_PATTERN = '^[A-Za-z0-9._:*+-]+$';
const CHARGE_POINT_ID = new RegExp(CHARGE_POINT_ID_PATTERN);

/** Whether a text is a charge point id: 1 to 48 of the characters above. */
export function isChargePointId(text: string): boolean {
  return text.length >= 1 && text.length <= CHARGE_POINT_ID_MAX_LENGTH && CHARGE_POINT_ID.test(text);
}

/** The longest OCPP password of a station (its OCPP 1.6 AuthorizationKey, at most 40 characters). */
export const OCPP_PASSWORD_MAX_LENGTH = 40;

/** A phone number in E.164: a plus, a country code, at most 15 digits in all (e.g. +6281234567890). */
export const PHONE_NUMBER_PATTERN = '^\\+[1-9]\\d{6,14}$';

/** The measurands CIMORINGS normalizes and shows (energy in Wh, power in kW, SoC in %). */
export const MEASURANDS = {
  energy: 'Energy.Active.Import.Register',
  power: 'Power.Active.Import',
  soc: 'SoC',
} as const satisfies Record<string, v16.Measurand>;

/** OCPP 1.6 AuthorizationStatus (§7.2): what Authorize and StartTransaction answer for an id tag. */
export const AUTHORIZATION_STATUSES = [
  'Accepted',
  'Blocked',
  'Expired',
  'Invalid',
  'ConcurrentTx',
] as const satisfies readonly v16.AuthorizationStatus[];
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

/**
 * OCPP 2.0.1 IdTokenEnumType: the kind of an id tag, sent with it to 2.x stations (an id tag
 * without one is an RFID card, ISO14443). OCPP 2.1 accepts the same names.
 */
export const ID_TOKEN_TYPES = [
  'Central',
  'eMAID',
  'ISO14443',
  'ISO15693',
  'KeyCode',
  'Local',
  'MacAddress',
  'NoAuthorization',
] as const satisfies readonly v201.IdTokenEnumType[];
export type IdTokenType = (typeof ID_TOKEN_TYPES)[number];
/** The type of an id tag stored without one. */
export const DEFAULT_ID_TOKEN_TYPE: IdTokenType = 'ISO14443';

/** The statuses an operator may give an id tag (the others are answers, never stored). */
export const ID_TAG_STATUSES = [
  'Accepted',
  'Blocked',
  'Expired',
] as const satisfies readonly AuthorizationStatus[];
export type IdTagStatus = (typeof ID_TAG_STATUSES)[number];

/**
 * Where a reservation stands:
 * - `pending`: stored, ReserveNow sent, no answer yet;
 * - `active`: the charge point accepted it and it has not ended;
 * - `used`: a transaction started on it;
 * - `cancelled`: cancelled by a user and the charge point agreed;
 * - `expired`: its expiryDate passed unused;
 * - `refused`: the charge point answered ReserveNow with something other than Accepted;
 * - `failed`: ReserveNow got no answer (timeout, CallError, the station went away).
 */
export const RESERVATION_STATUSES = [
  'pending',
  'active',
  'used',
  'cancelled',
  'expired',
  'refused',
  'failed',
] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** What a charge point may answer to ReserveNow (OCPP 1.6 ReservationStatus). */
export const RESERVE_NOW_STATUSES = [
  'Accepted',
  'Faulted',
  'Occupied',
  'Rejected',
  'Unavailable',
] as const satisfies readonly v16.Response<'ReserveNow'>['status'][];

/** Where a transaction stands: running, or stopped (or refused at its start). */
export const TRANSACTION_STATUSES = ['active', 'completed'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** How a transaction list is ordered; nulls (a transaction still running) come last. */
export const TRANSACTION_SORTS = ['startedAt', 'stoppedAt', 'energyDelivered'] as const;
export type TransactionSort = (typeof TRANSACTION_SORTS)[number];

/**
 * The highest connector id accepted (OCPP 1.6 §2.2: connectors are numbered 1, 2, … and 0 is
 * the charge point itself). Real charge points have a handful; controllers that present a whole
 * car park as one charge point have a few hundred. A bound keeps a rogue or broken station from
 * creating connector rows at will.
 */
export const MAX_CONNECTOR_ID = 1000;

/**
 * OCPP security profiles (OCPP 1.6 Security Whitepaper edition 3, §2; OCPP 2.0.1 Part 2 A00.FR):
 * 0 no authentication, 1 Basic auth, 2 Basic auth over TLS, 3 a TLS client certificate.
 */
export const SECURITY_PROFILES = [0, 1, 2, 3] as const;

/** The OCPP versions a station may speak (CONTRACT section 7), as the station object's `ocppVersion`. */
export const OCPP_VERSIONS = ['1.6', '2.0.1', '2.1'] as const;
export type OcppVersion = (typeof OCPP_VERSIONS)[number];
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];
