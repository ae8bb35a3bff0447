import { redactOcppPayload } from '../domain/ocpp-secrets.js';
import type { OcppLogService } from '../services/ocpp-log.service.js';
import type { RPCClient } from './rpc.js';

/** OCPP-J message type of a CALL; its CALLRESULT is one more. */
const CALL = 2;

/** What the message log keeps of one connection. */
interface FrameLogState {
  readonly chargePointId: string;
  readonly log: OcppLogService;
  /** Whether the central system accepted the station (read at each frame). */
  readonly station: { readonly accepted: boolean };
  /** Action of each call in flight, by message id, to name the action of its answer (none: undefined). */
  actions: Map<string, string> | undefined;
}

/**
 * Each logged connection's state, by its client: the listeners are shared by every connection
 * and find it through `this` (a client emits with itself as `this`), rather than closures and a
 * map held by each of 20,000 idle connections.
 */
const STATES = new WeakMap<RPCClient, FrameLogState>();

/**
 * Sends every frame of one charge point's socket to the message log, secrets redacted. Until a
 * station is accepted, the log keeps only its BootNotification exchanges: whatever else an
 * unknown or pending charge point sends is refused, and must not fill the log either.
 */
export function logFrames(
  client: RPCClient,
  chargePointId: string,
  log: OcppLogService,
  station: { readonly accepted: boolean },
): void {
  STATES.set(client, { chargePointId, log, station, actions: undefined });
  client.on('call', onCall);
  client.on('response', onResponse);
  client.on('badMessage', onBadMessage);
}

type Frame = Omit<Parameters<OcppLogService['record']>[0], 'chargePointId'>;

function record(state: FrameLogState, frame: Frame, accepted: boolean): void {
  state.log.record({ chargePointId: state.chargePointId, ...frame }, accepted);
}

function onCall(this: RPCClient, { outbound, payload }: { outbound: boolean; payload: unknown[] }): void {
  const state = STATES.get(this);
  if (!state) return;
  const [, messageId, action, params] = payload as [number, string, string, unknown];
  const accepted = state.station.accepted;
  if (!outbound && !accepted && action !== 'BootNotification') return;
  (state.actions ??= new Map()).set(messageId, action);
  record(
    state,
    {
      direction: outbound ? 'out' : 'in',
      messageType: CALL,
      messageId,
      action,
      payload: loggable(redactOcppPayload(action, params ?? null)),
    },
    accepted,
  );
}

function onResponse(this: RPCClient, { outbound, payload }: { outbound: boolean; payload: unknown[] }): void {
  const state = STATES.get(this);
  if (!state) return;
  const [messageType, messageId, ...rest] = payload as [number, string, ...unknown[]];
  const accepted = state.station.accepted;
  const action = state.actions?.get(messageId);
  if (action === undefined && !accepted) return;
  if (action !== undefined) {
    state.actions?.delete(messageId);
    if (state.actions?.size === 0) state.actions = undefined;
  }
  record(
    state,
    {
      direction: outbound ? 'out' : 'in',
      messageType,
      messageId,
      action: action ?? null,
      payload: loggable(redactOcppPayload(action ?? null, messageType === CALL + 1 ? rest[0] : rest)),
    },
    accepted,
  );
}

function onBadMessage(
  this: RPCClient,
  { buffer, response }: { buffer: Buffer; response: unknown[] | null },
): void {
  const state = STATES.get(this);
  if (!state?.station.accepted) return;
  record(
    state,
    { direction: 'in', messageType: 0, messageId: '', action: null, payload: buffer.toString() },
    true,
  );
  if (response) {
    const [messageType, messageId, ...rest] = response as [number, string, ...unknown[]];
    record(
      state,
      { direction: 'out', messageType, messageId, action: null, payload: loggable(rest) },
      state.station.accepted,
    );
  }
}

/** JSON text of a value, or undefined when it cannot be serialized (a cycle, too deep). */
export function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return undefined;
  }
}

/**
 * A frame's payload as JSON text for the message log, never throwing: these run inside
 * ocpp-rpc's 'call' and 'response' events, emitted before it handles the frame, so a throw
 * there would turn a charge point's call into a GenericError and leave a command's answer
 * unread until it timed out. JSON.stringify recurses, and a frame of 64 KB can nest 30,000 deep.
 */
function loggable(payload: unknown): string {
  return toJson(payload) ?? JSON.stringify({ unloggable: 'too deeply nested to serialize' });
}
