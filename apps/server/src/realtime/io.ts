import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { ClientToServerEvents, RoomAck, ServerToClientEvents } from '@cimorings/contracts';
import type { EventBus } from '../cluster/event-bus.js';
import type { User } from '../domain/user.js';
import { AppError, isDatabaseUnavailable } from '../errors.js';
import type { AuthService } from '../services/auth.service.js';
import { toRealtimeEvent } from './events.js';
import { DEFAULT_FLOW_CONTROL, FlowControl, type EngineConnection } from './flow-control.js';
import { TokenBucket } from './rate-limit.js';
import { answer, joinRoom, leaveRoom, reply } from './room-requests.js';
import { internalRoomsFor, mayJoin, parseRoom, targetRoomsOfStations } from './rooms.js';
import { restoredRooms, SessionKeeper } from './session-keeper.js';
import { createStreamAdapter, recoverAfterTokenCheck, type RecoveringAdapter } from './stream-adapter.js';

interface SocketData {
  user: User;
  /** The handshake's token, checked again whenever the user's access changes. */
  token: string;
  /** `accessChanges` when the handshake read the user's rights. */
  checkedAt: number;
  /** Public room → the internal rooms joined for it. */
  rooms: Map<string, string[]>;
  /** `rooms` as the session stored for recovery keeps it (the Redis adapter cannot store a Map). */
  savedRooms?: Record<string, string[]>;
}

/** Between nodes: a user's access changed (`null`: any user's), so each node checks its sockets. */
interface NodeEvents {
  access_changed: (userId: number | null) => void;
}

type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, NodeEvents, SocketData>;

export interface RealtimeSettings {
  /** Client events allowed per second, sustained (the token bucket's refill). */
  ratePerSecond: number;
  burst: number;
  /** Refused events within `refusalWindowMs` after which a socket is disconnected. */
  maxRefusals: number;
  refusalWindowMs: number;
  /**
   * Open connections one user may hold on this node; one more is disconnected at once. Room for
   * many dashboards and wall screens, not for one account opening sockets until memory runs out.
   */
  maxConnectionsPerUser: number;
  /** Unsent bytes past which a socket is behind and its pending meter values are conflated (FlowControl). */
  behindBytes: number;
}

export const DEFAULT_REALTIME_SETTINGS: RealtimeSettings = {
  ratePerSecond: 10,
  burst: 20,
  maxRefusals: 30,
  refusalWindowMs: 10_000,
  maxConnectionsPerUser: 1000,
  behindBytes: DEFAULT_FLOW_CONTROL.behindBytes,
};

/** Tries at reading a user's rights again after an access change, 1 s apart, within the contract's 5 s. */
const RECHECK_ATTEMPTS = 3;
const RECHECK_RETRY_MS = 1000;

/**
 * A client whose connection dropped for less than this and reconnects, to any node, gets the
 * events it missed, once and in order, and its rooms back (CONTRACT section 6). Its token is
 * checked again (the middlewares run) and its rooms recomputed with its current rights.
 */
const RECOVERY_MS = 2 * 60_000;

/** The longest a setTimeout can wait (about 24.8 days); a later expiry is checked again then. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The customer's real-time API on Socket.IO (CONTRACT section 5): JWT handshake, rooms with
 * permission and station-scope checks, per-socket rate limiting, and the seven events made from
 * domain events. With Redis, the streams adapter carries broadcasts between nodes.
 */
export class RealtimeServer {
  private readonly io: Server<ClientToServerEvents, ServerToClientEvents, NodeEvents, SocketData>;
  private readonly unsubscribe: () => void;
  /** Whether other nodes share the adapter (only then can it carry events between nodes). */
  private readonly clustered: boolean;
  /** Access changes seen so far: a handshake that read the rights before one is checked again. */
  private accessChanges = 0;
  /** The open connections of each user on this node. */
  private readonly connectionsOf = new Map<number, Set<string>>();
  /** Coalesced writes and conflated meter values, per socket. */
  private readonly flow: FlowControl;
  /** The Redis connection the adapter publishes on and stores recovery sessions with. */
  private readonly adapterClient: Redis | null;
  /** With several nodes: the sessions stored ahead, for a node that dies (SessionKeeper). */
  private readonly sessions: SessionKeeper | undefined;

