import type { OcppVersion } from '@cimorings/contracts';
import type {
  ChargingProfileInput,
  ChargingProfilePurpose,
  ChargingRateUnit,
  StationTransactionRef,
} from '../domain/charging-profile.js';
import type { IdTokenRef } from '../domain/id-tag.js';
import type { MessageLimits } from '../domain/message-limits.js';

export type { ChargingProfileInput } from '../domain/charging-profile.js';
export type { IdTokenRef } from '../domain/id-tag.js';

/**
 * The port through which services command a charge point, in domain terms: each protocol's
 * adapter (ocpp/v16/commands.ts, ocpp/v2/commands.ts) turns an operation into the station's own
 * message and its answer back into these shapes, so that services neither build OCPP payloads
 * nor ask which protocol a station speaks.
 */

/** What an id tag may do, as a station is told (OCPP 1.6 IdTagInfo, 2.0.1 IdTokenInfo). */
export interface TokenInfo {
  /** Accepted, Blocked, Expired, Invalid or ConcurrentTx. */
  status: string;
  expiryDate?: string;
  /** The tag's parent, its group. */
  group?: IdTokenRef;
}

/**
 * A station's answer to a command: its status, and whatever else it said, as it said it (the
 * other fields are the protocol's, passed on to clients untouched).
 */
export interface CommandAnswer {
  status: string;
}

export type ResetKind = 'Soft' | 'Hard';
/** The messages both protocols let a CSMS ask for with TriggerMessage. */
export type TriggeredMessage =
  'BootNotification' | 'FirmwareStatusNotification' | 'Heartbeat' | 'MeterValues' | 'StatusNotification';
export type AvailabilityKind = 'Operative' | 'Inoperative';
export type LocalListUpdate = 'Full' | 'Differential';
/** What a base report holds (OCPP 2.0.1 ReportBaseEnumType). */
export type ReportBase = 'ConfigurationInventory' | 'FullInventory' | 'SummaryInventory';

export interface RemoteStartInput {
  /** Absent: the station chooses. */
  connectorId?: number;
  idToken: IdTokenRef;
  group?: IdTokenRef;
  /** Links the transaction the station starts to this request (2.x remoteStartId). */
  remoteStartId: number;
}

export type RemoteStopInput = StationTransactionRef;

export interface ReserveNowInput {
  reservationId: number;
  /** 0: any connector (EVSE) of the station. */
  connectorId: number;
  /** ISO 8601. */
  expiryDate: string;
  idToken: IdTokenRef;
  group?: IdTokenRef;
}

export interface LocalListEntry {
  idToken: IdTokenRef;
  /** Absent in a differential update: the tag is removed from the station's list. */
  info?: TokenInfo;
}

export interface LocalListInput {
  listVersion: number;
  updateType: LocalListUpdate;
  entries: LocalListEntry[];
}

/** One variable of a station's device model; a 1.6 configuration key is component "OCPP16". */
export interface VariableRef {
  component: string;
  componentInstance?: string;
  evseId?: number;
  connectorId?: number;
  variable: string;
  variableInstance?: string;
  /** Actual (the default), Target, MinSet or MaxSet. */
  attributeType?: string;
}

export interface VariableChange extends VariableRef {
  value: string;
}

/** A variable as read from the station. */
export interface VariableReading extends VariableRef {
  attributeType: string;
  /** Null when the station did not give one (unknown, or not readable). */
  value: string | null;
  /** ReadOnly, ReadWrite, WriteOnly; null when unknown. */
  mutability: string | null;
  /** The station's GetVariableStatus (2.x) or Accepted / UnknownVariable (1.6). */
  attributeStatus: string;
}

/** What a station answered about one variable it was asked to change. */
export interface VariableSetResult extends VariableRef {
  attributeType: string;
  /** The station's status as it sent it: Accepted, Rejected, RebootRequired, ... */
  attributeStatus: string;
}

/** Hears the results of one message of a change sent in several (before the next is sent). */
export type PartAnswered = (results: VariableSetResult[]) => Promise<void>;

/** Which profiles ClearChargingProfile clears; nothing given: all of them. */
export interface ChargingProfileCriteria {
  chargingProfileId?: number;
  connectorId?: number;
  chargingProfilePurpose?: ChargingProfilePurpose;
  stackLevel?: number;
}

/**
 * A new security profile for the station's next connections (CONTRACT section 8): what a 2.x
 * station needs in its network connection profile besides the profile itself.
 */
export interface SecurityProfileChange {
  profile: 0 | 1 | 2 | 3;
  /** The OCPP endpoint as the station reaches it, without its identity (OCPP_PUBLIC_URL). */
  csmsUrl: string;
  /** Seconds a message of the station waits for our answer. */
  messageTimeoutSeconds: number;
}

/** The station's answer to a security profile change: `step` names the message it refused. */
export interface SecurityProfileChangeAnswer extends CommandAnswer {
  /** The message (and variable) answered `status`: the one that refused, or the last one. */
  step: string;
}

