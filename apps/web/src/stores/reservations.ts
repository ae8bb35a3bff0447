import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { ReservationCancelledPayload, ReservationCreatedPayload } from '@cimorings/contracts';
import { useApi, type NewReservation, type Paging, type Reservation, type ReservationStatus } from '../api';
import { pagedCollection } from './pagedCollection';

/** The status a `reservation_cancelled` reason leaves a reservation in. */
const STATUS_OF_REASON: Record<ReservationCancelledPayload['reason'], ReservationStatus> = {
  'User cancelled': 'cancelled',
  Expired: 'expired',
  Used: 'used',
};

/** Reservations by id; the list page keeps the ids it shows, newest first. */
export const useReservationsStore = defineStore('reservations', () => {
  const api = useApi();
  const { byId, total, loading, list, loadPage, put } = pagedCollection((r: Reservation) => r.reservationId);
  const activeCount = computed(() => list.value.filter((r) => r.status === 'active').length);

  function upsert(reservation: Reservation): void {
    put({ ...byId.value[reservation.reservationId], ...reservation });
  }

  async function load(filters: { status?: ReservationStatus | ''; chargePointId?: string } & Paging = {}) {
    await loadPage(() => api.reservations.list(filters));
  }

  async function create(body: NewReservation): Promise<Reservation> {
    const created = await api.reservations.create(body);
    // The answer's status is the charge point's ("Accepted"); the reservation is now active.
    const reservation = { ...created, status: 'active' as const };
    upsert(reservation);
    return reservation;
  }

  async function cancel(reservationId: number): Promise<void> {
    upsert(await api.reservations.cancel(reservationId));
  }

  /** `reservation_created`. */
  function applyCreated(event: ReservationCreatedPayload): void {
    upsert({ ...event, status: 'active' });
  }

  /** `reservation_cancelled`: cancelled by a user, expired or used by a transaction. */
  function applyCancelled(event: ReservationCancelledPayload): void {
    const reservation = byId.value[event.reservationId];
    if (reservation) reservation.status = STATUS_OF_REASON[event.reason] ?? 'cancelled';
  }

  return { byId, list, total, activeCount, loading, load, create, cancel, applyCreated, applyCancelled };
});
