import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actionSchemas, protocolSchemas } from '@cimorings/ocpp/schemas';
import { CSMS_ACTIONS, V2_CSMS_ACTIONS } from '@cimorings/contracts';
import { ChargePointId, ChargePointParams } from '@cimorings/contracts/rest';
import { Type } from 'typebox';
import type { CommandService } from '../../services/command.service.js';
import { actorOf } from '../access.js';
import { documented } from '../ocpp-schema-docs.js';
import { BEARER, errors } from '../schemas.js';

const FAILURES = errors(400, 401, 403, 404, 409, 502, 504);

/** The protocols whose messages the commands endpoint takes, with the actions of each. */
const PROTOCOLS = [
  {
    name: 'OCPP 1.6',
    actions: CSMS_ACTIONS as readonly string[],
    schemas: actionSchemas(protocolSchemas('ocpp1.6')),
  },
  {
    name: 'OCPP 2.0.1',
    actions: V2_CSMS_ACTIONS as readonly string[],
    schemas: actionSchemas(protocolSchemas('ocpp2.0.1')),
  },
];

/** One schema per protocol that has the action; several as alternatives, each titled. */
function alternatives(action: string, part: 'request' | 'response'): Record<string, unknown> {
  const variants = PROTOCOLS.filter((protocol) => protocol.actions.includes(action)).map((protocol) => ({
    title: `${protocol.name} ${action} ${part}`,
    ...documented(protocol.schemas, action, part),
  }));
  return variants.length === 1 && variants[0] ? variants[0] : { anyOf: variants };
}

/**
 * `POST /api/stations/{chargePointId}/commands/{Action}` (CONTRACT sections 3 and 7): one route
 * per action a CSMS sends in OCPP 1.6 or 2.0.1, so that the OpenAPI document shows each
 * action's official request and response schema (both, when the two protocols share the name).
 * The schemas are documentation only: the body is checked by the CommandService against the
 * schema of the station's own protocol (2.1 stations: the 2.1 schema), as strict mode checks it
 * on the wire (its 400 names the OCPP error code); an action of the other protocol is
 * UNSUPPORTED_ACTION; the charge point's answer is passed back as it is.
 * Any other action name reaches the hidden catch-all route, which refuses it with 400.
 */
export const commandRoutes: FastifyPluginAsyncTypebox<{ commands: CommandService }> = async (
  app,
  { commands },
) => {
  const actions = [...new Set(PROTOCOLS.flatMap((protocol) => protocol.actions))].sort();
  for (const action of actions) {
    const request = alternatives(action, 'request');
    const response = alternatives(action, 'response');
    const names = PROTOCOLS.filter((protocol) => protocol.actions.includes(action)).map((p) => p.name);
    app.post(
      `/api/stations/:chargePointId/commands/${action}`,
      {
        config: {
          access: 'stations.control',
          swaggerTransform: ({ schema, url }) => ({
            url,
            schema: { ...schema, body: request, response: { 200: response, ...FAILURES } },
          }),
        },
        schema: {
          tags: ['commands'],
          summary: `Send ${action} (${names.join(', ')}); answers the charge point’s response`,
          description:
            `The body is the ${action} request payload of the station’s OCPP version (${names.join(' or ')}; ` +
            '2.1 stations take the 2.0.1 actions with the 2.1 schema), checked against the official schema ' +
            '(400 VALIDATION_ERROR with error.details.ocppErrorCode if invalid, nothing sent; absent: {}). ' +
            '400 UNSUPPORTED_ACTION for a station of another OCPP version. ' +
            `200 answers the charge point’s ${action} response as it is, secrets redacted.`,
          security: BEARER,
          params: ChargePointParams,
          body: Type.Optional(Type.Unknown()),
          response: { 200: Type.Unknown(), ...FAILURES },
        },
      },
      async (request) =>
        commands.send(actorOf(request), request.params.chargePointId, action, request.body ?? {}),
    );
  }

  app.post(
    '/api/stations/:chargePointId/commands/:action',
    {
      config: { access: 'stations.control' },
      schema: {
        hide: true,
        tags: ['commands'],
        summary: 'Any other action: refused with 400, error.details.actions listing the ones sent',
        security: BEARER,
        params: Type.Object({ chargePointId: ChargePointId, action: Type.String({ maxLength: 64 }) }),
        body: Type.Optional(Type.Unknown()),
        response: { 200: Type.Unknown(), ...FAILURES },
      },
    },
    async (request) =>
      commands.send(
        actorOf(request),
        request.params.chargePointId,
        request.params.action,
        request.body ?? {},
      ),
  );
};
