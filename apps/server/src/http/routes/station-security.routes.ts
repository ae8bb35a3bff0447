import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SECURITY_PROFILES } from '../../domain/security-profile.js';
import type { SecurityEventService } from '../../services/security-event.service.js';
import { actorOf } from '../access.js';
import { ChargePointId, errors, PageQuery, pageOf, PageSchema } from '../schemas.js';

/** The station field `securityProfile` (CONTRACT section 8). */
export const SecurityProfileSchema = Type.Union(
  SECURITY_PROFILES.map((profile) => Type.Literal(profile)),
  {
    description:
      'OCPP security profile the station must connect with: 0 none, 1 Basic auth, 2 Basic auth over TLS, ' +
      '3 a TLS client certificate from TLS_CLIENT_CA_FILE whose subject CN is the chargePointId. ' +
      'Default: 1 with a password, else 0',
  },
);

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
        params: Type.Object({ chargePointId: ChargePointId }),
        querystring: PageQuery,
        response: { 200: PageSchema(SecurityEventSchema), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      securityEvents.list(actorOf(request), request.params.chargePointId, pageOf(request.query)),
  );
};
