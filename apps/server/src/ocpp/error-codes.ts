import type { RPCClient } from './rpc.js';

/**
 * CallError codes valid in OCPP-J 1.6 (§4.2.3), which ocpp-rpc does not always use: it answers
 * framing errors with 2.0.1 codes (RpcFrameworkError, MessageTypeNotSupported) and spells
 * OccurenceConstraintViolation the errata's way. Our contract names the 1.6 table's codes.
 */
const V16_CODES: Record<string, string> = {
  RpcFrameworkError: 'FormationViolation',
  MessageTypeNotSupported: 'FormationViolation',
  FormatViolation: 'FormationViolation',
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
};

const CALLERROR = 4;

function rewrite(frame: unknown[] | null | undefined): void {
  if (!frame || frame[0] !== CALLERROR || typeof frame[2] !== 'string') return;
  const code = V16_CODES[frame[2]];
  if (code) frame[2] = code;
}

/**
 * Makes a 1.6 connection answer with 1.6 error codes. ocpp-rpc emits the outgoing CALLERROR
 * frame (as an array) synchronously just before serializing it, in its 'response' event for
 * answers to calls and its 'badMessage' event for unreadable frames, so the code is rewritten
 * there, without parsing anything again.
 */
export function useOcpp16ErrorCodes(client: RPCClient): void {
  client.on('response', (event: { outbound: boolean; payload: unknown[] }) => {
    if (event.outbound) rewrite(event.payload);
  });
  client.on('badMessage', (event: { response: unknown[] | null }) => rewrite(event.response));
}
