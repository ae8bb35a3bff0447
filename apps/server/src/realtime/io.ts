import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { ClientToServerEvents, RoomAck, ServerToClientEvents } from '@cimorings/contracts';
import type { EventBus } from '../cluster/event-bus.js';
import { AppError, isDatabaseUnavailable } from '../errors.js';
import type { AuthService } from '../services/auth.service.js';
import { adapterClient } from './adapter-client.js';
import { toRealtimeEvent } from './events.js';
import { DEFAULT_FLOW_CONTROL, FlowControl, type EngineConnection } from './flow-control.js';
import { TokenBucket } from './rate-limit.js';
import { answer, joinRoom, leaveRoom, reply } from './room-requests.js';
import { targetRoomsOfStations } from './rooms.js';
import { SessionKeeper } from './session-keeper.js';
import { SocketAccess, type NodeEvents, type RealtimeSocket, type SocketData } from './socket-access.js';
import { MAX_RESTORE_MS, recoverAfterTokenCheck, type RecoveringAdapter } from './session-restore.js';
import { createStreamAdapter } from './stream-adapter.js';

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
  /**
   * The longest a restored session waits for its socket's token check, ms (and, with several
   * nodes, the longest the stream is held for restores): past it, the client gets a fresh session.
   */
  restoreTimeoutMs: number;
}

export const DEFAULT_REALTIME_SETTINGS: RealtimeSettings = {
  ratePerSecond: 10,
  burst: 20,
  maxRefusals: 30,
  refusalWindowMs: 10_000,
  maxConnectionsPerUser: 1000,
  behindBytes: DEFAULT_FLOW_CONTROL.behindBytes,
  restoreTimeoutMs: MAX_RESTORE_MS,
};

/**
 * A client whose connection dropped for less than this and reconnects, to any node, gets the
 * events it missed, once and in order, and its rooms back (CONTRACT section 6). Its token is
 * checked again (the middlewares run) and its rooms recomputed with its current rights.
 */
const RECOVERY_MS = 2 * 60_000;

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
  /** The handshake, token expiry and changes of access. */
  private readonly access: SocketAccess;
  /** The open connections of each user on this node. */
  private readonly connectionsOf = new Map<number, Set<string>>();
  /** Coalesced writes and conflated meter values, per socket. */
  private readonly flow: FlowControl;
  /** The Redis connection the adapter publishes on and stores recovery sessions with. */
  private readonly adapterClient: Redis | null;
  /** With several nodes: the sessions stored ahead, for a node that dies (SessionKeeper). */
  private readonly sessions: SessionKeeper | undefined;

  /** Serves nothing until `attach` gives it the HTTP server whose upgrades it takes. */
  constructor(
    auth: AuthService,
    events: EventBus,
    private readonly log: FastifyBaseLogger,
    private readonly settings: RealtimeSettings,
    redis: Redis | null,
  ) {
    this.flow = new FlowControl({ behindBytes: settings.behindBytes });
    this.access = new SocketAccess(auth, log, (socket) => this.sessions?.keep(socket));
    this.adapterClient = redis && adapterClient(redis, log);
    this.io = new Server({
      serveClient: false,
      // Tokens travel in the handshake, never in cookies, so any origin may connect.
      cors: { origin: true },
      // Other upgrade paths (OCPP) belong to other listeners: leave them alone.
      destroyUpgrade: false,
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: false },
      ...(this.adapterClient && {
        adapter: createStreamAdapter(this.adapterClient, settings.restoreTimeoutMs),
      }),
    });
    // One node: Socket.IO's own adapter, which also must not send the missed events before the token check.
    if (!this.adapterClient)
      recoverAfterTokenCheck(
        this.io.of('/').adapter as unknown as RecoveringAdapter,
        settings.restoreTimeoutMs,
      );
    this.io.use((socket, next) => {
      this.access.authenticate(socket).then(
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

  /** Takes the Socket.IO requests and upgrades (`/socket.io/`) of the HTTP server. */
  attach(httpServer: HttpServer): void {
    this.io.attach(httpServer);
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

  /** Applies a change of a user's access (`null`: any user's) to this node's sockets. */
  private recheckAccess(userId: number | null): Promise<void> {
    return this.access.recheck(this.io.of('/').sockets.values(), userId);
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
    if (this.access.stale(socket)) void this.access.reauthorize(socket);
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
