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

/**
 * CallError codes valid in OCPP-J 2.0.1 and 2.1 (§4.3): the 1.6 spellings a shared rule may
 * produce (a range check of a service, the 1.6 sample limits) become the 2.x ones.
 */
const V2_CODES: Record<string, string> = {
  FormationViolation: 'FormatViolation',
  OccurenceConstraintViolation: 'OccurrenceConstraintViolation',
};

const CALLERROR = 4;

function rewrite(codes: Record<string, string>, frame: unknown[] | null | undefined): void {
  if (!frame || frame[0] !== CALLERROR || typeof frame[2] !== 'string') return;
  const code = codes[frame[2]];
  if (code) frame[2] = code;
}

/**
 * Makes a connection answer with its protocol's error codes (1.6 or 2.x). ocpp-rpc emits the outgoing CALLERROR
 * frame (as an array) synchronously just before serializing it, in its 'response' event for
 * answers to calls and its 'badMessage' event for unreadable frames, so the code is rewritten
 * there, without parsing anything again. The listeners are shared by every connection (an
 * emitter calls them with itself as `this`): nothing is allocated per connection.
 */
export function useProtocolErrorCodes(client: RPCClient): void {
  client.on('response', rewriteResponse);
  client.on('badMessage', rewriteBadMessage);
}

function codesOf(client: RPCClient): Record<string, string> {
  return client.protocol === 'ocpp1.6' ? V16_CODES : V2_CODES;
}

function rewriteResponse(this: RPCClient, event: { outbound: boolean; payload: unknown[] }): void {
  if (event.outbound) rewrite(codesOf(this), event.payload);
}

function rewriteBadMessage(this: RPCClient, event: { response: unknown[] | null }): void {
  rewrite(codesOf(this), event.response);
}
