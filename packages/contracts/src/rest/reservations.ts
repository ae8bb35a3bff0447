/** The reservation resources: `/api/reservations`. */
import { Type, type Static } from 'typebox';
import { MAX_CONNECTOR_ID, PHONE_NUMBER_PATTERN, RESERVATION_STATUSES } from '../lists.js';
import { Body, ChargePointId, IdToken, Literals, Nullable, Resource, Timestamps } from './common.js';

/** E.164 (PHONE_NUMBER_PATTERN). */
const PhoneNumber = Type.String({
  pattern: PHONE_NUMBER_PATTERN,
  description: 'E.164, e.g. +6281234567890',
});

export const ReservationStatusSchema = Literals(RESERVATION_STATUSES, {
  description:
    'pending (ReserveNow sent), active, used, cancelled, expired, refused (by the charge point) or failed (no answer)',
});

/** The fields of a reservation but its status. */
export const ReservationFields = {
  reservationId: Type.Integer({ description: 'the OCPP reservationId' }),
  chargePointId: Type.String(),
  connectorId: Type.Integer({ description: '0: any connector of the station' }),
  idTag: Type.String(),
  parentIdTag: Nullable(Type.String(), {
    description: 'the tag’s parent, sent in ReserveNow; its other child tags may use the reservation',
  }),
  expiryDate: Type.String({ format: 'date-time' }),
  userName: Nullable(Type.String()),
  phoneNumber: Nullable(Type.String()),
  transactionId: Nullable(Type.Integer(), { description: 'the transaction that used it' }),
  createdBy: Nullable(Type.Integer(), { description: 'id of the user who made it' }),
  ...Timestamps(),
};

export const ReservationSchema = Resource('Reservation', {
  ...ReservationFields,
  status: ReservationStatusSchema,
});
export type Reservation = Static<typeof ReservationSchema>;

export const ReservationParams = Type.Object({
  reservationId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

/** The body of `POST /api/reservations`. */
export const NewReservationSchema = Body({
  chargePointId: ChargePointId,
  connectorId: Type.Integer({
    minimum: 0,
    maximum: MAX_CONNECTOR_ID,
    description: '0: any connector (OCPP 1.6 §5.13)',
  }),
  idTag: IdToken,
  expiryDate: Type.String({ format: 'date-time', description: 'in the future' }),
  userName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  phoneNumber: Type.Optional(Nullable(PhoneNumber)),
});
export type NewReservation = Static<typeof NewReservationSchema>;
