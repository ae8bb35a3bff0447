import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Station } from '../../domain/station.js';
import { redactOcppPayload } from '../../domain/ocpp-secrets.js';
import { STATION_STATUSES } from '../../domain/station-status.js';
import type { OcppLogRepository } from '../../repositories/ocpp-log.repository.js';
import { CSMS_ACTIONS, type CommandService } from '../../services/command.service.js';
import type { StationService } from '../../services/station.service.js';
import { actorOf } from '../access.js';
import { parsed } from '../logged-payload.js';
import { OnboardingSchema, onboardingOf } from './station-onboarding.routes.js';
import { SecurityProfileSchema } from './station-security.routes.js';
import { ChargePointId, errors, PageQuery, pageOf, PageSchema, RowId } from '../schemas.js';

const security = [{ bearer: [] }];
const Params = Type.Object({ chargePointId: ChargePointId });
const SiteId = RowId({ description: 'a site of /api/sites' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const OcppPassword = Type.String({
  minLength: 8,
  maxLength: 40,
  description: 'OCPP 1.6 AuthorizationKey: 8 to 40 characters',
});

const ConnectorSchema = Type.Object({
  connectorId: Type.Integer(),
  status: Type.String(),
  errorCode: Type.String(),
  info: Type.Union([Type.String(), Type.Null()]),
  vendorErrorCode: Type.Union([Type.String(), Type.Null()]),
  timestamp: Type.String({ format: 'date-time' }),
});

export const StationSchema = Type.Object(
  {
    chargePointId: Type.String(),
    name: Type.String(),
    location: Type.Union([Type.String(), Type.Null()]),
    siteId: Type.Union([Type.Integer(), Type.Null()]),
    registration: Type.Union([Type.Literal('accepted'), Type.Literal('pending')]),
    status: Type.Union(STATION_STATUSES.map((status) => Type.Literal(status))),
    /** The error code the charge point reports for itself (connector 0). */
    errorCode: Type.Union([Type.String(), Type.Null()]),
    connected: Type.Boolean(),
    hasOcppPassword: Type.Boolean(),
    securityProfile: SecurityProfileSchema,
    lastHeartbeat: Type.Union([Type.String(), Type.Null()]),
    lastBootAt: Type.Union([Type.String(), Type.Null()]),
    vendor: Type.Union([Type.String(), Type.Null()]),
    model: Type.Union([Type.String(), Type.Null()]),
    serialNumber: Type.Union([Type.String(), Type.Null()]),
    chargeBoxSerialNumber: Type.Union([Type.String(), Type.Null()]),
    firmwareVersion: Type.Union([Type.String(), Type.Null()]),
    iccid: Type.Union([Type.String(), Type.Null()]),
    imsi: Type.Union([Type.String(), Type.Null()]),
    meterType: Type.Union([Type.String(), Type.Null()]),
    meterSerialNumber: Type.Union([Type.String(), Type.Null()]),
    diagnosticsStatus: Type.Union([Type.String(), Type.Null()]),
    firmwareStatus: Type.Union([Type.String(), Type.Null()]),
    localListVersion: Type.Union([Type.Integer(), Type.Null()], {
      description: 'the local authorization list version the station last accepted; null: none sent',
    }),
    clockSkewSeconds: Type.Union([Type.Integer(), Type.Null()], {
      description:
        'the station clock minus the server clock (s) when a timestamp it sent was last too far off to believe ' +
        '(before 2015, or over 15 minutes ahead) and the receipt time was used instead; null: none since its last boot',
    }),
    connectors: Type.Array(ConnectorSchema, {
      description: 'the outlets, connector 0 (the station itself) left out',
    }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Station' },
);

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

/** A station as `POST /api/stations` answers it: with what to configure on the charger, once. */
const CreatedStationSchema = Type.Object({
  ...StationSchema.properties,
  // The literal union of the shared schema does not survive the spread in TypeBox's static type.
  status: Type.String({ description: STATION_STATUSES.join(', ') }),
  securityProfile: Type.Integer({ minimum: 0, maximum: 3, description: 'OCPP security profile 0..3' }),
  ocppPassword: Type.Union([Type.String(), Type.Null()], {
    description:
      'the password generated for the station: shown only in this answer, stored as a hash. ' +
      'null when the request gave one, or opted out with ocppPassword: null',
  }),
  onboarding: OnboardingSchema,
});

export const stationRoutes: FastifyPluginAsyncTypebox<{
  stations: StationService;
  commands: CommandService;
  ocppLog: OcppLogRepository;
  /** Seconds, for the onboarding values of a new station. */
  heartbeatInterval: number;
}> = async (app, { stations, commands, ocppLog, heartbeatInterval }) => {
  app.addSchema(StationSchema);

  app.get(
    '/api/stations',
    {
      config: { access: 'stations.view' },
      schema: {
        tags: ['stations'],
        security,
        querystring: Type.Object({
          ...PageQuery.properties,
          registration: Type.Optional(Type.Union([Type.Literal('accepted'), Type.Literal('pending')])),
          status: Type.Optional(Type.Union(STATION_STATUSES.map((status) => Type.Literal(status)))),
          search: Type.Optional(Type.String({ maxLength: 100 })),
          siteId: Type.Optional(SiteId),
        }),
        response: { 200: PageSchema(Type.Ref('Station')), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { registration, status, search, siteId } = request.query;
      const page = await stations.list(actorOf(request), pageOf(request.query), {
        registration,
        status,
        search,
        siteId,
      });
      return { items: page.items.map(stationView), total: page.total };
    },
  );

  app.post(
    '/api/stations',
    {
      config: { access: 'stations.create' },
      schema: {
        tags: ['stations'],
        security,
        body: Type.Object(
          {
            chargePointId: ChargePointId,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            siteId: Type.Optional(Type.Union([SiteId, Type.Null()])),
            location: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
            ocppPassword: Type.Optional(
              Type.Union([OcppPassword, Type.Null()], {
                description:
                  'absent: a strong password is generated and answered once; null: no password ' +
                  '(not recommended: anyone who knows the id can then connect as the station)',
              }),
            ),
            securityProfile: Type.Optional(SecurityProfileSchema),
          },
          { additionalProperties: false },
        ),
        response: { 201: CreatedStationSchema, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { station, generatedOcppPassword } = await stations.create(actorOf(request), request.body);
      return reply.status(201).send({
        ...stationView(station),
        ocppPassword: generatedOcppPassword,
        onboarding: onboardingOf(request, station, heartbeatInterval),
      });
    },
  );

  app.get(
    '/api/stations/:chargePointId',
    {
      config: { access: 'stations.view' },
      schema: {
        tags: ['stations'],
        security,
        params: Params,
        response: { 200: Type.Ref('Station'), ...errors(401, 403, 404) },
      },
    },
    async (request) => stationView(await stations.get(actorOf(request), request.params.chargePointId)),
  );

  app.patch(
    '/api/stations/:chargePointId',
    {
      config: { access: 'stations.edit' },
      schema: {
        tags: ['stations'],
        security,
        params: Params,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            siteId: Type.Optional(Type.Union([SiteId, Type.Null()])),
            location: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
            ocppPassword: Type.Optional(Type.Union([OcppPassword, Type.Null()])),
            securityProfile: Type.Optional(SecurityProfileSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('Station'), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      stationView(await stations.update(actorOf(request), request.params.chargePointId, request.body)),
  );

  app.delete(
    '/api/stations/:chargePointId',
    {
      config: { access: 'stations.delete' },
      schema: {
        tags: ['stations'],
        security,
        params: Params,
        response: { 204: Type.Null(), ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await stations.delete(actorOf(request), request.params.chargePointId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/stations/:chargePointId/approve',
    {
      config: { access: 'stations.edit' },
      schema: {
        tags: ['stations'],
        summary: 'Accept a pending station',
        security,
        params: Params,
        response: { 200: Type.Ref('Station'), ...errors(401, 403, 404) },
      },
    },
    async (request) => stationView(await stations.approve(actorOf(request), request.params.chargePointId)),
  );

  app.get(
    '/api/stations/:chargePointId/messages',
    {
      config: { access: 'monitoring.view' },
      schema: {
        tags: ['stations'],
        summary: 'The OCPP message log of a station, newest first',
        security,
        params: Params,
        querystring: PageQuery,
        response: {
          200: PageSchema(
            Type.Object({
              id: Type.Integer(),
              direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
              messageType: Type.Integer({ description: '2 CALL, 3 CALLRESULT, 4 CALLERROR, 0 unreadable' }),
              messageId: Type.String(),
              action: Type.Union([Type.String(), Type.Null()]),
              payload: Type.Unknown(),
              timestamp: Type.String(),
            }),
          ),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { chargePointId } = request.params;
      await stations.get(actorOf(request), chargePointId);
      const page = await ocppLog.list(chargePointId, pageOf(request.query));
      return {
        // Redacted on write; again on read for what was stored before secrets were redacted.
        items: page.items.map((entry) => ({
          ...entry,
          payload: redactOcppPayload(entry.action, parsed(entry.payload)),
        })),
        total: page.total,
      };
    },
  );

  app.get(
    '/api/stations/:chargePointId/commands',
    {
      config: { access: 'monitoring.view' },
      schema: {
        tags: ['commands'],
        summary: 'The audit trail of commands sent to a station: who, what, the answer; newest first',
        security,
        params: Params,
        querystring: PageQuery,
        response: {
          200: PageSchema(
            Type.Object({
              id: Type.Integer(),
              action: Type.String(),
              request: Type.Unknown(),
              response: Type.Unknown(),
              outcome: Type.String(),
              userId: Type.Union([Type.Integer(), Type.Null()]),
              username: Type.Union([Type.String(), Type.Null()]),
              sentAt: Type.String(),
              finishedAt: Type.Union([Type.String(), Type.Null()]),
            }),
          ),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { chargePointId } = request.params;
      await stations.get(actorOf(request), chargePointId);
      const page = await ocppLog.listCommands(chargePointId, pageOf(request.query));
      return {
        items: page.items.map((entry) => ({
          ...entry,
          request: redactOcppPayload(entry.action, entry.request),
          response: redactOcppPayload(entry.action, entry.response),
        })),
        total: page.total,
      };
    },
  );

  app.post(
    '/api/stations/:chargePointId/commands/:action',
    {
      config: { access: 'stations.control' },
      schema: {
        tags: ['commands'],
        summary: 'Send an OCPP 1.6 command; answers the charge point’s response',
        description: `action: one of ${CSMS_ACTIONS.join(', ')}. The body is the OCPP request payload.`,
        security,
        params: Type.Object({ chargePointId: ChargePointId, action: Type.String({ maxLength: 64 }) }),
        body: Type.Optional(Type.Unknown()),
        response: { 200: Type.Unknown(), ...errors(400, 401, 403, 404, 409, 502, 504) },
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
