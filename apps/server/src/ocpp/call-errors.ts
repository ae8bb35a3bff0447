/**
 * How failures cross a charge point's connection, both ways: a handler's failure becomes the
 * CallError the station receives (toCallError), and a command the station did not answer, or
 * answered with a CallError, becomes the AppError its caller receives (commandFailure).
 */
import { AppError } from '../errors.js';
import { toJson } from './frame-log.js';
import { createRPCError, TimeoutError } from './rpc.js';

/** The errors strict mode rejected a command's call with because the station's CALLRESULT broke its schema. */
const INVALID_ANSWERS = new WeakSet<object>();

/**
 * An ocpp-rpc client's `strictValidationFailure` listener, shared by every connection: notes the
 * error a command's call fails with when the station's CALLRESULT broke its schema.
 */
export function noteInvalidAnswer(failure: { outbound: boolean; isCall: boolean; error: object }): void {
  if (!failure.outbound && !failure.isCall) INVALID_ANSWERS.add(failure.error);
}

/**
 * The AppError for a command `action` to `chargePointId` whose call failed with `error`: the
 * station did not answer within `timeoutMs`, answered with a CallError (or with a result its
 * schema does not allow), or disconnected first.
 */
export function commandFailure(
  chargePointId: string,
  action: string,
  timeoutMs: number,
  error: unknown,
): AppError {
  if (error instanceof TimeoutError) {
    return new AppError('STATION_TIMEOUT', `${chargePointId} did not answer ${action} in ${timeoutMs} ms`);
  }
  const ocppErrorCode = (error as { rpcErrorCode?: string }).rpcErrorCode;
  if (ocppErrorCode) {
    const invalid = INVALID_ANSWERS.has(error as object);
    return new AppError(
      'OCPP_CALL_ERROR',
      invalid
        ? `${chargePointId} answered ${action} with a result its schema does not allow (${ocppErrorCode})`
        : `${chargePointId} answered ${action} with ${ocppErrorCode}`,
      {
        ocppErrorCode,
        ocppErrorDescription: (error as Error).message.slice(0, MAX_ERROR_DETAILS_CHARS),
        ocppErrorDetails: bounded((error as { details?: unknown }).details ?? {}),
      },
    );
  }
  return new AppError('STATION_OFFLINE', `${chargePointId} disconnected before answering ${action}`);
}

/** Characters of a station's CallError description and details a command's error carries on. */
const MAX_ERROR_DETAILS_CHARS = 4096;

/**
 * A CallError's details as the station sent them when they serialize within
 * MAX_ERROR_DETAILS_CHARS, else a note saying so. They go on to the HTTP answer and the command
 * audit, where details nested 30,000 deep made the answer a 500.
 */
function bounded(details: unknown): unknown {
  const text = toJson(details);
  return text !== undefined && text.length <= MAX_ERROR_DETAILS_CHARS
    ? details
    : { omitted: 'details too long or too deeply nested to keep' };
}

/** Translates a handler's failure into the CallError the charge point receives. */
export function toCallError(error: unknown): Error {
  if (error instanceof AppError) {
    const code = error.details?.ocppErrorCode;
    if (typeof code === 'string') return rpcError(code, error.message);
    if (error.code === 'PERMISSION_REQUIRED') return rpcError('SecurityError', error.message);
  }
  // Internals stay inside: the charge point learns only that the central system failed.
  return rpcError('InternalError', 'The central system could not process the request');
}

function rpcError(code: string, message: string): Error {
  return createRPCError(code, message) as unknown as Error;
}
