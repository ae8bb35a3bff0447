import { io, type Socket } from 'socket.io-client';
import type { RoomAck } from '@cimorings/contracts';

export type TestSocket = Socket;

/** Connects a socket.io client with a token; resolves once connected, rejects with connect_error. */
export function connectSocket(url: string, token?: string, extra: { headers?: Record<string, string> } = {}) {
  const socket = io(url, {
    ...(token !== undefined && { auth: { token } }),
    ...(extra.headers && { extraHeaders: extra.headers, transports: ['polling', 'websocket'] }),
    reconnection: false,
    forceNew: true,
  });
  return new Promise<TestSocket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

export function join(socket: TestSocket, room: unknown): Promise<RoomAck> {
  return socket.timeout(5000).emitWithAck('join_room', { room });
}

export function leave(socket: TestSocket, room: string): Promise<RoomAck> {
  return socket.timeout(5000).emitWithAck('leave_room', { room });
}

/** Records every customer event a socket receives, in order. */
export function recorder(socket: TestSocket) {
  const received: { event: string; payload: Record<string, unknown> }[] = [];
  socket.onAny((event: string, payload: Record<string, unknown>) => received.push({ event, payload }));
  return {
    received,
    of: (event: string) => received.filter((r) => r.event === event).map((r) => r.payload),
    /** Waits until `count` events named `event` have arrived. */
    async waitFor(event: string, count = 1, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      while (received.filter((r) => r.event === event).length < count) {
        if (Date.now() > end)
          throw new Error(`only ${received.filter((r) => r.event === event).length} ${event}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received.filter((r) => r.event === event).map((r) => r.payload);
    },
  };
}
