import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Station } from '../../domain/station.js';
import { OCPP_PATH } from '../../ocpp/server.js';
import type { StationService } from '../../services/station.service.js';
import { actorOf } from '../access.js';
import { ChargePointParams, OnboardingSchema } from '@cimorings/contracts/rest';
import { bearerRoute, errors } from '../schemas.js';

/** A host as it may appear in a Host header: a name or IPv4 address, or a bracketed IPv6 one, and a port. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * What to configure on a charger so that it reaches this station record: never the password
 * itself, which only its owner knows (it is stored as a hash).
 */
export const stationOnboardingRoutes: FastifyPluginAsyncTypebox<{
  stations: StationService;
  heartbeatInterval: number;
}> = async (app, { stations, heartbeatInterval }) => {
  app.get(
    '/api/stations/:chargePointId/onboarding',
    bearerRoute('stations.view', 'stations', {
      summary: 'The OCPP URL, subprotocol and credentials to configure on the charger',
      params: ChargePointParams,
      response: { 200: OnboardingSchema, ...errors(400, 401, 403, 404) },
    }),
    async (request) =>
      onboardingOf(
        request,
        await stations.get(actorOf(request), request.params.chargePointId),
        heartbeatInterval,
      ),
  );
};

/** What to configure on the charger of `station`, as reached by the caller of `request`. */
export function onboardingOf(
  request: FastifyRequest,
  station: Pick<Station, 'chargePointId' | 'hasOcppPassword' | 'registration' | 'securityProfile'>,
  heartbeatInterval: number,
): Static<typeof OnboardingSchema> {
  const origin = publicOrigin(request);
  const { host } = origin;
  // Profiles 2 and 3 are refused over ws:// (CONTRACT section 8), whatever the caller used.
  const scheme = station.securityProfile >= 2 ? 'wss' : origin.scheme;
  const basicAuth = station.hasOcppPassword && station.securityProfile !== 3;
  const centralSystemUrl = `${scheme}://${host}${OCPP_PATH}`;
  return {
    chargePointId: station.chargePointId,
    ocppUrl: `${centralSystemUrl}/${encodeURIComponent(station.chargePointId)}`,
    centralSystemUrl,
    subprotocol: 'ocpp1.6',
    passwordRequired: basicAuth,
    basicAuthUsername: basicAuth ? station.chargePointId : null,
    securityProfile: station.securityProfile === 3 ? 3 : !basicAuth ? 0 : scheme === 'wss' ? 2 : 1,
    heartbeatInterval,
    registration: station.registration,
  };
}

/**
 * The WebSocket scheme and host the caller reached us by: behind a TLS-terminating proxy,
 * from its X-Forwarded-Proto and X-Forwarded-Host (the first hop), else from the connection
 * and the Host header.
 */
function publicOrigin(request: FastifyRequest): { scheme: 'ws' | 'wss'; host: string } {
  const first = (header: string | string[] | undefined) =>
    (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase();
  const proto = first(request.headers['x-forwarded-proto']) ?? request.protocol;
  const forwarded = first(request.headers['x-forwarded-host']);
  const host = [forwarded, first(request.headers.host)].find((value) => value && HOST.test(value));
  return { scheme: proto === 'https' || proto === 'wss' ? 'wss' : 'ws', host: host ?? 'localhost' };
}
