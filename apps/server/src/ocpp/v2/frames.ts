import type { FastifyBaseLogger } from 'fastify';
import { REFUSED_FRAME } from '../refusal-budget.js';
import type { RPCClient } from '../rpc.js';
import type { SchemaValidator } from '../validation.js';

/** OCPP-J 2.1 §4.2.4: a CALLRESULTERROR, an error about a CALLRESULT received. */
export const CALLRESULTERROR = 5;
/** OCPP-J 2.1 §4.2.5: a SEND, a message that is never answered. */
export const SEND = 6;

/** The 2.1 frame types ocpp-rpc 2.2 does not read, recognised without parsing every frame. */
const NEW_FRAME = /^\s*\[\s*[56]\s*,/;

/** What a station's SEND of each action is handed to, once valid. */
export type SendHandlers = Record<string, (payload: unknown) => void>;

interface FrameReader {
  _onMessage(buffer: Buffer): void;
}

/**
 * Teaches one OCPP 2.1 connection the two frame types OCPP-J 2.1 adds, around ocpp-rpc rather
 * than in a fork of it. ocpp-rpc reads every frame in its client's `_onMessage` (lib/client.js,
 * called by the socket's message listener through `this`), where a type it does not know is
 * answered with a CALLERROR; a frame of type 5 or 6 is taken here before it gets there:
 * - SEND (6) `[6, messageId, action, payload]`: checked against the action's schema and handed
 *   to its handler; never answered, not even when invalid or unknown (it is only logged then).
 * - CALLRESULTERROR (5) `[5, messageId, errorCode, errorDescription, errorDetails]`: the station
 *   tells that a CALLRESULT of ours was wrong; logged, never answered.
 * And the other way: a CALLRESULT from the station that breaks its schema (strict mode rejects
 * the command's call at once, which the command ends with 502) is answered with a
 * CALLRESULTERROR, as FR.06 requires.
 */
export function useOcpp21Frames(
  client: RPCClient,
  chargePointId: string,
  schemas: SchemaValidator,
  sendHandlers: SendHandlers,
  log: FastifyBaseLogger,
): void {
  const reader = client as unknown as FrameReader;
  const read = reader._onMessage.bind(client);
  reader._onMessage = (buffer: Buffer) => {
    const text = buffer.toString('utf8');
    const frame = NEW_FRAME.test(text.slice(0, 32)) ? parse(text) : undefined;
    if (frame === undefined) {
      read(buffer);
      return;
    }
    // Seen like any other frame (liveness, the message log's listeners).
    client.emit('message', { message: text, outbound: false });
    // Never answered, so counted here: a station sending a stream of them is cut off as one
    // sending refused calls is (a station that follows the protocol sends one now and then).
    if (frame[0] === SEND) {
      if (!receiveSend(frame, schemas, sendHandlers, chargePointId, log)) client.emit(REFUSED_FRAME);
    } else {
      client.emit(REFUSED_FRAME);
      log.warn(
        { chargePointId, frame: frame.slice(1) },
        'the station refused one of our CALLRESULTs (CALLRESULTERROR)',
      );
    }
  };
  client.on(
    'strictValidationFailure',
    (failure: {
      messageId: string;
      outbound: boolean;
      isCall: boolean;
      error: Error & { rpcErrorCode?: string };
    }) => {
      if (failure.outbound || failure.isCall) return;
      const answer = [
        CALLRESULTERROR,
        failure.messageId,
        failure.error.rpcErrorCode ?? 'FormatViolation',
        failure.error.message.slice(0, 255),
        {},
      ];
      log.info(
        { chargePointId, messageId: failure.messageId },
        'invalid CALLRESULT answered with CALLRESULTERROR',
      );
      client.emit('response', { outbound: true, payload: answer });
      client.sendRaw(JSON.stringify(answer));
    },
  );
}

/** A frame of type 5 or 6 with a string message id; undefined for anything else. */
function parse(text: string): unknown[] | undefined {
  try {
    const frame: unknown = JSON.parse(text);
    if (!Array.isArray(frame) || typeof frame[1] !== 'string') return undefined;
    return frame[0] === SEND || frame[0] === CALLRESULTERROR ? frame : undefined;
  } catch {
    return undefined;
  }
}

/** Hands a SEND to its handler; false when it is refused (unknown action, invalid payload). */
function receiveSend(
  frame: unknown[],
  schemas: SchemaValidator,
  handlers: SendHandlers,
  chargePointId: string,
  log: FastifyBaseLogger,
): boolean {
  const [, messageId, action, payload] = frame;
  const handler = typeof action === 'string' ? handlers[action] : undefined;
  if (typeof action !== 'string' || !handler) {
    log.info({ chargePointId, messageId, action }, 'SEND of an unknown action ignored');
    return false;
  }
  try {
    schemas.validate(`urn:${action}`, payload);
  } catch (error) {
    log.info({ chargePointId, messageId, action, err: error }, 'invalid SEND ignored');
    return false;
  }
  try {
    handler(payload);
  } catch (error) {
    log.error({ chargePointId, messageId, action, err: error }, 'SEND handler failed');
  }
  return true;
}
