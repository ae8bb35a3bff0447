import type { FastifyBaseLogger } from 'fastify';
import type { Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@cimorings/contracts';
import type { User } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { AuthService } from '../services/auth.service.js';
import { internalRoomsFor, mayJoin, parseRoom } from './rooms.js';
import { restoredRooms } from './session-keeper.js';

export interface SocketData {
  user: User;
  /** The handshake's token, checked again whenever the user's access changes. */
  token: string;
  /** `SocketAccess.changes` when the handshake read the user's rights. */
  checkedAt: number;
  /** Public room → the internal rooms joined for it. */
  rooms: Map<string, string[]>;
  /** `rooms` as the session stored for recovery keeps it (the Redis adapter cannot store a Map). */
  savedRooms?: Record<string, string[]>;
}

/** Between nodes: a user's access changed (`null`: any user's), so each node checks its sockets. */
export interface NodeEvents {
  access_changed: (userId: number | null) => void;
}

export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, NodeEvents, SocketData>;

/** Tries at reading a user's rights again after an access change, 1 s apart, within the contract's 5 s. */
const RECHECK_ATTEMPTS = 3;
const RECHECK_RETRY_MS = 1000;

/** The longest a setTimeout can wait (about 24.8 days); a later expiry is checked again then. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Who may hold a real-time socket, and which rooms it is in (CONTRACT sections 5 and 6): the
 * handshake's JWT, a disconnection when the token expires, and each change of a user's access
 * applied at once to the sockets of this node.
 */
export class SocketAccess {
  /** Access changes seen so far: a handshake that read the rights before one is checked again. */
  private changes = 0;

  constructor(
    private readonly auth: AuthService,
    private readonly log: FastifyBaseLogger,
    /** Stores the socket's rooms for recovery (with several nodes). */
    private readonly keep: (socket: RealtimeSocket) => void,
  ) {}

  /** Reads the handshake's token and the user's rights into the socket. */
  async authenticate(socket: RealtimeSocket): Promise<void> {
    const fromAuth = (socket.handshake.auth as { token?: unknown }).token;
    const header = socket.handshake.headers.authorization;
    const token = typeof fromAuth === 'string' ? fromAuth : /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw new Error('no token');
    socket.data.checkedAt = this.changes;
    const { user, expiresAt } = await this.auth.authenticate(token);
    socket.data.user = user;
    socket.data.token = token;
    socket.data.rooms = socket.recovered ? restoredRooms(socket.data.savedRooms) : new Map();
    delete socket.data.savedRooms;
    this.disconnectAt(socket, expiresAt * 1000);
  }

  /**
   * Whether a connected socket's rights must be read again: a change came while its handshake
   * read them, or it is recovered, its rooms chosen with the rights of its earlier connection.
   */
  stale(socket: RealtimeSocket): boolean {
    return socket.data.checkedAt !== this.changes || socket.recovered;
  }

  /**
   * Applies a change of access to the open sockets of this node at once: a socket whose token no
   * longer stands for an active user (disabled, deleted, password changed) is disconnected; the
   * others keep their connection and have their rooms recomputed with the user's current roles
   * and station scope, leaving the public rooms they may no longer join.
   */
  async recheck(sockets: Iterable<RealtimeSocket>, userId: number | null): Promise<void> {
    this.changes++;
    const affected = [...sockets].filter(
      (socket) => socket.data.user !== undefined && (userId === null || socket.data.user.id === userId),
    );
    await Promise.all(affected.map((socket) => this.reauthorize(socket)));
  }

  async reauthorize(socket: RealtimeSocket, attempt = 1): Promise<void> {
    let user: User;
    try {
      ({ user } = await this.auth.authenticate(socket.data.token));
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAUTHORIZED') {
        socket.disconnect(true);
        return;
      }
      this.log.warn({ err: error, userId: socket.data.user.id, attempt }, 'real-time access recheck failed');
      // A database blip: try again shortly, then fail closed (the client reconnects and is checked then).
      if (attempt < RECHECK_ATTEMPTS) {
        setTimeout(() => void this.reauthorize(socket, attempt + 1), RECHECK_RETRY_MS).unref();
      } else {
        socket.disconnect(true);
      }
      return;
    }
    if (!socket.connected) return;
    socket.data.user = user;
    for (const [name, before] of socket.data.rooms) {
      const room = parseRoom(name);
      const after = room && mayJoin(user, room) ? internalRoomsFor(user, name, room) : [];
      // Join the new rooms before leaving the old ones, so that no event allowed both before and after is missed.
      void socket.join(after);
      for (const old of before) if (!after.includes(old)) void socket.leave(old);
      if (after.length > 0) socket.data.rooms.set(name, after);
      else socket.data.rooms.delete(name);
    }
    this.keep(socket);
  }

  /** Disconnects the socket when its token expires (CONTRACT section 5). */
  private disconnectAt(socket: RealtimeSocket, expiresAtMs: number): void {
    const wait = expiresAtMs - Date.now();
    const timer = setTimeout(
      () => (wait > MAX_TIMER_MS ? this.disconnectAt(socket, expiresAtMs) : socket.disconnect(true)),
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    socket.once('disconnect', () => clearTimeout(timer));
  }
}
