/**
 * OCPP 1.6 message payloads, written by hand from the official JSON schemas that ocpp-rpc
 * validates against (`ocpp-rpc/lib/schemas/ocpp1_6.json`). Only the messages of the core
 * specification are listed; the security whitepaper extensions are answered `NotImplemented`.
 */

/** Status of a connector, or of the charge point as connector 0. */
export type ChargePointStatus =
  | 'Available'
  | 'Preparing'
  | 'Charging'
  | 'SuspendedEVSE'
  | 'SuspendedEV'
  | 'Finishing'
  | 'Reserved'
  | 'Unavailable'
  | 'Faulted';

/** Error reported with a status; `NoError` when all is well. */
export type ChargePointErrorCode =
  | 'ConnectorLockFailure'
  | 'EVCommunicationError'
  | 'GroundFailure'
  | 'HighTemperature'
  | 'InternalError'
  | 'LocalListConflict'
  | 'NoError'
  | 'OtherError'
  | 'OverCurrentFailure'
  | 'PowerMeterFailure'
  | 'PowerSwitchFailure'
  | 'ReaderFailure'
  | 'ResetFailure'
  | 'UnderVoltage'
  | 'OverVoltage'
  | 'WeakSignal';

/** The central system's answer to BootNotification. */
export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';
/** The central system's verdict on an id tag. */
export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';

/** Why a transaction stopped; `Local` when the driver ended it at the charge point. */
export type StopReason =
  | 'EmergencyStop'
  | 'EVDisconnected'
  | 'HardReset'
  | 'Local'
  | 'Other'
  | 'PowerLoss'
  | 'Reboot'
  | 'Remote'
  | 'SoftReset'
  | 'UnlockCommand'
  | 'DeAuthorized';

/** Why a meter value was taken. */
export type ReadingContext =
  | 'Interruption.Begin'
  | 'Interruption.End'
  | 'Sample.Clock'
  | 'Sample.Periodic'
  | 'Transaction.Begin'
  | 'Transaction.End'
  | 'Trigger'
  | 'Other';

/** The measurands this simulator reports; the schema allows more. */
export type Measurand = 'Energy.Active.Import.Register' | 'Power.Active.Import' | 'SoC';
/** Units this simulator uses for its measurands. */
export type UnitOfMeasure = 'Wh' | 'kWh' | 'W' | 'kW' | 'Percent';
/** Where a measurand is measured. */
export type Location = 'Cable' | 'EV' | 'Inlet' | 'Outlet' | 'Body';

/** Progress of a diagnostics upload. */
export type DiagnosticsStatus = 'Idle' | 'Uploaded' | 'UploadFailed' | 'Uploading';
/** Progress of a firmware update. */
export type FirmwareStatus =
  | 'Downloaded'
  | 'DownloadFailed'
  | 'Downloading'
  | 'Idle'
  | 'InstallationFailed'
  | 'Installing'
  | 'Installed';

/** What a charging profile limits: the charge point, default transactions or one transaction. */
export type ChargingProfilePurpose = 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
/** Unit of charging schedule limits: amperes or watts. */
export type ChargingRateUnit = 'A' | 'W';

/** Verdict on an id tag, as Authorize, StartTransaction and StopTransaction return it. */
export interface IdTagInfo {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

/** One measured value of a meter value. */
export interface SampledValue {
  value: string;
  context?: ReadingContext;
  format?: 'Raw' | 'SignedData';
  measurand?: Measurand;
  location?: Location;
  unit?: UnitOfMeasure;
}

/** Sampled values taken at one moment. */
export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
}

/** A limit from `startPeriod` seconds after the schedule start on. */
export interface ChargingSchedulePeriod {
  startPeriod: number;
  limit: number;
  numberPhases?: number;
}

/** A sequence of limits. */
export interface ChargingSchedule {
  duration?: number;
  startSchedule?: string;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
  minChargingRate?: number;
}

/** A charging profile as SetChargingProfile and RemoteStartTransaction carry it. */
export interface ChargingProfile {
  chargingProfileId: number;
  transactionId?: number;
  stackLevel: number;
  chargingProfilePurpose: ChargingProfilePurpose;
  chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  recurrencyKind?: 'Daily' | 'Weekly';
  validFrom?: string;
  validTo?: string;
  chargingSchedule: ChargingSchedule;
}

type Status<S extends string> = { status: S };