  constructor(
    httpServer: HttpServer,
    private readonly auth: AuthService,
    events: EventBus,
    private readonly log: FastifyBaseLogger,
    private readonly settings: RealtimeSettings,
    redis: Redis | null,
  ) {
    this.flow = new FlowControl({ behindBytes: settings.behindBytes });
    this.adapterClient = redis && watchErrors(redis.duplicate(), log);
    this.io = new Server(httpServer, {
      serveClient: false,
      // Tokens travel in the handshake, never in cookies, so any origin may connect.
      cors: { origin: true },
      // Other upgrade paths (OCPP) belong to other listeners: leave them alone.
      destroyUpgrade: false,
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: false },
      ...(this.adapterClient && { adapter: createStreamAdapter(this.adapterClient) }),
    });
    // One node: Socket.IO's own adapter, which also must not send the missed events before the token check.
    if (!this.adapterClient) recoverAfterTokenCheck(this.io.of('/').adapter as unknown as RecoveringAdapter);
    this.io.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) =>
          next(
            new Error(
              (
                error instanceof AppError
                  ? error.code === 'DATABASE_UNAVAILABLE'
                  : isDatabaseUnavailable(error)
              )
                ? 'Service Unavailable'
                : 'Unauthorized',
            ),
          ),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    this.clustered = redis !== null;
    const sockets = this.io.of('/').sockets;
    this.sessions = this.clustered
      ? new SessionKeeper(this.io.of('/').adapter, () => sockets.values())
      : undefined;
    this.sessions?.start();
    this.io.on('access_changed', (userId) => void this.recheckAccess(userId));
    this.unsubscribe = events.subscribe((event) => {
      if (event.type === 'AccessChanged') {
        // Other nodes hold sockets of the same user: each checks its own (CONTRACT section 6).
        if (this.clustered) this.io.serverSideEmit('access_changed', event.userId);
        void this.recheckAccess(event.userId);
        return;
      }
      const outgoing = toRealtimeEvent(event);
      if (!outgoing) return;
      this.io
        .to(targetRoomsOfStations(outgoing.kind, outgoing.chargePointIds))
        .emit(outgoing.name, outgoing.payload as never);
    });
  }

  /** Meter values a behind socket skipped for a newer one of the same transaction, since start. */
  get conflatedMeterValues(): number {
    return this.flow.conflated;
  }

  /**
   * Closes this node's clients, never another node's (`io.disconnectSockets` would reach every
   * node through the adapter): their transports are closed, which Socket.IO counts as a
   * recoverable drop, so each client reconnects (through the load balancer, to another node)
   * and gets what it missed from the session stored in Redis (CONTRACT section 6). Resolves
   * once those sessions are written. The HTTP server itself is closed by its owner.
   */
  async close(): Promise<void> {
    this.unsubscribe();
    this.sessions?.stop();
    this.io.engine.close();
    await this.io.of('/').adapter.close();
    await this.adapterClient?.quit().catch(() => undefined);
  }

  private async authenticate(socket: RealtimeSocket): Promise<void> {
    const fromAuth = (socket.handshake.auth as { token?: unknown }).token;
    const header = socket.handshake.headers.authorization;
    const token = typeof fromAuth === 'string' ? fromAuth : /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw new Error('no token');
    socket.data.checkedAt = this.accessChanges;
    const { user, expiresAt } = await this.auth.authenticate(token);
    socket.data.user = user;
    socket.data.token = token;
    socket.data.rooms = socket.recovered ? restoredRooms(socket.data.savedRooms) : new Map();
    delete socket.data.savedRooms;
    this.disconnectAt(socket, expiresAt * 1000);
  }

  /**
   * Applies a change of access to the open sockets of this node at once: a socket whose token no
   * longer stands for an active user (disabled, deleted, password changed) is disconnected; the
   * others keep their connection and have their rooms recomputed with the user's current roles
   * and station scope, leaving the public rooms they may no longer join.
   */
  private async recheckAccess(userId: number | null): Promise<void> {
    this.accessChanges++;
    const sockets = [...this.io.of('/').sockets.values()].filter(
      (socket) => socket.data.user !== undefined && (userId === null || socket.data.user.id === userId),
    );
    await Promise.all(sockets.map((socket) => this.reauthorize(socket)));
  }

  private async reauthorize(socket: RealtimeSocket, attempt = 1): Promise<void> {
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
    this.sessions?.keep(socket);
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

  private onConnection(socket: RealtimeSocket): void {
    if (!this.admitConnection(socket)) return;
    this.flow.attach(socket.conn as unknown as EngineConnection);
    // Before the session is stored for recovery (Socket.IO stores it after 'disconnecting').
    socket.once('disconnecting', () => {
      socket.data.savedRooms = Object.fromEntries(socket.data.rooms);
    });
    if (socket.recovered) {
      // Only the internal rooms of its public ones: nothing restored that the rights check would miss.
      const kept = new Set([socket.id, ...[...socket.data.rooms.values()].flat()]);
      for (const room of socket.rooms) if (!kept.has(room)) void socket.leave(room);
    }
    // A change that came while the handshake read the rights was not applied to this socket yet;
    // a recovered one's rooms were chosen with the rights of its earlier connection.
    if (socket.data.checkedAt !== this.accessChanges || socket.recovered) void this.reauthorize(socket);
    const bucket = new TokenBucket(this.settings);
    socket.use((packet, next) => {
      const { allowed, abusive } = bucket.take();
      if (allowed) return next();
      const ack = packet.at(-1);
      if (typeof ack === 'function') (ack as (answer: RoomAck) => void)({ ok: false, error: 'RATE_LIMITED' });
      if (abusive) {
        this.log.warn({ userId: socket.data.user.id }, 'real-time client flooding: disconnected');
        socket.disconnect(true);
      }
    });
    const stored = (ack: RoomAck) => {
      this.sessions?.keep(socket);
      return ack;
    };
    socket.on('join_room', (...args: unknown[]) =>
      answer(args, (payload) => stored(joinRoom(socket, payload))),
    );
    socket.on('leave_room', (...args: unknown[]) =>
      answer(args, (payload) => stored(leaveRoom(socket, payload))),
    );
    this.sessions?.keep(socket);
    // A client waiting for an answer gets one, also to an event the server does not know.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (event !== 'join_room' && event !== 'leave_room')
        reply(args.at(-1), { ok: false, error: 'UNKNOWN_EVENT' });
    });
  }

  /**
   * Counts the socket against its user's connections; past the limit it is disconnected at once
   * (counted here, synchronously, so that concurrent handshakes cannot all slip past).
   */
  private admitConnection(socket: RealtimeSocket): boolean {
    const userId = socket.data.user.id;
    const open = this.connectionsOf.get(userId) ?? new Set<string>();
    if (open.size >= this.settings.maxConnectionsPerUser) {
      this.log.warn(
        { userId, open: open.size },
        'real-time connection limit of a user reached: disconnected',
      );
      socket.disconnect(true);
      return false;
    }
    open.add(socket.id);
    this.connectionsOf.set(userId, open);
    socket.once('disconnect', () => {
      open.delete(socket.id);
      if (open.size === 0 && this.connectionsOf.get(userId) === open) this.connectionsOf.delete(userId);
    });
    return true;
  }
}

/**
 * A duplicated ioredis client starts with no 'error' listener of its own, so its connection
 * errors would go to the console instead of the log.
 */
function watchErrors(client: Redis, log: FastifyBaseLogger): Redis {
  client.on('error', (error: unknown) => log.warn({ err: error }, 'redis error (real-time adapter)'));
  return client;
}
