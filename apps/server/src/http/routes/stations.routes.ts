import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Station } from '../../domain/station.js';
import { redactOcppPayload } from '../../domain/ocpp-secrets.js';
import type {
  CommandEntry,
  OcppLogEntry,
  OcppLogRepository,
} from '../../repositories/ocpp-log.repository.js';
import { mapPage, type Page, type PageRequest } from '../../repositories/paging.js';
import type { CommandService } from '../../services/command.service.js';
import type { StationApprovalService } from '../../services/station-approval.service.js';
import type { StationService } from '../../services/station.service.js';
import { actorOf } from '../access.js';
import { parsed } from '../logged-payload.js';
import {
  ChargePointParams,
  CommandAuditSchema,
  CreatedStationSchema,
  NewStationSchema,
  OcppMessageSchema,
  PageQuery,
  StationChangesSchema,
  StationFilterSchema,
  StationSchema,
} from '@cimorings/contracts/rest';
import { commandRoutes } from './commands.routes.js';
import { onboardingOf } from './station-onboarding.routes.js';
import { bearerRoute, errors, noContent, pageOf, recordRoutes, stationPageRoute } from '../schemas.js';

/** The station object of the API: never its password, connector 0 folded into the station. */
export function stationView(station: Station) {
  const self = station.connectors.find((c) => c.connectorId === 0);
  return {
    ...station,
    errorCode: self?.errorCode ?? null,
    connectors: station.connectors
      .filter((c) => c.connectorId > 0)
      .map(({ connectorId, status, errorCode, info, vendorErrorCode, timestamp }) => ({
        connectorId,
        status,
        errorCode,
        info,
        vendorErrorCode,
        timestamp,
      })),
  };
}

/**
 * A logged OCPP message as the API shows it: redacted on write, and again here on read for what
 * was stored before secrets were redacted.
 */
function messageView(entry: OcppLogEntry & { id: number }) {
  return { ...entry, payload: redactOcppPayload(entry.action, parsed(entry.payload)) };
}

/** A command of the audit trail as the API shows it: its request and its answer redacted. */
function commandView(entry: CommandEntry) {
  return {
    ...entry,
    request: redactOcppPayload(entry.action, entry.request),
    response: redactOcppPayload(entry.action, entry.response),
  };
}

export const stationRoutes: FastifyPluginAsyncTypebox<{
  stations: StationService;
  approvals: StationApprovalService;
  commands: CommandService;
  ocppLog: OcppLogRepository;
  /** Seconds, for the onboarding values of a new station. */
  heartbeatInterval: number;
}> = async (app, { stations, approvals, commands, ocppLog, heartbeatInterval }) => {
  app.addSchema(StationSchema);
  const station = recordRoutes('stations', ChargePointParams, 'Station');

  /** A page of a station's log, once it is known that the caller sees the station (404 otherwise). */
  const logOf = async <T>(
    request: FastifyRequest & { params: { chargePointId: string }; query: Static<typeof PageQuery> },
    list: (chargePointId: string, page: PageRequest) => Promise<Page<T>>,
  ): Promise<Page<T>> => {
    const { chargePointId } = request.params;
    await stations.get(actorOf(request), chargePointId);
    return list(chargePointId, pageOf(request.query));
  };

  app.get(
    '/api/stations',
    station.list(
      'stations.view',
      Type.Object({ ...PageQuery.properties, ...StationFilterSchema.properties }),
    ),
    async (request) => {
      const { registration, status, search, siteId } = request.query;
      const page = await stations.list(actorOf(request), pageOf(request.query), {
        registration,
        status,
        search,
        siteId,
      });
      return mapPage(page, stationView);
    },
  );

  app.post(
    '/api/stations',
    bearerRoute('stations.create', 'stations', {
      body: NewStationSchema,
      response: { 201: CreatedStationSchema, ...errors(400, 401, 403, 409) },
    }),
    async (request, reply) => {
      const { station, generatedOcppPassword } = await stations.create(actorOf(request), request.body);
      return reply.status(201).send({
        ...stationView(station),
        ocppPassword: generatedOcppPassword,
        onboarding: onboardingOf(request, station, heartbeatInterval),
      });
    },
  );

  app.get('/api/stations/:chargePointId', station.read('stations.view', [401, 403, 404]), async (request) =>
    stationView(await stations.get(actorOf(request), request.params.chargePointId)),
  );

  app.patch(
    '/api/stations/:chargePointId',
    station.change('stations.edit', StationChangesSchema, [400, 401, 403, 404]),
    async (request) =>
      stationView(await stations.update(actorOf(request), request.params.chargePointId, request.body)),
  );

  app.delete(
    '/api/stations/:chargePointId',
    station.remove('stations.delete', [401, 403, 404, 409]),
    async (request, reply) =>
      noContent(reply, stations.delete(actorOf(request), request.params.chargePointId)),
  );

  app.post(
    '/api/stations/:chargePointId/approve',
    bearerRoute('stations.edit', 'stations', {
      summary: 'Accept a pending station',
      params: ChargePointParams,
      response: { 200: Type.Ref('Station'), ...errors(401, 403, 404) },
    }),
    async (request) => stationView(await approvals.approve(actorOf(request), request.params.chargePointId)),
  );

  app.get(
    '/api/stations/:chargePointId/messages',
    stationPageRoute(
      'monitoring.view',
      'stations',
      'The OCPP message log of a station, newest first',
      OcppMessageSchema,
    ),
    async (request) => mapPage(await logOf(request, (id, page) => ocppLog.list(id, page)), messageView),
  );

  app.get(
    '/api/stations/:chargePointId/commands',
    stationPageRoute(
      'monitoring.view',
      'commands',
      'The audit trail of commands sent to a station: who, what, the answer; newest first',
      CommandAuditSchema,
    ),
    async (request) =>
      mapPage(await logOf(request, (id, page) => ocppLog.listCommands(id, page)), commandView),
  );

  await app.register(commandRoutes, { commands });
};
