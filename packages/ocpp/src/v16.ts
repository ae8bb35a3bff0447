// OCPP 1.6: the generated message types, the names the rest of the product uses for the parts
// of them it handles on their own (each derived from a generated type, never written again),
// and which side may send which action (OCPP 1.6 sections 4 and 5, and the security
// whitepaper's messages).
import type * as m from './generated/v16.js';

export type * from './generated/v16.js';

/** The actions a charge point sends to the central system. */
export const CHARGE_POINT_ACTIONS = [
  'Authorize',
  'BootNotification',
  'DataTransfer',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'LogStatusNotification',
  'MeterValues',
  'SecurityEventNotification',
  'SignCertificate',
  'SignedFirmwareStatusNotification',
  'StartTransaction',
  'StatusNotification',
  'StopTransaction',
] as const satisfies readonly (keyof m.Actions)[];

/** The actions the central system sends to a charge point. */
export const CENTRAL_SYSTEM_ACTIONS = [
  'CancelReservation',
  'CertificateSigned',
  'ChangeAvailability',
  'ChangeConfiguration',
  'ClearCache',
  'ClearChargingProfile',
  'DataTransfer',
  'DeleteCertificate',
  'ExtendedTriggerMessage',
  'GetCompositeSchedule',
  'GetConfiguration',
  'GetDiagnostics',
  'GetInstalledCertificateIds',
  'GetLocalListVersion',
  'GetLog',
  'InstallCertificate',
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'SignedUpdateFirmware',
  'TriggerMessage',
  'UnlockConnector',
  'UpdateFirmware',
] as const satisfies readonly (keyof m.Actions)[];

export type Action = keyof m.Actions;
export type ChargePointAction = (typeof CHARGE_POINT_ACTIONS)[number];
export type CentralSystemAction = (typeof CENTRAL_SYSTEM_ACTIONS)[number];
export type Request<A extends Action> = m.Actions[A]['request'];
export type Response<A extends Action> = m.Actions[A]['response'];

export type IdTagInfo = m.AuthorizeResponse['idTagInfo'];
export type AuthorizationStatus = IdTagInfo['status'];
export type RegistrationStatus = m.BootNotificationResponse['status'];
export type ChargePointStatus = m.StatusNotificationRequest['status'];
export type ChargePointErrorCode = m.StatusNotificationRequest['errorCode'];
export type MeterValue = m.MeterValuesRequest['meterValue'][number];
export type SampledValue = MeterValue['sampledValue'][number];
export type Measurand = NonNullable<SampledValue['measurand']>;
export type ReadingContext = NonNullable<SampledValue['context']>;
export type UnitOfMeasure = NonNullable<SampledValue['unit']>;
export type Location = NonNullable<SampledValue['location']>;
export type Phase = NonNullable<SampledValue['phase']>;
export type ValueFormat = NonNullable<SampledValue['format']>;
export type StopReason = NonNullable<m.StopTransactionRequest['reason']>;
export type DiagnosticsStatus = m.DiagnosticsStatusNotificationRequest['status'];
export type FirmwareStatus = m.FirmwareStatusNotificationRequest['status'];
export type ChargingProfile = m.SetChargingProfileRequest['csChargingProfiles'];
export type ChargingProfilePurpose = ChargingProfile['chargingProfilePurpose'];
export type ChargingSchedule = ChargingProfile['chargingSchedule'];
export type ChargingSchedulePeriod = ChargingSchedule['chargingSchedulePeriod'][number];
export type ChargingRateUnit = ChargingSchedule['chargingRateUnit'];
export type ConfigurationEntry = NonNullable<m.GetConfigurationResponse['configurationKey']>[number];
export type ConfigurationStatus = m.ChangeConfigurationResponse['status'];
export type TriggerableMessage = m.TriggerMessageRequest['requestedMessage'];
export type AvailabilityType = m.ChangeAvailabilityRequest['type'];
export type ResetType = m.ResetRequest['type'];
export type LocalAuthorizationEntry = NonNullable<m.SendLocalListRequest['localAuthorizationList']>[number];
