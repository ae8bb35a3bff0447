import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ChargePointParams,
  PageQuery,
  PageSchema,
  VariableChangesSchema,
  VariableFilterSchema,
  VariableResultsSchema,
  VariableSchema,
} from '@cimorings/contracts/rest';
import { Type } from 'typebox';
import type { StationVariablesService } from '../../services/station-variables.service.js';
import { actorOf } from '../access.js';
import { bearerRoute, errors, pageOf } from '../schemas.js';

/** `GET|PATCH /api/stations/{id}/variables`: a station's device model (CONTRACT section 7). */
export const stationVariableRoutes: FastifyPluginAsyncTypebox<{
  variables: StationVariablesService;
}> = async (app, { variables }) => {
  app.get(
    '/api/stations/:chargePointId/variables',
    bearerRoute('stations.view', 'stations', {
      summary: 'The station’s device model: 2.x as its reports told it, 1.6 its configuration keys',
      description:
        'A 2.x station: the variables its NotifyReport parts carried (after its first boot, or a GetBaseReport ' +
        'sent through the commands endpoint), with the values accepted since. A 1.6 station: asked with ' +
        'GetConfiguration (so 409 STATION_OFFLINE while it is not connected), each key a variable of component ' +
        '"OCPP16". Secrets are never shown.',
      params: ChargePointParams,
      querystring: Type.Object({
        ...PageQuery.properties,
        ...VariableFilterSchema.properties,
        refresh: Type.Optional(
          Type.Boolean({
            description:
              'A 2.x station: first ask it (GetVariables, split by its DeviceDataCtrlr.ItemsPerMessage and ' +
              'BytesPerMessage) for the current values of the page’s variables, keep them, then answer the page. ' +
              'Needs the station connected (409, 502, 504 as for commands). A 1.6 station is always asked.',
          }),
        ),
      }),
      response: { 200: PageSchema(VariableSchema), ...errors(400, 401, 403, 404, 409, 502, 504) },
    }),
    async (request) => {
      const { component, refresh } = request.query;
      return variables.list(actorOf(request), request.params.chargePointId, pageOf(request.query), {
        ...(component !== undefined && { component }),
        ...(refresh !== undefined && { refresh }),
      });
    },
  );

  app.patch(
    '/api/stations/:chargePointId/variables',
    bearerRoute('stations.control', 'stations', {
      summary: 'Change variables of the station (2.x SetVariables, 1.6 ChangeConfiguration per key)',
      description:
        'One result per item, in the same order, with the station’s attributeStatus; an accepted value ' +
        'replaces the kept one. A 2.x station gets several SetVariables, one after another, when its ' +
        'DeviceDataCtrlr.ItemsPerMessage / BytesPerMessage (SetVariables) need it; when one of them fails ' +
        '(502, 504) the later ones are not sent and error.details.results holds what the earlier ones were answered. For a 1.6 station every item is component "OCPP16" (others are answered ' +
        'UnknownComponent without asking it) and every value is checked before the first key is sent.',
      params: ChargePointParams,
      body: VariableChangesSchema,
      response: { 200: VariableResultsSchema, ...errors(400, 401, 403, 404, 409, 502, 504) },
    }),
    async (request) => ({
      results: await variables.change(actorOf(request), request.params.chargePointId, request.body),
    }),
  );
};
