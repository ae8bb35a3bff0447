import type { EventBus } from '../cluster/event-bus.js';
import { type Clock, isoNow, isoTime } from '../domain/clock.js';
import {
  reservationEnded,
  reservationMade,
  type Reservation,
  type ReservationStatus,
} from '../domain/reservation.js';
import { canSeeStation, type Actor } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type { IdTagRepository } from '../repositories/id-tag.repository.js';
import type { ReservationRepository } from '../repositories/reservation.repository.js';
import type { CommandAnswer } from './charge-point-commands.js';
import type { CommandService } from './command.service.js';
import { PeriodicTask } from './periodic-task.js';

export interface CreateReservationInput {
  chargePointId: string;
  /** 0: any connector of the station (OCPP 1.6 §5.13). */
  connectorId: number;
  idTag: string;
  /** An ISO 8601 date-time, in the future. */
  expiryDate: string;
  userName?: string | null;
  phoneNumber?: string | null;
}

export interface ReservationListFilter {
  status?: ReservationStatus;
  chargePointId?: string;
}

/**
 * Reservations as operators make and cancel them (OCPP 1.6 §5.13 ReserveNow, §5.1
 * CancelReservation; OCPP 2.0.1 H01, H02), always within the caller's station scope. The
 * commands go through the CommandService, in the station's protocol, so that they are
 * schema-checked and on the audit trail like any other.
 */
