import type { ReservationCancelledPayload, ReservationStatus } from '@cimorings/contracts';
import type { DomainEvent } from './events.js';

export { RESERVATION_STATUSES, RESERVE_NOW_STATUSES, type ReservationStatus } from '@cimorings/contracts';

/** Why a reservation stopped being active, as the real-time API spells it (CONTRACT section 5). */
export type ReservationEndReason = ReservationCancelledPayload['reason'];

export interface Reservation {
  /** The OCPP reservationId. */
  reservationId: number;
  chargePointId: string;
  /** 0: any connector of the station (OCPP 1.6 §5.13). */
  connectorId: number;
  idTag: string;
  /** The parent of idTag in the id tag table when the reservation was made. */
  parentIdTag: string | null;
  /** ISO 8601 UTC. */
  expiryDate: string;
  userName: string | null;
  phoneNumber: string | null;
  status: ReservationStatus;
  /** The transaction that used the reservation. */
  transactionId: number | null;
  /** The user who made it. */
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * True when `idTag` (whose parent in the id tag table is `parentIdTag`) may start a transaction
 * on the reservation: the reserved tag itself, or a tag of the same group, i.e. one whose parent
 * is the reservation's parent or the reserved tag (OCPP 1.6 §5.13: a reservation made with a
 * parentIdTag also serves the other tags of that parent).
 */
export function mayUseReservation(
  reservation: Pick<Reservation, 'idTag' | 'parentIdTag'>,
  idTag: string,
  parentIdTag: string | null,
): boolean {
  if (idTag === reservation.idTag) return true;
  if (parentIdTag === null) return false;
  return parentIdTag === reservation.idTag || parentIdTag === reservation.parentIdTag;
}

/**
 * Of the reservations that bind a StartTransaction (active, at its station, on its connector,
 * on connector 0, or named by its reservationId), the one the tag may use: the one it names
 * first, else a connector's own before the station-wide one. `undefined` when none is the tag's.
 */
export function reservationToUse<
  R extends Pick<Reservation, 'reservationId' | 'connectorId' | 'idTag' | 'parentIdTag'>,
>(
  binding: readonly R[],
  request: { idTag: string; reservationId?: number },
  parentIdTag: string | null,
): R | undefined {
  const rank = (r: R) => (r.reservationId === request.reservationId ? 0 : r.connectorId > 0 ? 1 : 2);
  return [...binding]
    .sort((a, b) => rank(a) - rank(b))
    .find((reservation) => mayUseReservation(reservation, request.idTag, parentIdTag));
}

/** The event that tells listeners a reservation ended. */
export function reservationEnded(reservation: Reservation, reason: ReservationEndReason): DomainEvent {
  return {
    type: 'ReservationCancelled',
    reservationId: reservation.reservationId,
    chargePointId: reservation.chargePointId,
    connectorId: reservation.connectorId,
    reason,
  };
}

/** The event that tells listeners a reservation was made. */
export function reservationMade(reservation: Reservation): DomainEvent {
  return {
    type: 'ReservationCreated',
    reservationId: reservation.reservationId,
    chargePointId: reservation.chargePointId,
    connectorId: reservation.connectorId,
    idTag: reservation.idTag,
    expiryDate: reservation.expiryDate,
    userName: reservation.userName,
    phoneNumber: reservation.phoneNumber,
  };
}
