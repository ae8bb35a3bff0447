import type { RoomAck } from '@cimorings/contracts';
import type { User } from '../domain/user.js';
import { internalRoomsFor, mayJoin, parseRoom } from './rooms.js';

/** What joining and leaving rooms needs of a socket. */
export interface RoomMember {
  data: {
    user: User;
    /** Public room → the internal rooms joined for it. */
    rooms: Map<string, string[]>;
  };
  join(rooms: string[]): unknown;
  leave(room: string): unknown;
}

/** `join_room`: checks the name and the user's right to it, then enters its internal rooms. */
export function joinRoom(socket: RoomMember, payload: unknown): RoomAck {
  const name = roomOf(payload);
  if (name === undefined) return { ok: false, error: 'INVALID_PAYLOAD' };
  const room = parseRoom(name);
  if (!room) return { ok: false, error: 'UNKNOWN_ROOM' };
  const { user, rooms } = socket.data;
  if (!mayJoin(user, room)) return { ok: false, error: 'FORBIDDEN' };
  const internal = internalRoomsFor(user, name, room);
  rooms.set(name, internal);
  void socket.join(internal);
  return { ok: true };
}

/** `leave_room`: leaves the internal rooms entered for the public one (none: still ok). */
export function leaveRoom(socket: RoomMember, payload: unknown): RoomAck {
  const name = roomOf(payload);
  if (name === undefined) return { ok: false, error: 'INVALID_PAYLOAD' };
  for (const room of socket.data.rooms.get(name) ?? []) void socket.leave(room);
  socket.data.rooms.delete(name);
  return { ok: true };
}

/** The `room` of a `{ room }` payload; incoming payloads are checked, not trusted. */
function roomOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { room } = payload as { room?: unknown };
  return typeof room === 'string' && room.length > 0 && room.length <= 100 ? room : undefined;
}

/**
 * Socket.IO passes the acknowledgement as the last argument, whatever came before: a client that
 * sends no payload (or more than one: the first counts) and waits for an answer still gets one.
 */
export function answer(args: unknown[], decide: (payload: unknown) => RoomAck): void {
  const ack = args.at(-1);
  const payloads = typeof ack === 'function' ? args.slice(0, -1) : args;
  reply(ack, decide(payloads[0]));
}

export function reply(ack: unknown, answer: RoomAck): void {
  if (typeof ack === 'function') (ack as (answer: RoomAck) => void)(answer);
}
