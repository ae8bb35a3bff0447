/** How often the sessions of this node's sockets are stored again, ms (each copy lasts 2 min). */
export const SESSION_REFRESH_MS = 30_000;

/** What a stored session holds: Socket.IO's own shape (`SessionToPersist` of socket.io-adapter). */
interface StoredSession {
  sid: string;
  pid: string;
  rooms: string[];
  data: unknown;
}

/** What is kept of a socket. */
export interface KeptSocket {
  id: string;
  rooms: Set<string>;
  data: { rooms: Map<string, string[]> };
}

/**
 * Socket.IO stores a socket's session for recovery when the socket disconnects, on its node. A
 * node killed without warning stores none, and its dashboards, reconnecting to another node,
 * would lose what was sent meanwhile (CONTRACT section 6 promises it to them too). With several
 * nodes the sessions are therefore stored ahead, through the same adapter call: when a socket
 * connects or changes rooms, and every SESSION_REFRESH_MS, so that a survivor finds a copy at
 * most that old (with the rooms as they were) and replays what was sent since the client's
 * last offset. A restored session is read once (the adapter deletes it); the user's token is
 * checked again at the reconnection, as after any drop.
 */
export class SessionKeeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapter: { persistSession(session: StoredSession): void },
    private readonly sockets: () => Iterable<KeptSocket>,
    private readonly refreshMs = SESSION_REFRESH_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      for (const socket of this.sockets()) this.keep(socket);
    }, this.refreshMs);
    this.timer.unref();
  }

  /** Stores the socket's session as it is now. */
  keep(socket: KeptSocket): void {
    const { rooms, ...data } = socket.data;
    this.adapter.persistSession({
      sid: socket.id,
      // Socket.IO keeps the private session id to itself; it is what the client presents.
      pid: (socket as unknown as { pid: string }).pid,
      rooms: [...socket.rooms],
      // The stored copy cannot hold a Map: the rooms travel as `savedRooms`, as on a disconnect.
      data: { ...data, savedRooms: Object.fromEntries(rooms) },
    });
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The rooms of a recovered session, checked for their shape (they came back through Redis). */
export function restoredRooms(rooms: unknown): Map<string, string[]> {
  if (typeof rooms !== 'object' || rooms === null) return new Map();
  return new Map(
    Object.entries(rooms).filter(
      (entry): entry is [string, string[]] =>
        Array.isArray(entry[1]) && entry[1].every((room) => typeof room === 'string'),
    ),
  );
}
