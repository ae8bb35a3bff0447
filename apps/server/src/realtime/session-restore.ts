import { randomBytes } from 'node:crypto';

/** Socket.IO's packet type of an event (socket.io-parser's `PacketType.EVENT`). */
const EVENT = 2;
/** The longest a restored session waits for its socket to connect (its token checked), ms. */
export const MAX_RESTORE_MS = 10_000;
/** The most broadcasts kept for restored sockets that are not connected yet. */
export const MAX_KEPT = 10_000;

/** A socket made but not connected yet, as far as a restore reaches it (Socket.IO's Socket). */
export interface RestoredSocket {
  id: string;
  pid: string;
  recovered: boolean;
  readonly rooms: Set<string>;
  leave(room: string): unknown;
  packet(packet: { type: number; data: unknown[] }): void;
}

export interface RestoredSession {
  sid: string;
  rooms?: string[];
  missedPackets: unknown[][];
}

export interface BroadcastPacket {
  type: number;
  id?: number;
  data?: unknown;
}

export interface BroadcastOptions {
  rooms: Set<string>;
  except?: Set<string>;
  flags?: { local?: boolean; volatile?: boolean };
}

/** What is reached of any adapter to restore sessions (socket.io-adapter's, partly private). */
export interface RecoveringAdapter {
  /** Its namespace: its sockets, and those made but not connected yet (private to Socket.IO). */
  nsp: {
    sockets: Map<string, unknown>;
    _preConnectSockets: Map<string, RestoredSocket>;
    _remove(socket: { id: string }): void;
    on(event: 'connection', listener: (socket: RestoredSocket) => void): unknown;
  };
  restoreSession(pid: string, offset: string): Promise<RestoredSession | null> | null;
  /** Its rooms and the sockets in each (socket.io-adapter's). */
  rooms: Map<string, Set<string>>;
  /** The sessions of disconnected sockets it keeps for a restore (private to the one-node adapter). */
  sessions?: Map<string, unknown>;
  /** Hands a broadcast to this node's sockets (and, for a cluster adapter, to the others). */
  broadcast(packet: BroadcastPacket, opts: BroadcastOptions): Promise<void> | void;
}

/** What an adapter does around each restore (the streams adapter holds its reading meanwhile). */
export interface RestoreHooks {
  /** At the start: returns which of the missed events to send (the others come otherwise). */
  begin(): (missed: unknown[][]) => unknown[][];
  /** Once the restored socket is connected (or refused, or gone, or given a fresh session). */
  end(): void;
}

/** A restore under way: from the adapter's restoreSession until its socket connects. */
interface Restore {
  /** Its socket's id, once the session is read. */
  sid?: string;
  /** The rooms of the session, once read: the broadcasts kept meanwhile are those reaching them. */
  rooms?: string[];
  /** What it missed before it was read (as the adapter gave it). */
  missed: unknown[][];
  /** Where the broadcasts this node handed its own sockets since it began start in the log. */
  from: number;
  timer?: NodeJS.Timeout;
  end: () => void;
}

/**
 * Socket.IO sends a restored socket what it missed as soon as it makes the socket, before the
 * middlewares check the token again: a user disabled (or whose password changed) while away
 * would get the events of its absence before being refused. Here they are sent when the socket
 * connects, in the namespace's 'connection' (before anything else can reach the socket), so only
 * past the check; a socket refused gets none. Socket.IO hands broadcasts only to connected
 * sockets: what this node hands its sockets meanwhile is kept for the restored one and sent after
 * what it missed (events read from a cluster stream are held by `hooks` instead). A restore
 * that cannot give everything (its token check takes over `restoreMs`, more than MAX_KEPT
 * events came meanwhile, or `hooks` gives up holding) is never lost silently: the socket gets a
 * fresh session, which the client sees (`socket.recovered` is false) and starts over.
 *
 * @param ordered makes the hooks of a cluster adapter, once broadcasts are watched here; it is
 * given what gives up every restore under way.
 */
