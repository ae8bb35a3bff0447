import { createRPCError, TimeoutError, type RPCClient } from './rpc.js';
import type { StationConnection } from '../cluster/station-presence.js';
import { redactOcppPayload } from '../domain/ocpp-secrets.js';
import { AppError } from '../errors.js';
import type { ChargePointSession } from '../services/charge-point.service.js';
import type { OcppLogService } from '../services/ocpp-log.service.js';
import { useOcpp16ErrorCodes } from './error-codes.js';
import type { RecentAnswers } from './recent-answers.js';

const CALL = 2;

/**
 * One charge point's WebSocket, seen from the central system: its calls are handled one at a
 * time in arrival order (so its events keep their order), a repeated message id is answered
 * from memory instead of being applied twice, every frame goes to the message log, and the
 * time of its last frame is kept for liveness.
 */
export class ChargePointConnection implements StationConnection {
  readonly chargePointId: string;
  /** Epoch ms of the last frame received. */
  lastSeen = Date.now();
  private queue: Promise<unknown> = Promise.resolve();
  /** Action of each call in flight, by message id, to name the action of its answer in the log. */
  private readonly actions = new Map<string, string>();

  constructor(
    readonly client: RPCClient,
    readonly session: ChargePointSession,
    private readonly recent: RecentAnswers,
    log: OcppLogService,
  ) {
    this.chargePointId = session.chargePointId;
    useOcpp16ErrorCodes(client);
    client.on('message', ({ outbound }: { outbound: boolean }) => {
      if (!outbound) this.lastSeen = Date.now();
    });
    if (log.enabled) this.logFrames(log);
  }

  /** Registers the handler of one CS→CSMS action. */
  handle<P>(action: string, handler: (params: P) => Promise<object> | object): void {
    // Strict mode has validated `params` against the action's official schema before this runs.
    this.client.handle(action, ({ params, messageId }) =>
      this.serially(() => this.answerOnce(action, messageId ?? '', () => handler(params as P))),
    );
  }

  async call(action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    try {
      return await this.client.call(action, payload, { callTimeoutMs: timeoutMs });
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw new AppError(
          'STATION_TIMEOUT',
          `${this.chargePointId} did not answer ${action} in ${timeoutMs} ms`,
        );
      }
      const ocppErrorCode = (error as { rpcErrorCode?: string }).rpcErrorCode;
      if (ocppErrorCode) {
        throw new AppError(
          'OCPP_CALL_ERROR',
          `${this.chargePointId} answered ${action} with ${ocppErrorCode}`,
          {
            ocppErrorCode,
            ocppErrorDescription: (error as Error).message,
            ocppErrorDetails: (error as { details?: unknown }).details ?? {},
          },
        );
      }
      throw new AppError('STATION_OFFLINE', `${this.chargePointId} disconnected before answering ${action}`);
    }
  }

  /** @param force drop the socket at once, without a closing handshake (for a dead peer). */
  async close(code: number, reason: string, force = false): Promise<void> {
    await this.client.close({ code, reason, force });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async answerOnce(
    action: string,
    messageId: string,
    work: () => Promise<object> | object,
  ): Promise<Record<string, unknown>> {
    const known = this.recent.get(this.chargePointId, messageId, action);
    if (known !== undefined) return known as Record<string, unknown>;
    try {
      const answer = (await work()) as Record<string, unknown>;
      this.recent.set(this.chargePointId, messageId, action, answer);
      return answer;
    } catch (error) {
      throw toCallError(error);
    }
  }

  private logFrames(log: OcppLogService): void {
    const base = { chargePointId: this.chargePointId };
    this.client.on('call', ({ outbound, payload }: { outbound: boolean; payload: unknown[] }) => {
      const [, messageId, action, params] = payload as [number, string, string, unknown];
      this.actions.set(messageId, action);
      log.record({
        ...base,
        direction: outbound ? 'out' : 'in',
        messageType: CALL,
        messageId,
        action,
        payload: JSON.stringify(redactOcppPayload(action, params ?? null)),
      });
    });
    this.client.on('response', ({ outbound, payload }: { outbound: boolean; payload: unknown[] }) => {
      const [messageType, messageId, ...rest] = payload as [number, string, ...unknown[]];
      const action = this.actions.get(messageId) ?? null;
      this.actions.delete(messageId);
      log.record({
        ...base,
        direction: outbound ? 'out' : 'in',
        messageType,
        messageId,
        action,
        payload: JSON.stringify(redactOcppPayload(action, messageType === CALL + 1 ? rest[0] : rest)),
      });
    });
    this.client.on('badMessage', ({ buffer, response }: { buffer: Buffer; response: unknown[] | null }) => {
      log.record({
        ...base,
        direction: 'in',
        messageType: 0,
        messageId: '',
        action: null,
        payload: buffer.toString(),
      });
      if (response) {
        const [messageType, messageId, ...rest] = response as [number, string, ...unknown[]];
        log.record({
          ...base,
          direction: 'out',
          messageType,
          messageId,
          action: null,
          payload: JSON.stringify(rest),
        });
      }
    });
  }
}

/** Translates a handler's failure into the CallError the charge point receives. */
function toCallError(error: unknown): Error {
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
