import type { v16 } from '@cimorings/ocpp';

/** The OCPP 1.6 actions the dashboard may send to a charge point. */
export type CommandAction = v16.CentralSystemAction;

/**
 * Sends `action` with its request; resolves the charge point's response, or null when the
 * command failed (the failure is shown with the command's answers).
 */
export type SendCommand = <A extends CommandAction>(
  action: A,
  payload: v16.Request<A>,
) => Promise<v16.Response<A> | null>;

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

/** What TriggerMessage may ask for (OCPP 1.6 section 5.17), in the order the form lists them. */
export const TRIGGERABLE_MESSAGES = everyOf<v16.TriggerableMessage>()([
  'BootNotification',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StatusNotification',
]);

/** Reads GetConfiguration.conf: its known keys (sorted) and the keys it did not know. */
export function readConfiguration(answer: v16.Response<'GetConfiguration'>): {
  entries: v16.ConfigurationEntry[];
  unknownKeys: string[];
} {
  const keys = answer.configurationKey ?? [];
  return {
    entries: [...keys].sort((a, b) => a.key.localeCompare(b.key)),
    unknownKeys: answer.unknownKey ?? [],
  };
}
