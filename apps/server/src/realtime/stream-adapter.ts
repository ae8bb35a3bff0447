import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';

/** The adapter's message type of a broadcast (socket.io-adapter's `MessageType.BROADCAST`). */
const BROADCAST = 3;
/** The sender id socket.io-adapter treats as "not a node" (its emitter's): nothing is tracked for it. */
const FROM_STREAM = 'emitter';

interface StreamMessage {
  uid: string;
  type: number;
  data?: { requestId?: unknown };
}

interface StreamBroadcastOptions {
  rooms: Set<string>;
  except?: Set<string>;
  flags?: { local?: boolean };
}

interface RestoredSession {
  sid: string;
  missedPackets: unknown[][];
}

/** The longest the reading waits for a restored socket to connect (its token checked), ms. */
const MAX_HOLD_MS = 10_000;

/** What is reached of the streams adapter (socket.io-adapter's ClusterAdapter, partly protected). */
interface StreamAdapter {
  uid: string;
  /** Its namespace, with the sockets made but not connected yet (private to Socket.IO). */
  nsp: { _preConnectSockets: Map<string, unknown> };
  broadcast(packet: unknown, opts: StreamBroadcastOptions): Promise<void> | void;
  publishAndReturnOffset(message: { type: number; data: unknown }): Promise<string>;
  onMessage(message: StreamMessage, offset?: string): void;
  onRawMessage(raw: unknown, offset: string): void;
  restoreSession(pid: string, offset: string): Promise<RestoredSession>;
}

/**
 * The Redis streams adapter with every client's offsets in stream order, so that a recovered
 * session misses nothing (CONTRACT section 6: a dashboard that reconnects, to any node, gets
 * every event it missed, once, in order).
 *
 * Socket.IO's client keeps the offset of the last event it received and, reconnecting, gets the
 * events after it. The adapter as shipped hands a node's own broadcasts to its clients as soon
 * as they are written to the stream, while other nodes' broadcasts reach them when the node
 * reads the stream: a client could hold the offset of its node's newest event while an older
 * one of another node was still unread, and a drop then lost that one (one or two events per
 * station, measured by the cluster load test). Here:
 * - a node's broadcast is written to the stream and reaches the node's own clients when the
 *   node reads it back, in the same order as everything else (if Redis refuses the write, its
 *   own clients still get it, as before);
 * - a session is restored while the reading is held: the missed events are those up to the
 *   last one the node has handed out; the later ones reach the restored socket through the
 *   reading, which resumes once the socket is connected. Socket.IO makes the socket with its
 *   rooms at once but hands it broadcasts only once connected, after the middlewares (the
 *   token check, a database read): an event read meanwhile was lost to it (the gap measured
 *   by the cluster load test), or, read before the restore's end, came twice.
 */
export function createStreamAdapter(redis: Redis): ReturnType<typeof createAdapter> {
  const make = createAdapter(redis);
  // Socket.IO calls it with `new`: a function (not an arrow) returning the adapter it made.
  return function streamAdapter(nsp) {
    const made = make(nsp);
    inStreamOrder(made as unknown as StreamAdapter);
    return made;
  };
}

function inStreamOrder(adapter: StreamAdapter): void {
  const broadcast = adapter.broadcast.bind(adapter);
  const onMessage = adapter.onMessage.bind(adapter);
  const onRawMessage = adapter.onRawMessage.bind(adapter);
  const restoreSession = adapter.restoreSession.bind(adapter);
  /** The offset of the last stream entry this node handed out. */
  let lastRead: string | undefined;
  /** Restores under way: while any is, the entries read wait in `held`. */
  let restoring = 0;
  const held: [unknown, string][] = [];

  adapter.broadcast = async (packet, opts) => {
    if (opts.flags?.local) return broadcast(packet, opts);
    const encoded = { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags };
    try {
      await adapter.publishAndReturnOffset({ type: BROADCAST, data: { packet, opts: encoded } });
    } catch {
      // Not in the stream, so no other node has it: this node's clients get it all the same.
      return broadcast(packet, { ...opts, flags: { ...opts.flags, local: true } });
    }
  };
  adapter.onMessage = (message, offset) => {
    const ownBroadcast =
      offset !== undefined &&
      message.uid === adapter.uid &&
      message.type === BROADCAST &&
      message.data?.requestId === undefined;
    onMessage(ownBroadcast ? { ...message, uid: FROM_STREAM } : message, offset);
  };
  adapter.onRawMessage = (raw, offset) => {
    if (restoring > 0) {
      held.push([raw, offset]);
      return;
    }
    lastRead = offset;
    onRawMessage(raw, offset);
  };
  const release = () => {
    restoring--;
    if (restoring > 0) return;
    for (const [raw, at] of held.splice(0)) adapter.onRawMessage(raw, at);
  };
  const connected = async (sid: string | undefined) => {
    const until = Date.now() + MAX_HOLD_MS;
    while (sid !== undefined && adapter.nsp._preConnectSockets.has(sid) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  adapter.restoreSession = async (pid, offset) => {
    restoring++;
    const handedOut = lastRead;
    let sid: string | undefined;
    try {
      const session = await restoreSession(pid, offset);
      sid = session.sid;
      // A node that has read nothing yet since it started cannot tell: all is restored (an
      // event written since may then come twice, on a cluster quiet until that moment).
      if (handedOut !== undefined) {
        session.missedPackets = session.missedPackets.filter(
          (packet) => compareOffsets(String(packet[packet.length - 1]), handedOut) <= 0,
        );
      }
      return session;
    } finally {
      // Socket.IO makes the socket as soon as this resolves (in microtasks); then it waits for
      // its middlewares, and the reading with it (connected, or dropped, or too slow).
      setImmediate(() => void connected(sid).then(release));
    }
  };
}

/** Orders two Redis stream ids (`<ms>-<sequence>`). */
export function compareOffsets(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}
