import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import type { CommandRouter } from './command-router.js';
import type { NodeChannel, NodeMessageOf } from './node-channel.js';
import type { StationPresence } from './station-presence.js';

/** Extra wait beyond the call's own timeout for the answer to travel back between nodes. */
const TRANSIT_MS = 2000;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Commands across nodes: a station connected here is called directly; otherwise the request
 * goes to the node that holds it, which calls the station and sends back the answer or the
 * error (with its code, so the HTTP answer is the same whichever node took the request).
 */
export class RedisCommandRouter implements CommandRouter {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly presence: StationPresence,
    private readonly channel: NodeChannel,
  ) {
    channel.on('command', (message) => void this.serve(message));
    channel.on('answer', (message) => this.settle(message));
  }

  async call(chargePointId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const local = this.presence.get(chargePointId);
    if (local) return local.call(action, payload, timeoutMs);
    const nodeId = await this.presence.nodeOf(chargePointId);
    if (!nodeId || nodeId === this.channel.nodeId) throw offline(chargePointId);
    const requestId = randomUUID();
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(
          new AppError('STATION_TIMEOUT', `${chargePointId} did not answer ${action} in ${timeoutMs} ms`),
        );
      }, timeoutMs + TRANSIT_MS);
      this.pending.set(requestId, { resolve, reject, timer });
    });
    // If sending below fails, this promise is never returned, yet still settles (timeout): it
    // must not become an unhandled rejection. The caller gets the send's own error instead.
    void answer.catch(() => undefined);
    const delivered = await this.channel.send(nodeId, {
      kind: 'command',
      requestId,
      replyTo: this.channel.nodeId,
      chargePointId,
      action,
      payload,
      timeoutMs,
    });
    if (!delivered) {
      this.settle({
        kind: 'answer',
        requestId,
        error: { code: 'STATION_OFFLINE', message: offline(chargePointId).message },
      });
      await this.presence.forgetNode(nodeId, chargePointId);
    }
    return answer;
  }

  close(): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new AppError('STATION_OFFLINE', 'The server is shutting down'));
      this.pending.delete(id);
    }
  }

  private async serve(message: NodeMessageOf<'command'>): Promise<void> {
    const { requestId, replyTo, chargePointId, action, payload, timeoutMs } = message;
    let answer: Pick<NodeMessageOf<'answer'>, 'result' | 'error'>;
    try {
      const connection = this.presence.get(chargePointId);
      if (!connection) throw offline(chargePointId);
      answer = { result: await connection.call(action, payload, timeoutMs) };
    } catch (error) {
      const appError =
        error instanceof AppError
          ? error
          : new AppError('INTERNAL_ERROR', 'The command failed on the station’s node');
      answer = { error: { code: appError.code, message: appError.message, details: appError.details } };
    }
    await this.channel.send(replyTo, { kind: 'answer', requestId, ...answer }).catch(() => undefined);
  }

  private settle(message: NodeMessageOf<'answer'>): void {
    const pending = this.pending.get(message.requestId);
    if (!pending) return;
    this.pending.delete(message.requestId);
    clearTimeout(pending.timer);
    const { error } = message;
    if (error) pending.reject(new AppError(error.code, error.message, error.details));
    else pending.resolve(message.result);
  }
}

function offline(chargePointId: string): AppError {
  return new AppError('STATION_OFFLINE', `Station ${chargePointId} is not connected`);
}