export function recoverAfterTokenCheck(
  adapter: RecoveringAdapter,
  restoreMs = MAX_RESTORE_MS,
  ordered?: (abandon: () => void) => RestoreHooks,
): void {
  const { nsp } = adapter;
  /** Restores under way, the oldest first. */
  const restores = new Set<Restore>();
  /** Restores whose session was read, by socket id. */
  const bySid = new Map<string, Restore>();
  /** The broadcasts handed to this node's sockets since the oldest restore under way began. */
  const log: { data: unknown[]; opts: BroadcastOptions }[] = [];
  /** How many broadcasts were dropped from the log's start. */
  let dropped = 0;

  const finish = (restore: Restore): void => {
    if (!restores.delete(restore)) return;
    if (restore.sid !== undefined) bySid.delete(restore.sid);
    clearTimeout(restore.timer);
    const oldest = first(restores);
    const keep = oldest === undefined ? dropped + log.length : oldest.from;
    log.splice(0, keep - dropped);
    dropped = keep;
    restore.end();
  };
  /** Gives the socket a fresh session: nothing restored, which the client sees. */
  const abandon = (restore: Restore): void => {
    const socket = restore.sid === undefined ? undefined : nsp._preConnectSockets.get(restore.sid);
    if (socket) freshSession(socket);
    finish(restore);
  };

  /**
   * Whether no socket of this node and no kept session could ever be given a broadcast: no socket
   * in its rooms (none connected at all, for a broadcast to everyone), no session of a
   * disconnected socket kept, no restore under way. Only on one node (without `ordered`): a
   * cluster adapter's broadcasts also reach the sockets of other nodes.
   */
  const unreachable = (opts: BroadcastOptions): boolean => {
    if (ordered !== undefined || restores.size > 0 || (adapter.sessions?.size ?? 1) > 0) return false;
    if (opts.rooms.size === 0) return nsp.sockets.size === 0;
    for (const room of opts.rooms) if ((adapter.rooms.get(room)?.size ?? 0) > 0) return false;
    return true;
  };
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, opts) => {
    // As the adapter stores them for recovery: events without an acknowledgement, not volatile.
    const stored =
      packet.type === EVENT && packet.id === undefined && !opts.flags?.volatile && Array.isArray(packet.data);
    // Socket.IO keeps every stored event for the recovery window (about 850 bytes each, for two
    // minutes), whether or not any socket could ask for it: at 1,000 meter values a second with no
    // dashboard open, a few hundred MB that every major GC marks. One that reaches nobody and that
    // no session can be restored to is handed on as volatile, which the adapter does not keep.
    if (stored && unreachable(opts)) {
      return broadcast(packet, { ...opts, flags: { ...opts.flags, volatile: true } });
    }
    const delivered = broadcast(packet, opts);
    if (stored) {
      if (restores.size > 0) log.push({ data: packet.data as unknown[], opts });
      // The oldest restores give up first (each takes what only it still needed from the log).
      for (let oldest = first(restores); log.length > MAX_KEPT && oldest; oldest = first(restores)) {
        abandon(oldest);
      }
    }
    return delivered;
  };
  const hooks = ordered?.(() => [...restores].forEach(abandon));

  const restoreSession = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const toSend = hooks?.begin() ?? ((missed: unknown[][]) => missed);
    const restore: Restore = { missed: [], from: dropped + log.length, end: () => hooks?.end() };
    restores.add(restore);
    try {
      const session = await restoreSession(pid, offset);
      // Given up meanwhile, or a session restored already (one node keeps it after a restore):
      // a fresh session, rather than two sockets with one id.
      const taken =
        session !== null &&
        (bySid.has(session.sid) || nsp._preConnectSockets.has(session.sid) || nsp.sockets.has(session.sid));
      if (!session || !restores.has(restore) || taken) return null;
      restore.sid = session.sid;
      restore.rooms = session.rooms ?? [];
      restore.missed = toSend(session.missedPackets);
      session.missedPackets = [];
      bySid.set(session.sid, restore);
      restore.timer = setTimeout(() => abandon(restore), restoreMs);
      restore.timer.unref();
      return session;
    } finally {
      if (restore.sid === undefined) finish(restore);
    }
  };

  nsp.on('connection', (socket) => {
    const restore = bySid.get(socket.id);
    if (!restore) return;
    const kept = log
      .slice(restore.from - dropped)
      .filter(({ opts }) => reaches(restore.rooms ?? [], opts))
      .map(({ data }) => data);
    for (const data of [...restore.missed, ...kept]) socket.packet({ type: EVENT, data });
    finish(restore);
  });
  // A socket refused by the middlewares, or closed before it connected, is removed unconnected.
  const remove = nsp._remove.bind(nsp);
  nsp._remove = (socket) => {
    remove(socket);
    const restore = bySid.get(socket.id);
    if (restore && !nsp.sockets.has(socket.id)) finish(restore);
  };
}

function first<T>(items: Set<T>): T | undefined {
  return items.values().next().value;
}

/** A socket made for a restored session, given a fresh one before it connects. */
function freshSession(socket: RestoredSocket): void {
  // Socket.IO's client sees a session recovered only when the server names the session it had.
  socket.pid = randomBytes(15).toString('base64url');
  socket.recovered = false;
  for (const room of [...socket.rooms]) void socket.leave(room);
}

/** Whether a broadcast reaches a socket in these rooms (socket.io-adapter's `shouldIncludePacket`). */
function reaches(rooms: string[], opts: BroadcastOptions): boolean {
  const included = opts.rooms.size === 0 || rooms.some((room) => opts.rooms.has(room));
  return included && rooms.every((room) => !opts.except?.has(room));
}
