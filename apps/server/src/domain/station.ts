import type { OcppVersion } from '@cimorings/contracts';
import type { SecurityProfile } from './security-profile.js';
import type { StationStatus } from './station-status.js';

export interface Connector {
  connectorId: number;
  status: string;
  errorCode: string;
  info: string | null;
  vendorId: string | null;
  vendorErrorCode: string | null;
  /** The charge point's time of the status, else when it was received. */
  timestamp: string;
}

/**
 * A connector's status as a charge point reports it (connector 0: the charge point itself), with
 * the time on its own clock as it sent it, if it did; the server decides what time to keep.
 */
export interface ConnectorReport extends Omit<Connector, 'timestamp'> {
  timestamp?: string;
}

/** `accepted`: a known station; `pending`: an unknown one that connected and awaits approval. */
export type Registration = 'accepted' | 'pending';

/** The identity a charge point reports in BootNotification.req (OCPP 1.6 §6.3). */
export interface BootIdentity {
  vendor: string;
  model: string;
  serialNumber: string | null;
  chargeBoxSerialNumber: string | null;
  firmwareVersion: string | null;
  iccid: string | null;
  imsi: string | null;
  meterType: string | null;
  meterSerialNumber: string | null;
}

/** A station; what BootNotification reported is null until its first boot. */
export interface Station extends Omit<BootIdentity, 'vendor' | 'model'> {
  id: number;
  chargePointId: string;
  name: string;
  siteId: number | null;
  /** kW per connector as configured; null: the highest measured, 22 kW while none is. */
  maxPowerKw: number | null;
  location: string | null;
  registration: Registration;
  status: StationStatus;
  connected: boolean;
  /** True when the charge point must present a password (OCPP security profile 1/2). */
  hasOcppPassword: boolean;
  /** The OCPP security profile it must connect with (CONTRACT section 8). */
  securityProfile: SecurityProfile;
  /** The OCPP version of its latest connection (CONTRACT section 7). */
  ocppVersion: OcppVersion;
  vendor: string | null;
  model: string | null;
  lastBootAt: string | null;
  lastHeartbeat: string | null;
  lastSeenAt: string | null;
  diagnosticsStatus: string | null;
  firmwareStatus: string | null;
  /** The last LogStatusNotification status (GetLog). */
  logStatus: string | null;
  /** The last SignedFirmwareStatusNotification status (SignedUpdateFirmware). */
  signedFirmwareStatus: string | null;
  /** The version of the local authorization list the station last accepted; null: none sent. */
  localListVersion: number | null;
  /** When the id tag table was read for that list. */
  localListSentAt: string | null;
  /**
   * The station's clock minus the server's, in seconds, when a timestamp it sent was last too
   * far off to believe and replaced by the receipt time (see readChargePointTime); null when
   * none was since its last boot.
   */
  clockSkewSeconds: number | null;
  createdAt: string;
  updatedAt: string;
  connectors: Connector[];
}

/**
 * The progress reports a station sends about a job it was given: diagnostics and firmware
 * (OCPP 1.6 §4.4, §4.5), the security log and the signed firmware (security whitepaper §3.8, §3.5).
 */
export type NotificationKind = 'diagnostics' | 'firmware' | 'log' | 'signedFirmware';
