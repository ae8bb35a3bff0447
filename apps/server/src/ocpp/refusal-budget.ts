import type { RPCClient } from './rpc.js';

/** CallErrors and unreadable frames a connection may earn in a minute before it is closed. */
export const MAX_REFUSALS_PER_MINUTE = 60;
const WINDOW_MS = 60_000;
const CALLERROR = 4;
/** Failures of the central system itself, which say nothing about the charge point. */
const OUR_FAULT = new Set(['InternalError', 'GenericError']);

/**
 * The event a connection's client emits for a frame refused without an answer (an OCPP 2.1 SEND
 * that is invalid or of an unknown action, a CALLRESULTERROR), counted as a refusal here.
 */
export const REFUSED_FRAME = 'refusedFrame';

/**
 * Calls `onAbuse` once when a charge point earns more than MAX_REFUSALS_PER_MINUTE refusals
 * within a minute: CallErrors answered to its calls (schema violations, SecurityError before
 * acceptance, too many samples...), frames that are not OCPP at all, and REFUSED_FRAMEs. ocpp-rpc's own
 * `maxBadMessages` counts only unreadable frames in a row, so a peer that mixes them with valid
 * ones, or sends a stream of well-formed but refused calls, would otherwise never be cut off.
 * A charge point that follows the protocol earns a refusal now and then, not one a second.
 */
export function watchRefusals(
  client: RPCClient,
  onAbuse: (client: RPCClient, refusals: number) => void,
): void {
  BUDGETS.set(client, { times: [], tripped: false, onAbuse });
  client.on('response', onResponse);
  client.on('badMessage', refused);
  client.on(REFUSED_FRAME, refused);
}

/** One connection's refusals of the last minute (epoch ms), and whether it was cut off. */
interface Budget {
  times: number[];
  tripped: boolean;
  readonly onAbuse: (client: RPCClient, refusals: number) => void;
}

/** Each watched connection's budget, by its client: the listeners are shared and find it through `this`. */
const BUDGETS = new WeakMap<RPCClient, Budget>();

function refused(this: RPCClient): void {
  const budget = BUDGETS.get(this);
  if (!budget || budget.tripped) return;
  const now = Date.now();
  budget.times = budget.times.filter((time) => time > now - WINDOW_MS);
  budget.times.push(now);
  if (budget.times.length > MAX_REFUSALS_PER_MINUTE) {
    budget.tripped = true;
    budget.onAbuse(this, budget.times.length);
  }
}

function onResponse(this: RPCClient, { outbound, payload }: { outbound: boolean; payload: unknown[] }): void {
  if (outbound && payload[0] === CALLERROR && !OUR_FAULT.has(String(payload[2]))) refused.call(this);
}
