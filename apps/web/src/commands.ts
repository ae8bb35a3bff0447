import { CSMS_ACTIONS, V2_CSMS_ACTIONS, type OcppVersion } from '@cimorings/contracts';
import type { v16, v201 } from '@cimorings/ocpp';
import type { InjectionKey, Ref } from 'vue';
import type { StationAnswer, StationOperation, StationOperationBodies } from './api';

/**
 * Sends one of the operations every station offers (remote start, remote stop, reset, unlock,
 * availability); resolves the station's answer, or null when it failed (the failure is shown
 * with the command's answers).
 */
export type SendOperation = <O extends StationOperation>(
  operation: O,
  body: StationOperationBodies[O],
) => Promise<StationAnswer | null>;

/**
 * Sends a message of the station's own OCPP version by its name; resolves the station's answer,
 * or null when it failed. The server checks the payload against that version's schema.
 */
export type SendMessage = (action: string, payload: object) => Promise<Record<string, unknown> | null>;

/**
 * The command running now on the station page (`busy` of useStationCommands: an operation or an
 * action name, null when none), provided by the commands tab to every send button in it.
 */
export const COMMAND_BUSY: InjectionKey<Readonly<Ref<string | null>>> = Symbol('command-busy');

/** SendLocalList's kind: the whole id tag table, or the changes since the station's version. */
export type LocalListUpdate = v16.Request<'SendLocalList'>['updateType'];

/** One command sent from the station page and what came back. */
export interface CommandAnswer {
  id: number;
  action: string;
  /** The request as sent. */
  payload: object;
  /** When it was sent, ISO 8601. */
  at: string;
  /** The charge point's answer (e.g. `{ status: 'Accepted' }`); null while waiting or on error. */
  answer: object | null;
  /** The failure in words (offline, timeout, CallError), or null. */
  error: string | null;
}

/**
 * Returns `list` as it is; compiles only when the list names every member of `Union`. Types are
 * erased at run time, so a list the page shows must be checked against the generated union.
 */
function everyOf<Union extends string>() {
  return <const List extends readonly Union[]>(
    list: List &
      ([Exclude<Union, List[number]>] extends [never] ? unknown : { missing: Exclude<Union, List[number]> }),
  ): List => list;
}

/** What TriggerMessage may ask a 1.6 charge point for (OCPP 1.6 section 5.17), in the order the form lists them. */
export const TRIGGERABLE_MESSAGES = everyOf<v16.TriggerableMessage>()([
  'BootNotification',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StatusNotification',
]);

/** What TriggerMessage may ask a 2.0.1 station for (OCPP 2.0.1 F06), in the order the form lists them. */
export const V2_TRIGGERABLE_MESSAGES = everyOf<v201.MessageTriggerEnumType>()([
  'BootNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'LogStatusNotification',
  'MeterValues',
  'PublishFirmwareStatusNotification',
  'SignChargingStationCertificate',
  'SignCombinedCertificate',
  'SignV2GCertificate',
  'StatusNotification',
  'TransactionEvent',
]);

/** The messages an operator may send a station of `version` on the commands endpoint, by name. */
export function actionsFor(version: OcppVersion): readonly string[] {
  return version === '1.6' ? CSMS_ACTIONS : V2_CSMS_ACTIONS;
}

/** The messages TriggerMessage may ask a station of `version` for. */
export function triggersFor(version: OcppVersion): readonly string[] {
  return version === '1.6' ? TRIGGERABLE_MESSAGES : V2_TRIGGERABLE_MESSAGES;
}

/** TriggerMessage's payload in the station's version: 1.6 names a connector, 2.0.1 an EVSE. */
export function triggerPayload(
  version: OcppVersion,
  requestedMessage: string,
  connectorId: number | undefined,
): object {
  if (connectorId === undefined) return { requestedMessage };
  return version === '1.6'
    ? { requestedMessage, connectorId }
    : { requestedMessage, evse: { id: connectorId } };
}
