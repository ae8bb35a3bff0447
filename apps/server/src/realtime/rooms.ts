import {
  CHARGE_POINT_ID_MAX_LENGTH,
  FIXED_ROOMS,
  isChargePointId,
  STATION_ROOM_PREFIX,
  type FixedRoom,
  type Permission,
} from '@cimorings/contracts';
import { can, canSeeStation, type Actor } from '../domain/user.js';

/**
 * Every room name is built here. Clients join the public rooms of the customer's document;
 * the server places them in internal rooms that also encode what they may see, so that one
 * `io.to(rooms).emit()` per event reaches exactly the allowed sockets and Socket.IO's own
 * broadcast does the fan-out (no loop over sockets, one encoding per event).
 *
 * Internal room: `{public room}|{kind}|{scope}`, scope `*` for users who see every station or
 * `@{chargePointId}` for one station of a scoped user.
 */

/** What an event is about, and so which view permission it needs. */
export type EventKind = 'stations' | 'transactions' | 'reservations';

const KIND_PERMISSION: Record<EventKind, Permission> = {
  stations: 'stations.view',
  transactions: 'transactions.view',
  reservations: 'reservations.view',
};

/** The kinds of events each public room carries. */
const ROOM_KINDS: Record<FixedRoom | 'station', readonly EventKind[]> = {
  dashboard: ['stations', 'transactions', 'reservations'],
  transactions: ['transactions'],
  reservations: ['reservations'],
  station: ['stations', 'transactions', 'reservations'],
};

/** The permission a client needs to join each public room. */
const JOIN_PERMISSION: Record<FixedRoom | 'station', Permission> = {
  dashboard: 'stations.view',
  transactions: 'transactions.view',
  reservations: 'reservations.view',
  station: 'stations.view',
};

/** The longest room name: the station prefix and the longest charge point id. */
const MAX_ROOM_LENGTH = STATION_ROOM_PREFIX.length + CHARGE_POINT_ID_MAX_LENGTH;

export type ParsedRoom = { kind: FixedRoom } | { kind: 'station'; chargePointId: string };

/** Reads a public room name; `undefined` for a name that is not one of ours. */
export function parseRoom(room: string): ParsedRoom | undefined {
  if (room.length > MAX_ROOM_LENGTH) return undefined;
  if ((FIXED_ROOMS as readonly string[]).includes(room)) return { kind: room as FixedRoom };
  if (!room.startsWith(STATION_ROOM_PREFIX)) return undefined;
  const chargePointId = room.slice(STATION_ROOM_PREFIX.length);
  return isChargePointId(chargePointId) ? { kind: 'station', chargePointId } : undefined;
}

/** Whether the actor may join the room: the room's view permission, and for a station, access to it. */
export function mayJoin(actor: Actor, room: ParsedRoom): boolean {
  if (!can(actor, JOIN_PERMISSION[room.kind])) return false;
  return room.kind !== 'station' || canSeeStation(actor.stationScope, room.chargePointId);
}

/** The internal rooms a socket enters when it joins the public room `name`. */
export function internalRoomsFor(actor: Actor, name: string, room: ParsedRoom): string[] {
  const kinds = ROOM_KINDS[room.kind].filter((kind) => can(actor, KIND_PERMISSION[kind]));
  if (room.kind === 'station') return kinds.map((kind) => `${name}|${kind}|*`);
  // The scope as resolved when the socket authenticated; recomputed by the real-time server
  // whenever the user's access changes (roles, scope, a station placed at or moved out of a site).
  const scopes = actor.stationScope === null ? ['*'] : actor.stationScope.map((id) => `@${id}`);
  return kinds.flatMap((kind) => scopes.map((scope) => `${name}|${kind}|${scope}`));
}

/** The internal rooms an event of `kind` at station `chargePointId` goes to. */
export function targetRooms(kind: EventKind, chargePointId: string): string[] {
  const rooms = [`dashboard|${kind}|*`, `dashboard|${kind}|@${chargePointId}`];
  if (kind !== 'stations') rooms.push(`${kind}|${kind}|*`, `${kind}|${kind}|@${chargePointId}`);
  rooms.push(`${STATION_ROOM_PREFIX}${chargePointId}|${kind}|*`);
  return rooms;
}

/**
 * The internal rooms an event of `kind` about several stations goes to (a site's): each
 * station's rooms once; with none, the rooms of users who see every station.
 */
export function targetRoomsOfStations(kind: EventKind, chargePointIds: readonly string[]): string[] {
  if (chargePointIds.length === 0) return [`dashboard|${kind}|*`];
  return [...new Set(chargePointIds.flatMap((id) => targetRooms(kind, id)))];
}
