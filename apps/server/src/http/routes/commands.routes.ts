import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actionSchemas, protocolSchemas, type ActionSchemas, type JsonSchema } from '@cimorings/ocpp/schemas';
import { ChargePointId, ChargePointParams } from '@cimorings/contracts/rest';
import { Type } from 'typebox';
import { CSMS_ACTIONS, type CommandService } from '../../services/command.service.js';
import { actorOf } from '../access.js';
import { BEARER, errors } from '../schemas.js';

const FAILURES = errors(400, 401, 403, 404, 409, 502, 504);

/** An official schema as the OpenAPI document shows it: without its own `$schema` and `$id`. */
function documented(
  actions: ReadonlyMap<string, ActionSchemas>,
  action: string,
  part: 'request' | 'response',
): Record<string, unknown> {
  const schema: JsonSchema | undefined = actions.get(action)?.[part];
  if (!schema) throw new Error(`ocpp-rpc ships no OCPP 1.6 ${part} schema for ${action}`);
  const {
    $schema: _dialect,
    $id: _id,
    definitions,
    ...rest
  } = schema as JsonSchema & {
    definitions?: Record<string, unknown>;
  };
  return inlined(rest, definitions ?? {}) as Record<string, unknown>;
}

/**
 * The schema with its `#/definitions/…` references replaced by what they name (the security
 * extension's schemas use them): the OpenAPI document has no such definitions to point to.
 */
function inlined(node: unknown, definitions: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((item) => inlined(item, definitions));
  if (node === null || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as Record<string, unknown>;
  if (typeof $ref === 'string' && $ref.startsWith('#/definitions/')) {
    return inlined(definitions[$ref.slice('#/definitions/'.length)], definitions);
  }
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, inlined(value, definitions)]));
}

/**
 * `POST /api/stations/{chargePointId}/commands/{Action}` (CONTRACT section 3): one route per
 * action a central system sends, so that the OpenAPI document shows each action's official
 * request and response schema. The schemas are documentation only: the body is checked by the
 * CommandService against the same official schema, as strict mode checks it on the wire (its
 * 400 names the OCPP error code), and the charge point's answer is passed back as it is.
 * Any other action name reaches the hidden catch-all route, which refuses it with 400.
 */
export const commandRoutes: FastifyPluginAsyncTypebox<{ commands: CommandService }> = async (
  app,
  { commands },
) => {
  const v16 = actionSchemas(protocolSchemas('ocpp1.6'));
  for (const action of CSMS_ACTIONS) {
    const request = documented(v16, action, 'request');
    const response = documented(v16, action, 'response');
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
          summary: `Send ${action} (OCPP 1.6); answers the charge point’s response`,
          description:
            `The body is the ${action}.req payload, checked against the official OCPP 1.6 schema ` +
            '(400 VALIDATION_ERROR with error.details.ocppErrorCode if invalid, nothing sent; absent: {}). ' +
            `200 answers the charge point’s ${action}.conf as it is, secrets redacted.`,
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
