/**
 * OCPP 1.6 message payloads, written by hand from the official JSON schemas that ocpp-rpc
 * validates against (`ocpp-rpc/lib/schemas/ocpp1_6.json`). Only the messages of the core
 * specification are listed; the security whitepaper extensions are answered `NotImplemented`.
 */

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

export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';
export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';

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
export type UnitOfMeasure = 'Wh' | 'kWh' | 'W' | 'kW' | 'Percent';
export type Location = 'Cable' | 'EV' | 'Inlet' | 'Outlet' | 'Body';

export type DiagnosticsStatus = 'Idle' | 'Uploaded' | 'UploadFailed' | 'Uploading';
export type FirmwareStatus =
  | 'Downloaded'
  | 'DownloadFailed'
  | 'Downloading'
  | 'Idle'
  | 'InstallationFailed'
  | 'Installing'
  | 'Installed';

export type ChargingProfilePurpose = 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
export type ChargingRateUnit = 'A' | 'W';

export interface IdTagInfo {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

export interface SampledValue {
  value: string;
  context?: ReadingContext;
  format?: 'Raw' | 'SignedData';
  measurand?: Measurand;
  location?: Location;
  unit?: UnitOfMeasure;
}

export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
}

export interface ChargingSchedulePeriod {
  startPeriod: number;
  limit: number;
  numberPhases?: number;
}

export interface ChargingSchedule {
  duration?: number;
  startSchedule?: string;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
  minChargingRate?: number;
}

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

export type ConfigurationStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

export interface ConfigurationEntry {
  key: string;
  readonly: boolean;
  value?: string;
}

export type TriggerableMessage =
  | 'BootNotification'
  | 'DiagnosticsStatusNotification'
  | 'FirmwareStatusNotification'
  | 'Heartbeat'
  | 'MeterValues'
  | 'StatusNotification';

export type ChargePointAction = keyof ChargePointCalls;
export type CentralSystemAction = keyof CentralSystemCalls;