/** Requests a charge point sends, with the confirmation each one gets (OCPP 1.6 chapter 4). */
export interface ChargePointCalls {
  Authorize: { req: { idTag: string }; conf: { idTagInfo: IdTagInfo } };
  BootNotification: {
    req: {
      chargePointVendor: string;
      chargePointModel: string;
      chargePointSerialNumber?: string;
      chargeBoxSerialNumber?: string;
      firmwareVersion?: string;
      meterType?: string;
      meterSerialNumber?: string;
    };
    conf: { status: RegistrationStatus; currentTime: string; interval: number };
  };
  DataTransfer: {
    req: { vendorId: string; messageId?: string; data?: string };
    conf: { status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId'; data?: string };
  };
  DiagnosticsStatusNotification: { req: Status<DiagnosticsStatus>; conf: Record<string, never> };
  FirmwareStatusNotification: { req: Status<FirmwareStatus>; conf: Record<string, never> };
  Heartbeat: { req: Record<string, never>; conf: { currentTime: string } };
  MeterValues: {
    req: { connectorId: number; transactionId?: number; meterValue: MeterValue[] };
    conf: Record<string, never>;
  };
  StartTransaction: {
    req: {
      connectorId: number;
      idTag: string;
      meterStart: number;
      reservationId?: number;
      timestamp: string;
    };
    conf: { idTagInfo: IdTagInfo; transactionId: number };
  };
  StatusNotification: {
    req: {
      connectorId: number;
      errorCode: ChargePointErrorCode;
      status: ChargePointStatus;
      info?: string;
      timestamp?: string;
    };
    conf: Record<string, never>;
  };
  StopTransaction: {
    req: {
      transactionId: number;
      meterStop: number;
      timestamp: string;
      idTag?: string;
      reason?: StopReason;
      transactionData?: MeterValue[];
    };
    conf: { idTagInfo?: IdTagInfo };
  };
}

/** Requests a central system sends, with the confirmation each one gets (OCPP 1.6 chapter 5). */
export interface CentralSystemCalls {
  CancelReservation: { req: { reservationId: number }; conf: Status<'Accepted' | 'Rejected'> };
  ChangeAvailability: {
    req: { connectorId: number; type: 'Inoperative' | 'Operative' };
    conf: Status<'Accepted' | 'Rejected' | 'Scheduled'>;
  };
  ChangeConfiguration: { req: { key: string; value: string }; conf: Status<ConfigurationStatus> };
  ClearCache: { req: Record<string, never>; conf: Status<'Accepted' | 'Rejected'> };
  ClearChargingProfile: {
    req: {
      id?: number;
      connectorId?: number;
      chargingProfilePurpose?: ChargingProfilePurpose;
      stackLevel?: number;
    };
    conf: Status<'Accepted' | 'Unknown'>;
  };
  DataTransfer: ChargePointCalls['DataTransfer'];
  GetCompositeSchedule: {
    req: { connectorId: number; duration: number; chargingRateUnit?: ChargingRateUnit };
    conf: {
      status: 'Accepted' | 'Rejected';
      connectorId?: number;
      scheduleStart?: string;
      chargingSchedule?: ChargingSchedule;
    };
  };
  GetConfiguration: {
    req: { key?: string[] };
    conf: { configurationKey?: ConfigurationEntry[]; unknownKey?: string[] };
  };
  GetDiagnostics: {
    req: {
      location: string;
      retries?: number;
      retryInterval?: number;
      startTime?: string;
      stopTime?: string;
    };
    conf: { fileName?: string };
  };
  GetLocalListVersion: { req: Record<string, never>; conf: { listVersion: number } };
  RemoteStartTransaction: {
    req: { connectorId?: number; idTag: string; chargingProfile?: ChargingProfile };
    conf: Status<'Accepted' | 'Rejected'>;
  };
  RemoteStopTransaction: { req: { transactionId: number }; conf: Status<'Accepted' | 'Rejected'> };
  ReserveNow: {
    req: {
      connectorId: number;
      expiryDate: string;
      idTag: string;
      parentIdTag?: string;
      reservationId: number;
    };
    conf: Status<'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable'>;
  };
  Reset: { req: { type: 'Hard' | 'Soft' }; conf: Status<'Accepted' | 'Rejected'> };
  SendLocalList: {
    req: {
      listVersion: number;
      updateType: 'Differential' | 'Full';
      localAuthorizationList?: { idTag: string; idTagInfo?: IdTagInfo }[];
    };
    conf: Status<'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch'>;
  };
  SetChargingProfile: {
    req: { connectorId: number; csChargingProfiles: ChargingProfile };
    conf: Status<'Accepted' | 'Rejected' | 'NotSupported'>;
  };
  TriggerMessage: {
    req: { requestedMessage: TriggerableMessage; connectorId?: number };
    conf: Status<'Accepted' | 'Rejected' | 'NotImplemented'>;
  };
  UnlockConnector: {
    req: { connectorId: number };
    conf: Status<'Unlocked' | 'UnlockFailed' | 'NotSupported'>;
  };
  UpdateFirmware: {
    req: { location: string; retrieveDate: string; retries?: number; retryInterval?: number };
    conf: Record<string, never>;
  };
}

/** The answer to ChangeConfiguration. */
export type ConfigurationStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

/** One key in a GetConfiguration answer; write-only keys come without value. */
export interface ConfigurationEntry {
  key: string;
  readonly: boolean;
  value?: string;
}

/** Messages TriggerMessage can ask for. */
export type TriggerableMessage =
  | 'BootNotification'
  | 'DiagnosticsStatusNotification'
  | 'FirmwareStatusNotification'
  | 'Heartbeat'
  | 'MeterValues'
  | 'StatusNotification';

/** Actions a charge point sends. */
export type ChargePointAction = keyof ChargePointCalls;
/** Actions a central system sends. */
export type CentralSystemAction = keyof CentralSystemCalls;
