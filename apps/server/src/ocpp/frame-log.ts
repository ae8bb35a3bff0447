import { redactOcppPayload } from '../domain/ocpp-secrets.js';
import type { OcppLogService } from '../services/ocpp-log.service.js';
import type { RPCClient } from './rpc.js';

/** OCPP-J message type of a CALL; its CALLRESULT is one more. */
const CALL = 2;

/**
 * Sends every frame of one charge point's socket to the message log, secrets redacted. Until a
 * station is accepted, the log keeps only its BootNotification exchanges: whatever else an
 * unknown or pending charge point sends is refused, and must not fill the log either.
 */
export function logFrames(
  client: RPCClient,
  chargePointId: string,
  log: OcppLogService,
  accepted: () => boolean,
): void {
  const base = { chargePointId };
  /** Action of each call in flight, by message id, to name the action of its answer. */
  const actions = new Map<string, string>();
  client.on('call', ({ outbound, payload }: { outbound: boolean; payload: unknown[] }) => {
    const [, messageId, action, params] = payload as [number, string, string, unknown];
    if (!outbound && !accepted() && action !== 'BootNotification') return;
    actions.set(messageId, action);
    log.record(
      {
        ...base,
        direction: outbound ? 'out' : 'in',
        messageType: CALL,
        messageId,
        action,
        payload: loggable(redactOcppPayload(action, params ?? null)),
      },
      accepted(),
    );
  });
  client.on('response', ({ outbound, payload }: { outbound: boolean; payload: unknown[] }) => {
    const [messageType, messageId, ...rest] = payload as [number, string, ...unknown[]];
    if (!actions.has(messageId) && !accepted()) return;
    const action = actions.get(messageId) ?? null;
    actions.delete(messageId);
    log.record(
      {
        ...base,
        direction: outbound ? 'out' : 'in',
        messageType,
        messageId,
        action,
        payload: loggable(redactOcppPayload(action, messageType === CALL + 1 ? rest[0] : rest)),
      },
      accepted(),
    );
  });
  client.on('badMessage', ({ buffer, response }: { buffer: Buffer; response: unknown[] | null }) => {
    if (!accepted()) return;
    log.record(
      {
        ...base,
        direction: 'in',
        messageType: 0,
        messageId: '',
        action: null,
        payload: buffer.toString(),
      },
      accepted(),
    );
    if (response) {
      const [messageType, messageId, ...rest] = response as [number, string, ...unknown[]];
      log.record(
        {
          ...base,
          direction: 'out',
          messageType,
          messageId,
          action: null,
          payload: loggable(rest),
        },
        accepted(),
      );
    }
  });
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