/** The protocol component of a 1.6 station's configuration keys in the device model routes. */
export const OCPP16_COMPONENT = 'OCPP16';

/** The commands a service may give a charge point; each answers the station's answer. */
export interface ChargePointCommands {
  remoteStart(input: RemoteStartInput): Promise<CommandAnswer>;
  remoteStop(input: RemoteStopInput): Promise<CommandAnswer>;
  /** Soft: once idle (2.x OnIdle); Hard: at once (2.x Immediate). */
  reset(kind: ResetKind): Promise<CommandAnswer>;
  unlock(connectorId: number): Promise<CommandAnswer>;
  /** Connector 0: the whole station. */
  changeAvailability(connectorId: number, kind: AvailabilityKind): Promise<CommandAnswer>;
  reserveNow(input: ReserveNowInput): Promise<CommandAnswer>;
  cancelReservation(reservationId: number): Promise<CommandAnswer>;
  sendLocalList(input: LocalListInput): Promise<CommandAnswer>;
  /** The version of the station's local list (0: none, -1 in 1.6: no list support). */
  getLocalListVersion(): Promise<number>;
  clearCache(): Promise<CommandAnswer>;
  /**
   * Asks the station to send one of its messages now (OCPP 1.6 §5.17, 2.0.1 F06), about one
   * connector (EVSE) when given: a StatusNotification of a 2.x station names its connector 1.
   */
  trigger(message: TriggeredMessage, connectorId?: number): Promise<CommandAnswer>;
  /**
   * Reads variables; none named: every one the station reports at once (1.6 only). A 2.x station
   * is asked in as many messages as `limits` need, one after another.
   */
  getVariables(refs: readonly VariableRef[], limits?: MessageLimits): Promise<VariableReading[]>;
  /**
   * Changes variables; one result per change, in order. A 2.x station is sent as many messages
   * as `limits` need, one after another, `answered` hearing each one's results as they come.
   */
  setVariables(
    changes: readonly VariableChange[],
    limits?: MessageLimits,
    answered?: PartAnswered,
  ): Promise<VariableSetResult[]>;
  /**
   * Asks for the station's device model (OCPP 2.0.1 B07 GetBaseReport), which arrives in
   * NotifyReport parts tagged `requestId`.
   * @throws AppError UNSUPPORTED_ACTION for a 1.6 station, which has none.
   */
  getBaseReport(requestId: number, reportBase: ReportBase): Promise<CommandAnswer>;
  /** Installs a charging profile on a connector (EVSE), 0 for the whole station. */
  setChargingProfile(connectorId: number, profile: ChargingProfileInput): Promise<CommandAnswer>;
  clearChargingProfile(criteria: ChargingProfileCriteria): Promise<CommandAnswer>;
  /** The station's answer as it is (its schedule is shaped by its protocol). */
  getCompositeSchedule(
    connectorId: number,
    durationSeconds: number,
    chargingRateUnit?: ChargingRateUnit,
  ): Promise<CommandAnswer>;
  /**
   * How many CSMS root certificates the station has installed (1.6 security whitepaper
   * GetInstalledCertificateIds CentralSystemRootCertificate, 2.0.1 M03 CSMSRootCertificate):
   * without one it cannot check our server certificate, so it cannot use TLS.
   */
  countCsmsRootCertificates(): Promise<number>;
  /**
   * Asks the station to use another security profile from its next connection (1.6 whitepaper
   * §2.4: ChangeConfiguration SecurityProfile; 2.0.1 B09: SetNetworkProfile into a free slot, then
   * OCPPCommCtrlr.NetworkConfigurationPriority with that slot first). It takes it at its next
   * (re)boot: `reset` follows.
   */
  changeSecurityProfile(change: SecurityProfileChange): Promise<SecurityProfileChangeAnswer>;
}

/**
 * Sends one message of the station's protocol and answers the station's response: checked
 * against the official schema, routed to the node holding the station, and audited
 * (CommandService).
 * @throws AppError VALIDATION_ERROR, STATION_OFFLINE, STATION_TIMEOUT or OCPP_CALL_ERROR.
 */
export type CommandChannel = (action: string, payload: unknown) => Promise<unknown>;

/** What services need of each protocol's command adapter. */
export interface CommandProtocol {
  /** The messages an operator may send through the commands endpoint. */
  readonly actions: readonly string[];
  /**
   * Checks a request payload against the official schema of an action.
   * @throws AppError VALIDATION_ERROR (details.ocppErrorCode, details.errors).
   */
  validate(action: string, payload: unknown): void;
  /** The port over a channel to one station. */
  commands(send: CommandChannel): ChargePointCommands;
  /**
   * The Basic auth password a station took with this command (1.6 ChangeConfiguration of
   * AuthorizationKey, 2.x SetVariables of SecurityCtrlr.BasicAuthPassword), else null.
   */
  acceptedPassword(action: string, payload: unknown, response: unknown): string | null;
}

/** The command adapter of each protocol. */
export type CommandProtocols = Readonly<Record<OcppVersion, CommandProtocol>>;
