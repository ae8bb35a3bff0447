import WebSocket from 'ws';

/** A frame the server sent: an OCPP-J array, or text that is not one. */
export type Frame = unknown[] | { unreadable: string };

/** How a wait for an answer ended. */
export type Outcome = { kind: 'frame'; frame: Frame } | { kind: 'closed'; code: number } | { kind: 'silent' };

/**
 * A charge point's WebSocket that sends raw text, so that it can send what no OCPP library
 * would, and collects every frame the server sends back, by message id.
 */
export class RawChargePoint {
  private readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closeCode: number | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      try {
        const parsed: unknown = JSON.parse(text);
        this.frames.push(Array.isArray(parsed) ? parsed : { unreadable: text });
      } catch {
        this.frames.push({ unreadable: text });
      }
      this.wake();
    });
    socket.on('close', (code: number) => {
      this.closeCode = code;
      this.wake();
    });
    // A refused or reset socket ends in 'close' as well; the error itself says nothing more.
    socket.on('error', () => undefined);
  }

  /** Opens the socket (with HTTP Basic auth when a password is given), or answers the refusal status. */
  static async open(url: string, identity: string, password?: string): Promise<RawChargePoint | number> {
    const headers: Record<string, string> = password
      ? { authorization: `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}` }
      : {};
    const socket = new WebSocket(`${url}/${encodeURIComponent(identity)}`, ['ocpp1.6'], { headers });
    return new Promise((resolve) => {
      socket.once('open', () => resolve(new RawChargePoint(socket)));
      socket.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.once('error', () => resolve(-1));
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(text: string): void {
    if (this.open) this.socket.send(text);
  }

  /** Sends a CALL and waits for the frames answering it (`count` of them, for repeated ids). */
  async call(messageId: string, action: string, payload: unknown, timeoutMs = 5_000): Promise<Outcome> {
    this.send(JSON.stringify([2, messageId, action, payload]));
    return this.answer(messageId, timeoutMs);
  }

  /** The next frame answering `messageId` (taken from the collected ones), the close, or silence. */
  async answer(messageId: string, timeoutMs = 5_000): Promise<Outcome> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((frame) => Array.isArray(frame) && frame[1] === messageId);
      if (index >= 0) return { kind: 'frame', frame: this.frames.splice(index, 1)[0] ?? [] };
      if (this.closeCode !== undefined) return { kind: 'closed', code: this.closeCode };
      const left = end - Date.now();
      if (left <= 0) return { kind: 'silent' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every frame received and not yet taken by `answer`. */
  drain(): Frame[] {
    return this.frames.splice(0);
  }

  close(): void {
    this.socket.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * Close codes of a deliberate close (RFC 6455 §7.4): a normal or protocol close, a message too
 * big, a policy violation, or an application's own 4xxx code. 1006 (the socket just dropped)
 * and 1011 (the server failed) are not clean.
 */
export function isCleanClose(code: number): boolean {
  return [1000, 1001, 1002, 1003, 1007, 1008, 1009].includes(code) || (code >= 4000 && code <= 4999);
}
