import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SecurityEventService } from '../../services/security-event.service.js';
import { actorOf } from '../access.js';
import { ChargePointParams, PageQuery, PageSchema } from '@cimorings/contracts/rest';
import { errors, pageOf } from '../schemas.js';

const SecurityEventSchema = Type.Object({
  type: Type.String(),
  timestamp: Type.String({ format: 'date-time' }),
  techInfo: Type.Optional(Type.String()),
  source: Type.Union([Type.Literal('station'), Type.Literal('server')], {
    description: 'station: sent with SecurityEventNotification; server: recorded by the server',
  }),
});

/** `GET /api/stations/{id}/security-events`, with the station view permission of the station routes. */
export const stationSecurityRoutes: FastifyPluginAsyncTypebox<{
  securityEvents: SecurityEventService;
}> = async (app, { securityEvents }) => {
  app.get(
    '/api/stations/:chargePointId/security-events',
    {
      config: { access: 'stations.view' },
      schema: {
        tags: ['stations'],
        summary: 'What the station reported and what the server recorded about it, newest first',
        security: [{ bearer: [] }],
        params: ChargePointParams,
        querystring: PageQuery,
        response: { 200: PageSchema(SecurityEventSchema), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      securityEvents.list(actorOf(request), request.params.chargePointId, pageOf(request.query)),
  );
};