export class ReservationService {
  constructor(
    private readonly reservations: ReservationRepository,
    private readonly idTags: IdTagRepository,
    private readonly commands: CommandService,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  list(actor: Actor, page: PageRequest, filter: ReservationListFilter): Promise<Page<Reservation>> {
    return this.reservations.list(page, { ...filter, scope: actor.stationScope });
  }

  /** @throws AppError NOT_FOUND also when the reservation's station is outside the caller's scope. */
  async get(actor: Actor, reservationId: number): Promise<Reservation> {
    const reservation = await this.reservations.find(reservationId);
    if (!reservation || !canSeeStation(actor.stationScope, reservation.chargePointId)) {
      throw new AppError('NOT_FOUND', `No reservation ${reservationId}`);
    }
    return reservation;
  }

  /**
   * Stores the reservation, sends ReserveNow (with the tag's parent when it has one) and
   * makes it active once the charge point accepts it.
   * @throws AppError VALIDATION_ERROR (expiryDate not in the future), NOT_FOUND, STATION_OFFLINE,
   * RESERVATION_REFUSED (details.status: the charge point's answer), STATION_TIMEOUT or
   * OCPP_CALL_ERROR. Whatever the failure, no active reservation is left behind.
   */
  async create(actor: Actor, input: CreateReservationInput): Promise<Reservation> {
    const expiry = new Date(input.expiryDate);
    if (Number.isNaN(expiry.getTime()) || expiry.getTime() <= this.clock.now().getTime()) {
      throw new AppError('VALIDATION_ERROR', 'expiryDate must be in the future', { fields: ['expiryDate'] });
    }
    const { station, commands } = await this.commands.to(actor, input.chargePointId);
    if (!station.connected) {
      throw new AppError('STATION_OFFLINE', `Station ${input.chargePointId} is not connected`);
    }
    const token = await this.idTags.tokenOf(input.idTag);
    const parentIdTag = token.group?.idTag ?? null;
    const pending = await this.reservations.create({
      stationId: station.id,
      connectorId: input.connectorId,
      idTag: input.idTag,
      parentIdTag,
      expiryDate: isoTime(expiry),
      userName: input.userName ?? null,
      phoneNumber: input.phoneNumber ?? null,
      createdBy: actor.id,
      now: isoNow(this.clock),
    });
    const { reservationId } = pending;
    let answer: CommandAnswer;
    try {
      answer = await commands.reserveNow({
        reservationId,
        connectorId: pending.connectorId,
        expiryDate: pending.expiryDate,
        ...token,
      });
    } catch (error) {
      await this.reservations.transition(reservationId, 'pending', 'failed', isoNow(this.clock));
      throw error;
    }
    const { status } = answer;
    if (status !== 'Accepted') {
      await this.reservations.transition(reservationId, 'pending', 'refused', isoNow(this.clock));
      throw new AppError(
        'RESERVATION_REFUSED',
        `${station.chargePointId} refused the reservation: ${status}`,
        {
          status,
          reservationId,
        },
      );
    }
    const active = await this.reservations.transition(reservationId, 'pending', 'active', isoNow(this.clock));
    if (!active) throw new Error(`reservation ${reservationId} left pending while ReserveNow ran`);
    this.events.publish(reservationMade(active));
    return active;
  }

  /**
   * Sends CancelReservation and marks the reservation cancelled once the charge point accepts.
   * @throws AppError NOT_FOUND, CONFLICT (not active; details.status), STATION_OFFLINE,
   * RESERVATION_REFUSED (the charge point rejected it; the reservation stays active),
   * STATION_TIMEOUT or OCPP_CALL_ERROR.
   */
  async cancel(actor: Actor, reservationId: number): Promise<Reservation> {
    const reservation = await this.get(actor, reservationId);
    if (reservation.status !== 'active') throw notActive(reservation);
    const { commands } = await this.commands.to(actor, reservation.chargePointId);
    const { status } = await commands.cancelReservation(reservationId);
    if (status !== 'Accepted') {
      throw new AppError(
        'RESERVATION_REFUSED',
        `${reservation.chargePointId} did not cancel reservation ${reservationId}: ${status}`,
        { status, reservationId },
      );
    }
    const cancelled = await this.reservations.transition(
      reservationId,
      'active',
      'cancelled',
      isoNow(this.clock),
    );
    // Used or expired while the charge point was asked: that end stands.
    if (!cancelled) throw notActive(await this.get(actor, reservationId));
    this.events.publish(reservationEnded(cancelled, 'User cancelled'));
    return cancelled;
  }

  /**
   * A station tells that one of its reservations ended without a transaction (OCPP 2.0.1
   * ReservationStatusUpdate): `expired`, or `removed` (cancelled at the station). Only an active
   * reservation of that station ends; any other id changes nothing.
   */
  async endedAtStation(
    chargePointId: string,
    reservationId: number,
    end: 'expired' | 'removed',
  ): Promise<void> {
    const reservation = await this.reservations.find(reservationId);
    if (reservation?.chargePointId !== chargePointId || reservation.status !== 'active') return;
    const to = end === 'expired' ? 'expired' : 'cancelled';
    const ended = await this.reservations.transition(reservationId, 'active', to, isoNow(this.clock));
    if (ended) this.events.publish(reservationEnded(ended, end === 'expired' ? 'Expired' : 'User cancelled'));
  }
}

export interface ReservationExpirySettings {
  /** How often due reservations are looked for, in milliseconds (default in app.ts: 15 000). */
  intervalMs: number;
}

/**
 * Ends active reservations whose expiryDate has passed, and tells listeners ("Expired"). Runs at
 * start, so that reservations which expired while the server was down end at once, and then every
 * `intervalMs`. The charge point ends its own copy at expiryDate (OCPP 1.6 §5.13), so nothing is
 * sent to it. Several nodes may run it at once: each reservation ends, and is told, once.
 */
export class ReservationExpiry {
  private readonly task: PeriodicTask;

  constructor(
    private readonly reservations: ReservationRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
    settings: ReservationExpirySettings,
    onError: (error: unknown) => void,
  ) {
    this.task = new PeriodicTask(() => this.expireDue(), settings.intervalMs, onError);
  }

  start(): void {
    this.task.start();
  }

  /** Expires what is due now; answers the reservations it ended. */
  async expireDue(): Promise<Reservation[]> {
    const now = isoNow(this.clock);
    const ended: Reservation[] = [];
    for (const due of await this.reservations.due(now)) {
      const expired = await this.reservations.transition(due.reservationId, 'active', 'expired', now);
      if (!expired) continue;
      ended.push(expired);
      this.events.publish(reservationEnded(expired, 'Expired'));
    }
    return ended;
  }

  /** Stops the timer and waits for a run in progress, so that the database can close after. */
  stop(): Promise<void> {
    return this.task.stop();
  }
}

function notActive(reservation: Reservation): AppError {
  return new AppError(
    'CONFLICT',
    `Reservation ${reservation.reservationId} is ${reservation.status}, not active`,
    { status: reservation.status },
  );
}
