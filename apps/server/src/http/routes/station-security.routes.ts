import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CertificateParams, SecurityEventSchema, StationCertificateSchema } from '@cimorings/contracts/rest';
import type { CertificateService } from '../../services/certificate.service.js';
import type { SecurityEventService } from '../../services/security-event.service.js';
import { actorOf } from '../access.js';
import { bearerRoute, errors, pageOf, stationPageRoute } from '../schemas.js';

/**
 * A station's security record (CONTRACT section 8): its security events and the certificates the
 * OCPP CA signed for it, with the station view permission of the station routes; revoking one
 * needs the station edit permission.
 */
export const stationSecurityRoutes: FastifyPluginAsyncTypebox<{
  securityEvents: SecurityEventService;
  certificates: CertificateService;
}> = async (app, { securityEvents, certificates }) => {
  app.get(
    '/api/stations/:chargePointId/security-events',
    stationPageRoute(
      'stations.view',
      'stations',
      'What the station reported and what the server recorded about it, newest first',
      SecurityEventSchema,
    ),
    async (request) =>
      securityEvents.list(actorOf(request), request.params.chargePointId, pageOf(request.query)),
  );

  app.get(
    '/api/stations/:chargePointId/certificates',
    stationPageRoute(
      'stations.view',
      'stations',
      'The certificates the OCPP CA signed for the station (SignCertificate), latest first',
      StationCertificateSchema,
    ),
    async (request) =>
      certificates.list(actorOf(request), request.params.chargePointId, pageOf(request.query)),
  );

  app.post(
    '/api/stations/:chargePointId/certificates/:serialNumber/revoke',
    bearerRoute('stations.edit', 'stations', {
      summary: 'Revokes a certificate of the station: refused at the OCPP upgrade from now on (401)',
      params: CertificateParams,
      response: { 200: StationCertificateSchema, ...errors(400, 401, 403, 404) },
    }),
    async (request) =>
      certificates.revoke(actorOf(request), request.params.chargePointId, request.params.serialNumber),
  );
};
