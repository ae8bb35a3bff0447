import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ReservationCancelledPayload, ReservationCreatedPayload } from '@cimorings/contracts';
import { useApi, type NewReservation, type Paging, type Reservation, type ReservationStatus } from '../api';

/** The status a `reservation_cancelled` reason leaves a reservation in. */
const STATUS_OF_REASON: Record<ReservationCancelledPayload['reason'], ReservationStatus> = {
  'User cancelled': 'cancelled',
  Expired: 'expired',
  Used: 'used',
};

/** Reservations by id; the list page keeps the ids it shows, newest first. */
export const useReservationsStore = defineStore('reservations', () => {
  const api = useApi();
  const byId = ref<Record<number, Reservation>>({});
  const ids = ref<number[]>([]);
  const total = ref(0);
  const loading = ref(false);

  const list = computed(() =>
    ids.value.map((id) => byId.value[id]).filter((r): r is Reservation => r !== undefined),
  );
  const activeCount = computed(() => list.value.filter((r) => r.status === 'active').length);

  function upsert(reservation: Reservation): void {
    byId.value[reservation.reservationId] = { ...byId.value[reservation.reservationId], ...reservation };
    if (!ids.value.includes(reservation.reservationId)) {
      ids.value.unshift(reservation.reservationId);
      total.value += 1;
    }
  }

  async function load(filters: { status?: ReservationStatus | ''; chargePointId?: string } & Paging = {}) {
    loading.value = true;
    try {
      const answer = await api.reservations.list(filters);
      for (const reservation of answer.items) byId.value[reservation.reservationId] = reservation;
      ids.value = answer.items.map((r) => r.reservationId);
      total.value = answer.total;
    } finally {
      loading.value = false;
    }
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
