import { io, type Socket } from 'socket.io-client';
import {
  REALTIME_EVENTS,
  type ClientToServerEvents,
  type RoomAck,
  type ServerToClientEvents,
} from './realtime.js';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SocketServiceOptions {
  /** The server, e.g. `http://localhost:3000`. */
  url: string;
  /** The REST JWT, or a function that answers the current one at each (re)connection. */
  token: string | (() => string);
  /** Listeners for the seven events; each gets the event's payload. */
  handlers?: Partial<ServerToClientEvents>;
  /** `err.message` is `Unauthorized` for a missing, bad or expired token. */
  onConnectError?: (error: Error) => void;
  onDisconnect?: (reason: string) => void;
  /** Milliseconds to wait for a join/leave acknowledgement (default 5000). */
  ackTimeoutMs?: number;
}

/**
 * A typed client of the real-time API, shaped like the `SocketService` of the customer's
 * document: connect with the token, the seven listeners, joinRoom, leaveRoom, disconnect. It
 * also joins its rooms again after a reconnection, since the server forgets them.
 */
export class SocketService {
  socket: RealtimeSocket | null = null;
  private readonly rooms = new Set<string>();

  constructor(private readonly options: SocketServiceOptions) {}

  connect(): RealtimeSocket {
    const { url, token } = this.options;
    const socket: RealtimeSocket = io(url, {
      // A function, so that a reconnection sends the token current at that moment.
      auth: (send) => send({ token: typeof token === 'function' ? token() : token }),
      // WebSocket first: it needs no sticky sessions behind a load balancer (CONTRACT section 6);
      // long-polling only where WebSockets do not get through.
      transports: ['websocket', 'polling'],
    });
    this.socket = socket;
    this.setupListeners(socket);
    return socket;
  }

  joinRoom(room: string): Promise<RoomAck> {
    this.rooms.add(room);
    return this.send('join_room', room);
  }

  leaveRoom(room: string): Promise<RoomAck> {
    this.rooms.delete(room);
    return this.send('leave_room', room);
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.rooms.clear();
  }

  private setupListeners(socket: RealtimeSocket): void {
    const { handlers = {}, onConnectError, onDisconnect } = this.options;
    for (const name of REALTIME_EVENTS) {
      const handler = handlers[name];
      if (handler) socket.on(name, handler as never);
    }
    socket.on('connect', () => {
      for (const room of this.rooms) void this.send('join_room', room);
    });
    if (onConnectError) socket.on('connect_error', onConnectError);
    if (onDisconnect) socket.on('disconnect', (reason) => onDisconnect(reason));
  }

  private async send(event: 'join_room' | 'leave_room', room: string): Promise<RoomAck> {
    const socket = this.socket;
    if (!socket?.connected) return { ok: true };
    try {
      return await socket.timeout(this.options.ackTimeoutMs ?? 5000).emitWithAck(event, { room });
    } catch {
      return { ok: false, error: 'RATE_LIMITED' };
    }
  }
}
