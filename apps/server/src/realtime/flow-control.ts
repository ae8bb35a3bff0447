import type { Socket as NetSocket } from 'node:net';

/** An engine.io packet waiting in a socket's write buffer. */
interface PendingPacket {
  type: string;
  data?: unknown;
  options?: unknown;
}

/**
 * What flow control uses of an engine.io socket (`socket.conn`). Its write buffer and the
 * transport's WebSocket are not in engine.io's types; they are read defensively (a polling
 * transport has no WebSocket, and then nothing is corked).
 */
export interface EngineConnection {
  readyState: string;
  transport: { writable: boolean; socket?: { bufferedAmount?: number; _socket?: NetSocket } };
  writeBuffer: PendingPacket[];
  write(data: unknown, options?: unknown, callback?: unknown): unknown;
  flush(): void;
  on(event: 'flush' | 'close', listener: () => void): unknown;
}

export interface FlowControlSettings {
  /**
   * A socket is behind when its transport is still writing the previous batch, or when more
   * than this many bytes wait in its WebSocket unsent: then its pending meter values are conflated.
   */
  behindBytes: number;
}

export const DEFAULT_FLOW_CONTROL: FlowControlSettings = { behindBytes: 64 * 1024 };

/** The start of a meter_values_updated packet, as Socket.IO encodes the payload (fields in the seed's order). */
const METER_PACKET =
  /^2\["meter_values_updated",\{"chargePointId":("(?:[^"\\]|\\.)*"),"transactionId":(-?\d+),/;

/** The packet meterValuesKey read last, and its key: a broadcast hands the same string to every socket in turn. */
let lastPacket: unknown;
let lastKey: string | undefined;

/** The transaction a meter_values_updated packet is about (its conflation key), or undefined for any other packet. */
export function meterValuesKey(data: unknown): string | undefined {
  if (data === lastPacket) return lastKey;
  let key: string | undefined;
  if (typeof data === 'string' && data.startsWith('2["meter_values_updated"')) {
    const match = METER_PACKET.exec(data);
    key = match ? `${match[2]}@${match[1]}` : undefined;
  }
  lastPacket = data;
  lastKey = key;
  return key;
}

/**
 * Per-client flow control of the real-time events (issue 17), on each socket's engine.io
 * connection, below Socket.IO's broadcast (which still encodes each event once for everyone):
 *
 * - Writes of one event-loop turn are coalesced: a socket's packets gather in its write buffer
 *   and go out at the end of the turn, the WebSocket corked meanwhile, so one system call
 *   carries all of them instead of one per event.
 * - Conflation: while a socket is behind (its previous batch not yet taken by the network, or
 *   more than `behindBytes` unsent), a meter_values_updated still waiting in its buffer is
 *   replaced, in its place, by the newer one of the same transaction, so that a slow dashboard
 *   shows the newest value as soon as it catches up instead of working through a backlog.
 *   Every other event is delivered, in order; the payloads are Socket.IO's own encoding,
 *   untouched. Skipped values are counted (`conflated`).
 */
export class FlowControl {
  /** Meter values replaced by a newer one before they were written. */
  conflated = 0;
  private readonly due = new Set<() => void>();
  private scheduled = false;

  constructor(private readonly settings: FlowControlSettings = DEFAULT_FLOW_CONTROL) {}

  attach(conn: EngineConnection): void {
    const write = conn.write.bind(conn);
    const flushNow = conn.flush.bind(conn);
    /** The meter values in the write buffer, by transaction. */
    const waiting = new Map<string, PendingPacket>();
    // Engine.io empties its write buffer when it flushes: what waited is then on its way.
    conn.on('flush', () => waiting.clear());
    conn.write = (data: unknown, options?: unknown, callback?: unknown) => {
      const key = callback === undefined ? meterValuesKey(data) : undefined;
      if (key !== undefined) {
        const queued = waiting.get(key);
        if (queued !== undefined && this.behind(conn)) {
          queued.data = data;
          queued.options = options;
          this.conflated++;
          return conn;
        }
      }
      write(data, options, callback);
      if (key !== undefined) {
        const last = conn.writeBuffer.at(-1);
        if (last !== undefined && last.data === data) waiting.set(key, last);
      }
      return conn;
    };
    const corkedFlush = () => {
      const socket = conn.transport.socket?._socket;
      socket?.cork();
      try {
        flushNow();
      } finally {
        socket?.uncork();
      }
    };
    conn.flush = () => {
      if (conn.readyState === 'closed') return;
      this.due.add(corkedFlush);
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flushDue());
    };
    conn.on('close', () => {
      this.due.delete(corkedFlush);
      waiting.clear();
    });
  }

  private behind(conn: EngineConnection): boolean {
    return (
      !conn.transport.writable || (conn.transport.socket?.bufferedAmount ?? 0) > this.settings.behindBytes
    );
  }

  private flushDue(): void {
    this.scheduled = false;
    const due = [...this.due];
    this.due.clear();
    for (const flush of due) flush();
  }
}
