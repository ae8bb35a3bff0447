import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ChargePointParams,
  ChargingProfileParams,
  CompositeScheduleQuery,
  NewChargingProfileSchema,
  StationChargingProfileSchema,
} from '@cimorings/contracts/rest';
import type { ChargingProfileService } from '../../services/charging-profile.service.js';
import { actorOf } from '../access.js';
import { bearerRoute, errors } from '../schemas.js';

/**
 * A station's charging profiles as data, and its composite schedule (CONTRACT section 9): read
 * with stations.view, sent and removed with stations.control, like every command to a station.
 */
export const chargingProfileRoutes: FastifyPluginAsyncTypebox<{ profiles: ChargingProfileService }> = async (
  app,
  { profiles },
) => {
  app.addSchema(StationChargingProfileSchema);
  const commandErrors = errors(400, 401, 403, 404, 409, 502, 504);

  app.get(
    '/api/stations/:chargePointId/charging-profiles',
    bearerRoute('stations.view', 'stations', {
      summary: 'The ChargePointMaxProfile and TxDefaultProfile profiles the station accepted',
      params: ChargePointParams,
      response: {
        200: Type.Object({ items: Type.Array(Type.Ref('StationChargingProfile')), total: Type.Integer() }),
        ...errors(400, 401, 403, 404),
      },
    }),
    async (request) => {
      const items = await profiles.list(actorOf(request), request.params.chargePointId);
      return { items, total: items.length };
    },
  );

  app.post(
    '/api/stations/:chargePointId/charging-profiles',
    bearerRoute('stations.control', 'stations', {
      summary:
        'Sends SetChargingProfile (OCPP 1.6 body; ChargePointMaxProfile or TxDefaultProfile) and keeps the ' +
        'profile once accepted; 409 PROFILE_REJECTED when the station refuses it',
      params: ChargePointParams,
      body: NewChargingProfileSchema,
      response: { 201: Type.Ref('StationChargingProfile'), ...commandErrors },
    }),
    async (request, reply) => {
      const { connectorId, csChargingProfiles: profile } = request.body;
      const installed = await profiles.install(actorOf(request), request.params.chargePointId, {
        connectorId,
        profile,
      });
      return reply.status(201).send(installed);
    },
  );

  app.delete(
    '/api/stations/:chargePointId/charging-profiles/:chargingProfileId',
    bearerRoute('stations.control', 'stations', {
      summary: 'Sends ClearChargingProfile { id } and forgets the profile',
      params: ChargingProfileParams,
      response: { 204: Type.Null(), ...commandErrors },
    }),
    async (request, reply) => {
      const { chargePointId, chargingProfileId } = request.params;
      await profiles.remove(actorOf(request), chargePointId, chargingProfileId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/stations/:chargePointId/composite-schedule',
    bearerRoute('stations.control', 'stations', {
      summary: 'Asks the station for its composite schedule (GetCompositeSchedule) and answers its answer',
      params: ChargePointParams,
      querystring: CompositeScheduleQuery,
      response: { 200: Type.Record(Type.String(), Type.Unknown()), ...commandErrors },
    }),
    async (request) =>
      profiles.compositeSchedule(actorOf(request), request.params.chargePointId, request.query),
  );
};
