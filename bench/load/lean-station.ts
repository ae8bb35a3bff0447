import WebSocket from 'ws';
import type { BenchProtocol } from './messages.js';

/** What a call's answer was: the CALLRESULT payload text, or a CallError / transport failure. */
export type CallOutcome =
  { ok: true; payload: string; rttMs: number } | { ok: false; error: string; rttMs: number };

type Done = (outcome: CallOutcome) => void;

/**
 * One charge point reduced to what a load test needs: a raw `ws` socket speaking OCPP-J 1.6 or
 * 2.0.1 frames built as text (`messages.ts`), one call in flight at a time (OCPP-J "synchronicity"), and the round
 * trip of each call timed on this process's monotonic clock. No schema validation and no
 * JSON parsing of answers on the hot path: answers are matched by message id from the text.
 * The simulator's `SimulatedChargePoint` is the faithful charge point; this is its load mode,
 * lean enough that one load-generator core can outrun a server core.
 */
export class LeanStation {
  private socket: WebSocket | undefined;
  private sequence = 0;
  private pendingId = '';
  private pendingDone: Done | undefined;
  private sentAt = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Transaction id per connector (index 0 = connector 1): 1.6 the central system's, 2.0.1 the station's. */
  readonly transactionIds: (number | string)[] = [];
  /** The next TransactionEvent `seqNo` per connector (2.0.1). */
  readonly seqNos: number[] = [];
  /** The next connector to report MeterValues for. */
  nextConnector = 1;
  /** Heartbeat interval the central system asked for, in seconds. */
  heartbeatInterval = 0;

  constructor(
    readonly id: string,
    readonly connectors: number,
    private readonly callTimeoutMs: number,
    readonly protocol: BenchProtocol = '1.6',
  ) {}

  get busy(): boolean {
    return this.pendingDone !== undefined;
  }

  get open(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens the WebSocket; rejects on an HTTP refusal or a network error. */
  connect(baseUrl: string, localAddress?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${baseUrl}/${this.id}`, `ocpp${this.protocol}`, {
        perMessageDeflate: false,
        handshakeTimeout: this.callTimeoutMs,
        ...(localAddress !== undefined && { localAddress }),
      });
      const fail = (error: Error) => {
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        reject(error);
      };
      socket.once('unexpected-response', (_request, response) =>
        fail(new Error(`HTTP ${response.statusCode}`)),
      );
      socket.once('error', fail);
      socket.once('open', () => {
        socket.removeAllListeners();
        this.socket = socket;
        socket.on('message', (data: Buffer) => this.onMessage(data));
        socket.on('error', () => undefined);
        socket.on('close', () => this.settle({ ok: false, error: 'closed', rttMs: this.elapsed() }));
        resolve();
      });
    });
  }

  /** Sends one CALL; `payloadJson` is the request payload already as JSON text. */
  call(action: string, payloadJson: string, done: Done): void {
    if (this.pendingDone) throw new Error(`${this.id}: a call is already in flight`);
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      done({ ok: false, error: 'not connected', rttMs: 0 });
      return;
    }
    this.pendingId = `${this.id}-${++this.sequence}`;
    this.pendingDone = done;
    this.sentAt = performance.now();
    this.timer = setTimeout(
      () => this.settle({ ok: false, error: 'timeout', rttMs: this.elapsed() }),
      this.callTimeoutMs,
    );
    socket.send(`[2,"${this.pendingId}","${action}",${payloadJson}]`);
  }

  /** The same as {@link call}, as a promise (for the rare calls off the hot path). */
  callAsync(action: string, payloadJson: string): Promise<CallOutcome> {
    return new Promise((resolve) => this.call(action, payloadJson, resolve));
  }

  close(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  private elapsed(): number {
    return performance.now() - this.sentAt;
  }

  private onMessage(data: Buffer): void {
    const text = data.toString();
    // [3,"id",{...}]  or  [4,"id","Code","description",{}]  or a CALL [2,"id","Action",{...}]
    const type = text.charCodeAt(1);
    const idEnd = text.indexOf('"', 4);
    const messageId = text.slice(4, idEnd);
    if (type === 50 /* 2: a CALL from the central system */) {
      this.socket?.send(`[4,"${messageId}","NotImplemented","bench load station",{}]`);
      return;
    }
    if (messageId !== this.pendingId) return;
    const rttMs = this.elapsed();
    if (type === 51 /* 3 */) this.settle({ ok: true, payload: text.slice(idEnd + 2, -1), rttMs });
    else this.settle({ ok: false, error: text.slice(idEnd + 3, text.indexOf('"', idEnd + 3)), rttMs });
  }

  private settle(outcome: CallOutcome): void {
    const done = this.pendingDone;
    if (!done) return;
    clearTimeout(this.timer);
    this.pendingDone = undefined;
    this.pendingId = '';
    done(outcome);
  }
}
