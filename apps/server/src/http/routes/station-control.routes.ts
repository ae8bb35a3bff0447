import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AvailabilitySchema,
  ChargePointParams,
  RemoteStartSchema,
  RemoteStopSchema,
  ResetSchema,
  StationAnswerSchema,
  UnlockSchema,
} from '@cimorings/contracts/rest';
import type { TSchema } from 'typebox';
import type { StationControlService } from '../../services/station-control.service.js';
import { actorOf } from '../access.js';
import { bearerRoute, errors } from '../schemas.js';

/** A protocol-neutral operation: its summary and body, answered with the station's answer. */
function operation<B extends TSchema>(summary: string, body: B) {
  return bearerRoute('stations.control', 'commands', {
    summary,
    description:
      'Sent in the station’s own OCPP version (1.6, 2.0.1 or 2.1). 200: the station’s answer, `{ status, ... }`. ' +
      '404 unknown station, 409 STATION_OFFLINE, 504 STATION_TIMEOUT, 502 OCPP_CALL_ERROR (error.details.ocppErrorCode).',
    params: ChargePointParams,
    body,
    response: { 200: StationAnswerSchema, ...errors(400, 401, 403, 404, 409, 502, 504) },
  });
}

/** `POST /api/stations/{id}/remote-start|remote-stop|reset|unlock|availability` (CONTRACT section 7). */
export const stationControlRoutes: FastifyPluginAsyncTypebox<{ control: StationControlService }> = async (
  app,
  { control },
) => {
  app.post(
    '/api/stations/:chargePointId/remote-start',
    operation(
      'Start a transaction remotely (1.6 RemoteStartTransaction, 2.x RequestStartTransaction)',
      RemoteStartSchema,
    ),
    async (request) => control.remoteStart(actorOf(request), request.params.chargePointId, request.body),
  );

  app.post(
    '/api/stations/:chargePointId/remote-stop',
    operation(
      'Stop a transaction remotely (1.6 RemoteStopTransaction, 2.x RequestStopTransaction with the station’s id)',
      RemoteStopSchema,
    ),
    async (request) =>
      control.remoteStop(actorOf(request), request.params.chargePointId, request.body.transactionId),
  );

  app.post(
    '/api/stations/:chargePointId/reset',
    operation('Reset the station (Soft: 2.x OnIdle, Hard: 2.x Immediate)', ResetSchema),
    async (request) => control.reset(actorOf(request), request.params.chargePointId, request.body.type),
  );

  app.post(
    '/api/stations/:chargePointId/unlock',
    operation('Unlock a connector (2.x: { evseId: connectorId, connectorId: 1 })', UnlockSchema),
    async (request) =>
      control.unlock(actorOf(request), request.params.chargePointId, request.body.connectorId),
  );

  app.post(
    '/api/stations/:chargePointId/availability',
    operation('Make a connector, or the whole station (connectorId 0), (in)operative', AvailabilitySchema),
    async (request) =>
      control.changeAvailability(
        actorOf(request),
        request.params.chargePointId,
        request.body.connectorId,
        request.body.type,
      ),
  );
};
