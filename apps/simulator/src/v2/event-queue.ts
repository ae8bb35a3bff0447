import type { v201 } from '@cimorings/ocpp';
import type { V2Response } from './connection.js';
import type { LogFn } from '../options.js';
import type { CsmsLink, V2Emit } from './events.js';

type Request = v201.Request<'TransactionEvent'>;
type Response = V2Response<'TransactionEvent'>;

/**
 * The TransactionEvents of a station, delivered in the order they happened (Part 2 E04 "Transaction
 * started while Charging Station is offline" and E12). An event that happens while the station is
 * not connected and accepted is queued with `offline: true`; the queue is sent, oldest first,
 * after the next accepted boot, and new events wait behind it so the CSMS sees them in `seqNo`
 * order. An event the CSMS refuses with a CallError is dropped (sending it again would be refused
 * again); one that got no answer (timeout, dropped socket) stays at the head and is sent again.
 */
export class TransactionEventQueue {
  private readonly queue: Request[] = [];
  private flushing = false;

  constructor(
    private readonly link: CsmsLink,
    private readonly emit: V2Emit,
    private readonly log: LogFn,
  ) {}

  /** How many events wait to be sent (GetTransactionStatus `messagesInQueue`). */
  get size(): number {
    return this.queue.length;
  }

  /** Whether an event of transaction `transactionId` waits to be sent. */
  holds(transactionId: string): boolean {
    return this.queue.some((r) => r.transactionInfo.transactionId === transactionId);
  }

  /**
   * Sends `request` now when the station is online and nothing waits before it, and resolves with
   * the answer; otherwise queues it and resolves `undefined` at once.
   */
  async send(request: Request): Promise<Response | undefined> {
    if (!this.link.accepted) {
      this.queue.push({ ...request, offline: true });
      return undefined;
    }
    if (this.queue.length > 0 || this.flushing) {
      this.queue.push(request);
      void this.flush();
      return undefined;
    }
    try {
      return await this.deliver(request);
    } catch (error) {
      if (isCallError(error)) return undefined;
      this.queue.push(request);
      return undefined;
    }
  }

  /** Sends the queued events in order while the station stays online. */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.link.accepted) {
        const next = this.queue[0];
        if (!next) break;
        try {
          await this.deliver(next);
        } catch (error) {
          if (!isCallError(error)) break;
        }
        this.queue.shift();
      }
    } finally {
      this.flushing = false;
    }
  }

  private async deliver(request: Request): Promise<Response> {
    try {
      const response = await this.link.call('TransactionEvent', request);
      this.emit('transactionEvent', { request, response });
      return response;
    } catch (error) {
      this.log(
        'warn',
        `TransactionEvent ${request.eventType} seqNo ${request.seqNo} failed: ${(error as Error).message}`,
      );
      throw error;
    }
  }
}

/** Whether the CSMS answered with a CallError (ocpp-rpc's RPC errors carry the OCPP error code). */
function isCallError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'rpcErrorCode' in error;
}
