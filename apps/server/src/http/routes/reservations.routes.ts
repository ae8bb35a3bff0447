import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RESERVE_NOW_STATUSES } from '@cimorings/contracts';
import {
  ChargePointId,
  NewReservationSchema,
  PageQuery,
  ReservationFields,
  ReservationParams,
  ReservationSchema,
  ReservationStatusSchema,
} from '@cimorings/contracts/rest';
import type { ReservationService } from '../../services/reservation.service.js';
import { actorOf } from '../access.js';
import { bearerRoute, errors, pageOf, recordRoutes } from '../schemas.js';

export const reservationRoutes: FastifyPluginAsyncTypebox<{ reservations: ReservationService }> = async (
  app,
  { reservations },
) => {
  app.addSchema(ReservationSchema);
  const reservation = recordRoutes('reservations', ReservationParams, 'Reservation');

  app.get(
    '/api/reservations',
    reservation.list(
      'reservations.view',
      Type.Object({
        ...PageQuery.properties,
        status: Type.Optional(ReservationStatusSchema),
        chargePointId: Type.Optional(ChargePointId),
      }),
      'Reservations at the stations in the caller’s scope, newest first',
    ),
    async (request) => {
      const { status, chargePointId } = request.query;
      return reservations.list(actorOf(request), pageOf(request.query), { status, chargePointId });
    },
  );

  app.get(
    '/api/reservations/:reservationId',
    reservation.read('reservations.view', [400, 401, 403, 404]),
    async (request) => reservations.get(actorOf(request), request.params.reservationId),
  );

  app.post(
    '/api/reservations',
    bearerRoute('reservations.manage', 'reservations', {
      summary: 'Reserve a connector: sends ReserveNow',
      description:
        'Answers 201 once the charge point accepted; 409 RESERVATION_REFUSED with error.details.status ' +
        `(${RESERVE_NOW_STATUSES.filter((s) => s !== 'Accepted').join(', ')}) when it refused; ` +
        '409 STATION_OFFLINE, 504 STATION_TIMEOUT, 502 OCPP_CALL_ERROR as for any command.',
      body: NewReservationSchema,
      response: {
        201: Type.Object({
          ...ReservationFields,
          status: Type.Literal('Accepted', { description: 'the charge point’s answer' }),
        }),
        ...errors(400, 401, 403, 404, 409, 502, 504),
      },
    }),
    async (request, reply) => {
      const reservation = await reservations.create(actorOf(request), request.body);
      return reply.status(201).send({ ...reservation, status: 'Accepted' as const });
    },
  );

  app.delete(
    '/api/reservations/:reservationId',
    bearerRoute('reservations.manage', 'reservations', {
      summary: 'Cancel a reservation: sends CancelReservation',
      description:
        'Answers 200 with the reservation, now cancelled. 409: CONFLICT when it is not active ' +
        '(error.details.status), RESERVATION_REFUSED when the charge point rejected the cancellation, ' +
        'STATION_OFFLINE; in each case the reservation is kept as it was.',
      params: ReservationParams,
      response: { 200: Type.Ref('Reservation'), ...errors(400, 401, 403, 404, 409, 502, 504) },
    }),
    async (request) => reservations.cancel(actorOf(request), request.params.reservationId),
  );
};
