import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';

/** The adapter's message type of a broadcast (socket.io-adapter's `MessageType.BROADCAST`). */
const BROADCAST = 3;
/** Socket.IO's packet type of an event (socket.io-parser's `PacketType.EVENT`). */
const EVENT = 2;
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

/** What is reached of any adapter to restore sessions (socket.io-adapter's, partly private). */
export interface RecoveringAdapter {
  /** Its namespace: its sockets, and those made but not connected yet (private to Socket.IO). */
  nsp: {
    sockets: Map<string, { packet(packet: { type: number; data: unknown[] }): void }>;
    _preConnectSockets: Map<string, unknown>;
  };
  restoreSession(pid: string, offset: string): Promise<RestoredSession | null> | null;
}

/** What is reached of the streams adapter (socket.io-adapter's ClusterAdapter, partly protected). */
interface StreamAdapter extends RecoveringAdapter {
  uid: string;
  broadcast(packet: unknown, opts: StreamBroadcastOptions): Promise<void> | void;
  publishAndReturnOffset(message: { type: number; data: unknown }): Promise<string>;
  onMessage(message: StreamMessage, offset?: string): void;
  onRawMessage(raw: unknown, offset: string): void;
}

/** What an adapter does around each restore (the streams adapter holds its reading meanwhile). */
interface RestoreHooks {
  /** At the start: returns which of the missed events to send (the others come otherwise). */
  begin(): (missed: unknown[][]) => unknown[][];
  /** Once the restored socket is connected (or refused, or gone) and has what it missed. */
  end(): void;
}

/** The longest a restore waits for its socket to connect (its token checked), ms. */
const MAX_HOLD_MS = 10_000;
/** The most stream entries held back while restores are under way. */
const MAX_HELD = 10_000;

/**
 * The Redis streams adapter with every client's offsets in stream order, so that a recovered
 * session misses nothing (CONTRACT section 6: a dashboard that reconnects, to any node, gets
 * every event it missed, once, in order).
 *
 * Socket.IO's client keeps the offset of the last event it received and, reconnecting, gets the
 * events after it. The adapter as shipped hands a node's own broadcasts to its clients as soon
 * as they are written to the stream, while other nodes' broadcasts reach them when the node
 * reads the stream: a client could hold the offset of its node's newest event while an older
 * one of another node was still unread, and a drop then lost that one. Here:
 * - a node's broadcast is written to the stream and reaches the node's own clients when the
 *   node reads it back, in the same order as everything else (if Redis refuses the write, its
 *   own clients still get it, as before);
 * - a session is restored while the reading is held: the missed events are those up to the
 *   last one the node has handed out; the later ones reach the restored socket through the
 *   reading, which resumes once the socket is connected. Socket.IO makes the socket with its
 *   rooms at once but hands it broadcasts only once connected, after the middlewares (the
 *   token check, a database read): an event read meanwhile was lost to it (the one or two
 *   events per station the cluster load test measured), or, read before the restore's end,
 *   came twice;
 * - what it missed is sent after its token was checked again (`recoverAfterTokenCheck`).
 */
export function createStreamAdapter(redis: Redis): ReturnType<typeof createAdapter> {
  const make = createAdapter(redis);
  // Socket.IO calls it with `new`: a function (not an arrow) returning the adapter it made.
  return function streamAdapter(nsp) {
    const made = make(nsp);
    const adapter = made as unknown as StreamAdapter;
    recoverAfterTokenCheck(adapter, inStreamOrder(adapter));
    return made;
  };
}

/**
 * Socket.IO sends a restored socket what it missed as soon as it makes the socket, before the
 * middlewares check the token again: a user disabled (or whose password changed) while away
 * would get the events of its absence before being refused. Here they are sent once the socket
 * is connected, so only past the check; a socket refused gets none.
 */
export function recoverAfterTokenCheck(adapter: RecoveringAdapter, hooks?: RestoreHooks): void {
  const restoreSession = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const toSend = hooks?.begin() ?? ((missed: unknown[][]) => missed);
    let sid: string | undefined;
    let missed: unknown[][] = [];
    try {
      const session = await restoreSession(pid, offset);
      if (!session) return session;
      sid = session.sid;
      missed = toSend(session.missedPackets);
      session.missedPackets = [];
      return session;
    } finally {
      // Socket.IO makes the socket as soon as this resolves (in microtasks), then runs the
      // middlewares; this waits for the outcome (connected, or refused, or gone, or too slow).
      setImmediate(
        () =>
          void connected(adapter, sid)
            .then(() => {
              const socket = sid === undefined ? undefined : adapter.nsp.sockets.get(sid);
              for (const data of socket ? missed : []) socket?.packet({ type: EVENT, data });
            })
            .catch(() => undefined)
            .finally(() => hooks?.end()),
      );
    }
  };
}

async function connected(adapter: RecoveringAdapter, sid: string | undefined): Promise<void> {
  const until = Date.now() + MAX_HOLD_MS;
  while (sid !== undefined && adapter.nsp._preConnectSockets.has(sid) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Makes the adapter hand out the stream in order; returns what it does around a restore. */
function inStreamOrder(adapter: StreamAdapter): RestoreHooks {
  const broadcast = adapter.broadcast.bind(adapter);
  const onMessage = adapter.onMessage.bind(adapter);
  const onRawMessage = adapter.onRawMessage.bind(adapter);
  /** The offset of the last stream entry this node handed out. */
  let lastRead: string | undefined;
  /** Restores under way: while any is, the entries read wait in `held`. */
  let restoring = 0;
  /** When `restoring` last went from 0 to 1. */
  let holdingSince = 0;
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
  /** Hands out what is held, in order; one entry that cannot be read does not stop the rest. */
  const release = () => {
    for (const [raw, at] of held.splice(0)) {
      lastRead = at;
      try {
        onRawMessage(raw, at);
      } catch {
        // A malformed entry (written by a foreign emitter): the stream's own reader skips it too.
      }
    }
  };
  adapter.onRawMessage = (raw, offset) => {
    // Held at most MAX_HELD entries and MAX_HOLD_MS: restores that overlap without end (a client
    // asking again and again, a reconnect storm) must not stop every other client's events.
    if (restoring > 0 && held.length < MAX_HELD && Date.now() - holdingSince < MAX_HOLD_MS) {
      held.push([raw, offset]);
      return;
    }
    release();
    lastRead = offset;
    onRawMessage(raw, offset);
  };
  return {
    begin() {
      if (restoring++ === 0) holdingSince = Date.now();
      const handedOut = lastRead;
      // A node that has read nothing yet since it started cannot tell: all is restored (an
      // event written since may then come twice, on a cluster quiet until that moment).
      return (missed) =>
        handedOut === undefined
          ? missed
          : missed.filter((packet) => compareOffsets(String(packet[packet.length - 1]), handedOut) <= 0);
    },
    end() {
      restoring--;
      if (restoring > 0) return;
      release();
    },
  };
}

/** Orders two Redis stream ids (`<ms>-<sequence>`). */
export function compareOffsets(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}
