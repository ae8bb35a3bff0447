import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LocalListService } from '../../services/local-list.service.js';
import { actorOf } from '../access.js';
import { ChargePointParams, LocalListRequestSchema, LocalListResultSchema } from '@cimorings/contracts/rest';
import { bearerRoute, errors } from '../schemas.js';

export const localListRoutes: FastifyPluginAsyncTypebox<{ localLists: LocalListService }> = async (
  app,
  { localLists },
) => {
  app.post(
    '/api/stations/:chargePointId/local-list',
    bearerRoute('stations.control', 'commands', {
      summary: 'Send the id tag table to the charge point as its local authorization list (SendLocalList)',
      description:
        'Full: every id tag. Differential: the tags created or changed since the last list the station ' +
        'accepted, and those deleted since (without idTagInfo). The version goes up by one and is kept ' +
        'only when the charge point answers Accepted.',
      params: ChargePointParams,
      body: LocalListRequestSchema,
      response: {
        200: LocalListResultSchema,
        ...errors(400, 401, 403, 404, 409, 502, 504),
      },
    }),
    async (request) =>
      localLists.send(actorOf(request), request.params.chargePointId, request.body.updateType),
  );
};
