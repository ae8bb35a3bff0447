import type { Kysely, Selectable } from 'kysely';
import type { Database, ReservationsTable } from '../db/schema.js';
import type { Reservation, ReservationStatus } from '../domain/reservation.js';
import { firstOf, pageOfQuery, type Page, type PageRequest } from './paging.js';
import type { StationScope } from './station.repository.js';
import { given } from './patch.js';

type Db = Kysely<Database>;

/** A reservation to store: what the operator gave, at the station's row id. */
export interface NewReservation extends Pick<
  Reservation,
  'connectorId' | 'idTag' | 'parentIdTag' | 'expiryDate' | 'userName' | 'phoneNumber' | 'createdBy'
> {
  stationId: number;
  now: string;
}

export interface ReservationFilter {
  scope: StationScope;
  status?: ReservationStatus;
  chargePointId?: string;
}

/** Reservations (the row id is the OCPP reservationId). Queries only. */
export class ReservationRepository {
  constructor(private readonly db: Db) {}

  /** Stores a reservation as `pending`, numbering it. */
  async create(reservation: NewReservation): Promise<Reservation> {
    const { id } = await this.db
      .insertInto('reservations')
      .values({
        station_id: reservation.stationId,
        connector_id: reservation.connectorId,
        id_tag: reservation.idTag,
        parent_id_tag: reservation.parentIdTag,
        expiry_date: reservation.expiryDate,
        user_name: reservation.userName,
        phone_number: reservation.phoneNumber,
        status: 'pending',
        transaction_id: null,
        created_by: reservation.createdBy,
        created_at: reservation.now,
        updated_at: reservation.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const created = await this.find(id);
    if (!created) throw new Error(`reservation ${id} vanished`);
    return created;
  }

  async find(reservationId: number): Promise<Reservation | undefined> {
    return firstOf(this.selectWithStation().where('reservations.id', '=', reservationId), toReservation);
  }

  /** Newest first. */
  async list(page: PageRequest, filter: ReservationFilter): Promise<Page<Reservation>> {
    let query = this.selectWithStation();
    if (filter.scope !== null) {
      if (filter.scope.length === 0) return { items: [], total: 0 };
      query = query.where('stations.charge_point_id', 'in', [...filter.scope]);
    }
    if (filter.status) query = query.where('reservations.status', '=', filter.status);
    if (filter.chargePointId) query = query.where('stations.charge_point_id', '=', filter.chargePointId);
    return pageOfQuery(query.orderBy('reservations.id', 'desc'), page, (rows) => rows.map(toReservation));
  }

  /**
   * Moves a reservation from one status to another, only if it still is in `from`: of two
   * racing changes (a cancel and an expiry, two nodes expiring) exactly one wins.
   * @returns the changed reservation, `undefined` when it was not in `from`.
   */
  async transition(
    reservationId: number,
    from: ReservationStatus,
    to: ReservationStatus,
    now: string,
    transactionId?: number,
  ): Promise<Reservation | undefined> {
    const result = await this.db
      .updateTable('reservations')
      .set({
        status: to,
        updated_at: now,
        ...given({ transaction_id: transactionId }),
      })
      .where('id', '=', reservationId)
      .where('status', '=', from)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n ? this.find(reservationId) : undefined;
  }

  /**
   * The active reservations, not yet past their expiry at `now`, that bind a transaction starting
   * at a station's connector: those on that connector, those on connector 0 (the whole station),
   * and the one the charge point names by its reservationId.
   */
  async binding(
    stationId: number,
    connectorId: number,
    reservationId: number | undefined,
    now: string,
  ): Promise<Reservation[]> {
    const rows = await this.selectWithStation()
      .where('reservations.station_id', '=', stationId)
      .where('reservations.status', '=', 'active')
      .where('reservations.expiry_date', '>', now)
      .where((eb) =>
        eb.or([
          eb('reservations.connector_id', 'in', [connectorId, 0]),
          ...(reservationId === undefined ? [] : [eb('reservations.id', '=', reservationId)]),
        ]),
      )
      .orderBy('reservations.id')
      .execute();
    return rows.map(toReservation);
  }

  /** Active reservations whose expiryDate is at or before `now`. */
  async due(now: string): Promise<Reservation[]> {
    const rows = await this.selectWithStation()
      .where('reservations.status', '=', 'active')
      .where('reservations.expiry_date', '<=', now)
      .orderBy('reservations.id')
      .execute();
    return rows.map(toReservation);
  }

  private selectWithStation() {
    return this.db
      .selectFrom('reservations')
      .innerJoin('stations', 'stations.id', 'reservations.station_id')
      .selectAll('reservations')
      .select('stations.charge_point_id');
  }
}

function toReservation(row: Selectable<ReservationsTable> & { charge_point_id: string }): Reservation {
  return {
    reservationId: row.id,
    chargePointId: row.charge_point_id,
    connectorId: row.connector_id,
    idTag: row.id_tag,
    parentIdTag: row.parent_id_tag,
    expiryDate: row.expiry_date,
    userName: row.user_name,
    phoneNumber: row.phone_number,
    status: row.status as ReservationStatus,
    transactionId: row.transaction_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
