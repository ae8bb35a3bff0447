import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { recoverAfterTokenCheck, type RecoveringAdapter, type RestoreHooks } from './session-restore.js';

/** The adapter's message type of a broadcast (socket.io-adapter's `MessageType.BROADCAST`). */
const BROADCAST = 3;
/** The sender id socket.io-adapter treats as "not a node" (its emitter's): nothing is tracked for it. */
const FROM_STREAM = 'emitter';

interface StreamMessage {
  uid: string;
  type: number;
  data?: { requestId?: unknown };
}

/** What is reached of the streams adapter (socket.io-adapter's ClusterAdapter, partly protected). */
interface StreamAdapter extends RecoveringAdapter {
  uid: string;
  publishAndReturnOffset(message: { type: number; data: unknown }): Promise<string>;
  onMessage(message: StreamMessage, offset?: string): void;
  onRawMessage(raw: unknown, offset: string): void;
}

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
export function createStreamAdapter(
  redis: Redis,
  /** The longest a restore waits for its socket, and the reading is held for restores, ms. */
  restoreMs: number,
): ReturnType<typeof createAdapter> {
  const make = createAdapter(redis);
  // Socket.IO calls it with `new`: a function (not an arrow) returning the adapter it made.
  return function streamAdapter(nsp) {
    const made = make(nsp);
    const adapter = made as unknown as StreamAdapter;
    recoverAfterTokenCheck(adapter, restoreMs, (abandon) => inStreamOrder(adapter, abandon, restoreMs));
    return made;
  };
}

/**
 * Makes the adapter hand out the stream in order; returns what it does around a restore.
 * @param abandon gives up the restores under way (their sockets get fresh sessions): called
 * before an entry is handed out while they would miss it
 */
function inStreamOrder(adapter: StreamAdapter, abandon: () => void, holdMs: number): RestoreHooks {
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
    // Held at most MAX_HELD entries and `holdMs`: restores that overlap without end (a client
    // asking again and again, a reconnect storm) must not stop every other client's events.
    if (restoring > 0 && held.length < MAX_HELD && Date.now() - holdingSince < holdMs) {
      held.push([raw, offset]);
      return;
    }
    // Given up holding: the restores under way would miss this entry, so they restore nothing.
    if (restoring > 0) abandon();
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
