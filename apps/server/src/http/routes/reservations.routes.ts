import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RESERVATION_STATUSES, RESERVE_NOW_STATUSES } from '../../domain/reservation.js';
import type { ReservationService } from '../../services/reservation.service.js';
import { actorOf } from '../access.js';
import { ChargePointId, errors, PageQuery, pageOf, PageSchema } from '../schemas.js';

const security = [{ bearer: [] }];
/** OCPP 1.6 IdToken: CiString20Type, printable as in the id tag table. */
const IdToken = Type.String({ minLength: 1, maxLength: 20, pattern: '^[\\x20-\\x7E]+$' });
/** E.164: a plus, a country code, at most 15 digits in all (e.g. +6281234567890). */
const PhoneNumber = Type.String({
  pattern: '^\\+[1-9]\\d{6,14}$',
  description: 'E.164, e.g. +6281234567890',
});
const Params = Type.Object({ reservationId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
const Status = Type.Union(
  RESERVATION_STATUSES.map((status) => Type.Literal(status)),
  {
    description:
      'pending (ReserveNow sent), active, used, cancelled, expired, refused (by the charge point) or failed (no answer)',
  },
);

const ReservationFields = {
  reservationId: Type.Integer({ description: 'the OCPP reservationId' }),
  chargePointId: Type.String(),
  connectorId: Type.Integer({ description: '0: any connector of the station' }),
  idTag: Type.String(),
  parentIdTag: Type.Union([Type.String(), Type.Null()], {
    description: 'the tag’s parent, sent in ReserveNow; its other child tags may use the reservation',
  }),
  expiryDate: Type.String({ format: 'date-time' }),
  userName: Type.Union([Type.String(), Type.Null()]),
  phoneNumber: Type.Union([Type.String(), Type.Null()]),
  transactionId: Type.Union([Type.Integer(), Type.Null()], { description: 'the transaction that used it' }),
  createdBy: Type.Union([Type.Integer(), Type.Null()], { description: 'id of the user who made it' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

const ReservationSchema = Type.Object(
  {
    ...ReservationFields,
    status: Status,
  },
  { $id: 'Reservation' },
);

export const reservationRoutes: FastifyPluginAsyncTypebox<{ reservations: ReservationService }> = async (
  app,
  { reservations },
) => {
  app.addSchema(ReservationSchema);

  app.get(
    '/api/reservations',
    {
      config: { access: 'reservations.view' },
      schema: {
        tags: ['reservations'],
        summary: 'Reservations at the stations in the caller’s scope, newest first',
        security,
        querystring: Type.Object({
          ...PageQuery.properties,
          status: Type.Optional(Status),
          chargePointId: Type.Optional(ChargePointId),
        }),
        response: { 200: PageSchema(Type.Ref('Reservation')), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { status, chargePointId } = request.query;
      return reservations.list(actorOf(request), pageOf(request.query), { status, chargePointId });
    },
  );

  app.get(
    '/api/reservations/:reservationId',
    {
      config: { access: 'reservations.view' },
      schema: {
        tags: ['reservations'],
        security,
        params: Params,
        response: { 200: Type.Ref('Reservation'), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => reservations.get(actorOf(request), request.params.reservationId),
  );

  app.post(
    '/api/reservations',
    {
      config: { access: 'reservations.manage' },
      schema: {
        tags: ['reservations'],
        summary: 'Reserve a connector: sends ReserveNow',
        description:
          'Answers 201 once the charge point accepted; 409 RESERVATION_REFUSED with error.details.status ' +
          `(${RESERVE_NOW_STATUSES.filter((s) => s !== 'Accepted').join(', ')}) when it refused; ` +
          '409 STATION_OFFLINE, 504 STATION_TIMEOUT, 502 OCPP_CALL_ERROR as for any command.',
        security,
        body: Type.Object(
          {
            chargePointId: ChargePointId,
            connectorId: Type.Integer({ minimum: 0, description: '0: any connector (OCPP 1.6 §5.13)' }),
            idTag: IdToken,
            expiryDate: Type.String({ format: 'date-time', description: 'in the future' }),
            userName: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
            phoneNumber: Type.Optional(Type.Union([PhoneNumber, Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            ...ReservationFields,
            status: Type.Literal('Accepted', { description: 'the charge point’s answer' }),
          }),
          ...errors(400, 401, 403, 404, 409, 502, 504),
        },
      },
    },
    async (request, reply) => {
      const reservation = await reservations.create(actorOf(request), request.body);
      return reply.status(201).send({ ...reservation, status: 'Accepted' as const });
    },
  );

  app.delete(
    '/api/reservations/:reservationId',
    {
      config: { access: 'reservations.manage' },
      schema: {
        tags: ['reservations'],
        summary: 'Cancel a reservation: sends CancelReservation',
        description:
          'Answers 200 with the reservation, now cancelled. 409: CONFLICT when it is not active ' +
          '(error.details.status), RESERVATION_REFUSED when the charge point rejected the cancellation, ' +
          'STATION_OFFLINE; in each case the reservation is kept as it was.',
        security,
        params: Params,
        response: { 200: Type.Ref('Reservation'), ...errors(400, 401, 403, 404, 409, 502, 504) },
      },
    },
    async (request) => reservations.cancel(actorOf(request), request.params.reservationId),
  );
};
