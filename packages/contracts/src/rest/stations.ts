/** The station resources: `/api/stations`, its onboarding values, message log and command trail. */
import { Type, type Static } from 'typebox';
import { OCPP_PASSWORD_MAX_LENGTH, OCPP_VERSIONS, SECURITY_PROFILES, STATION_STATUSES } from '../lists.js';
import { Body, ChargePointId, Literals, Nullable, Resource, RowId, Timestamps } from './common.js';

/** The station field `securityProfile` (CONTRACT section 8). */
export const SecurityProfileSchema = Literals(SECURITY_PROFILES, {
  description:
    'OCPP security profile the station must connect with: 0 none, 1 Basic auth, 2 Basic auth over TLS, ' +
    '3 a TLS client certificate from TLS_CLIENT_CA_FILE whose subject CN is the chargePointId. ' +
    'Default: 1 with a password, else 0',
});

const Registration = Type.Union([Type.Literal('accepted'), Type.Literal('pending')]);
export const StationStatusSchema = Literals(STATION_STATUSES);
const SiteId = RowId({ description: 'a site of /api/sites' });
const MaxPowerKw = Type.Number({ exclusiveMinimum: 0, maximum: 10_000, description: 'kW per connector' });
const Text = (maxLength: number) => Nullable(Type.String({ maxLength }));
const OcppPassword = Type.String({
  minLength: 8,
  maxLength: OCPP_PASSWORD_MAX_LENGTH,
  description: 'OCPP 1.6 AuthorizationKey: 8 to 40 characters',
});

export const ConnectorSchema = Type.Object({
  connectorId: Type.Integer(),
  status: Type.String(),
  errorCode: Type.String(),
  info: Nullable(Type.String()),
  vendorErrorCode: Nullable(Type.String()),
  timestamp: Type.String({ format: 'date-time' }),
});
export type Connector = Static<typeof ConnectorSchema>;

/**
 * The identity a charge point reports in BootNotification.req (OCPP 1.6 §6.3), as the station
 * object holds it: null until its first boot.
 */
const BootIdentityFields = {
  vendor: Nullable(Type.String()),
  model: Nullable(Type.String()),
  serialNumber: Nullable(Type.String()),
  chargeBoxSerialNumber: Nullable(Type.String()),
  firmwareVersion: Nullable(Type.String()),
  iccid: Nullable(Type.String()),
  imsi: Nullable(Type.String()),
  meterType: Nullable(Type.String()),
  meterSerialNumber: Nullable(Type.String()),
};

export const StationSchema = Resource('Station', {
  chargePointId: Type.String(),
  name: Type.String(),
  location: Nullable(Type.String()),
  siteId: Nullable(Type.Integer()),
  maxPowerKw: Nullable(Type.Number(), {
    description: 'kW per connector; null: the highest power measured on it, 22 kW while none is',
  }),
  registration: Registration,
  status: StationStatusSchema,
  /** The error code the charge point reports for itself (connector 0). */
  errorCode: Nullable(Type.String()),
  connected: Type.Boolean(),
  hasOcppPassword: Type.Boolean(),
  securityProfile: SecurityProfileSchema,
  ocppVersion: Literals(OCPP_VERSIONS, {
    description:
      'the OCPP version of its latest connection: 1.6, 2.0.1 or 2.1 (a station that never connected: 1.6)',
  }),
  lastHeartbeat: Nullable(Type.String()),
  lastBootAt: Nullable(Type.String()),
  ...BootIdentityFields,
  diagnosticsStatus: Nullable(Type.String()),
  firmwareStatus: Nullable(Type.String()),
  logStatus: Nullable(Type.String(), {
    description: 'the last LogStatusNotification status (after a GetLog command); null: none yet',
  }),
  signedFirmwareStatus: Nullable(Type.String(), {
    description:
      'the last SignedFirmwareStatusNotification status (after a SignedUpdateFirmware command); null: none yet',
  }),
  localListVersion: Nullable(Type.Integer(), {
    description: 'the local authorization list version the station last accepted; null: none sent',
  }),
  clockSkewSeconds: Nullable(Type.Integer(), {
    description:
      'the station clock minus the server clock (s) when a timestamp it sent was last too far off to believe ' +
      '(before 2015, or over 15 minutes ahead) and the receipt time was used instead; null: none since its last boot',
  }),
  connectors: Type.Array(ConnectorSchema, {
    description: 'the outlets, connector 0 (the station itself) left out',
  }),
  ...Timestamps(),
});
export type Station = Static<typeof StationSchema>;

/** The filters of `GET /api/stations`, besides paging. */
export const StationFilterSchema = Type.Object({
  registration: Type.Optional(Registration),
  status: Type.Optional(StationStatusSchema),
  search: Type.Optional(Type.String({ maxLength: 100 })),
  siteId: Type.Optional(SiteId),
});
export type StationFilters = Static<typeof StationFilterSchema>;

/** The body of `POST /api/stations`. */
export const NewStationSchema = Body({
  chargePointId: ChargePointId,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  siteId: Type.Optional(Nullable(SiteId)),
  maxPowerKw: Type.Optional(Nullable(MaxPowerKw)),
  location: Type.Optional(Text(500)),
  ocppPassword: Type.Optional(
    Nullable(OcppPassword, {
      description:
        'absent: a strong password is generated and answered once; null: no password ' +
        '(not recommended: anyone who knows the id can then connect as the station)',
    }),
  ),
  securityProfile: Type.Optional(SecurityProfileSchema),
});
export type NewStation = Static<typeof NewStationSchema>;

/** The body of `PATCH /api/stations/{chargePointId}`. */
export const StationChangesSchema = Body({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  siteId: Type.Optional(Nullable(SiteId)),
  maxPowerKw: Type.Optional(Nullable(MaxPowerKw)),
  location: Type.Optional(Text(500)),
  ocppPassword: Type.Optional(Nullable(OcppPassword)),
  securityProfile: Type.Optional(SecurityProfileSchema),
});
export type StationChanges = Static<typeof StationChangesSchema>;

/** What to configure on a charger (`GET /api/stations/{chargePointId}/onboarding`). */
export const OnboardingSchema = Type.Object({
  chargePointId: Type.String({ description: 'the identity the charger presents, last part of ocppUrl' }),
  ocppUrl: Type.String({ description: 'the full URL to configure on the charger' }),
  centralSystemUrl: Type.String({
    description: 'the same URL without the identity, for chargers that take the two apart',
  }),
  subprotocol: Type.Literal('ocpp1.6'),
  passwordRequired: Type.Boolean({
    description: 'the charger must send its password by HTTP Basic auth (set it with PATCH ocppPassword)',
  }),
  basicAuthUsername: Nullable(Type.String(), {
    description: 'the Basic auth user name when a password is required: the charge point id',
  }),
  securityProfile: Literals(SECURITY_PROFILES, {
    description:
      'OCPP security profile: 0 none, 1 Basic auth over ws://, 2 Basic auth over wss://, 3 a client certificate over wss://',
  }),
  heartbeatInterval: Type.Integer({ description: 'seconds, as BootNotification.conf will say' }),
  registration: Registration,
});
export type Onboarding = Static<typeof OnboardingSchema>;

/** A station as `POST /api/stations` answers it: with what to configure on the charger, once. */
export const CreatedStationSchema = Type.Object({
  ...StationSchema.properties,
  // The literal union of the shared schema does not survive the spread in TypeBox's static type.
  securityProfile: SecurityProfileSchema,
  ocppPassword: Nullable(Type.String(), {
    description:
      'the password generated for the station: shown only in this answer, stored as a hash. ' +
      'null when the request gave one, or opted out with ocppPassword: null',
  }),
  onboarding: OnboardingSchema,
});
export type CreatedStation = Static<typeof CreatedStationSchema>;

/** One OCPP message of a station's log (`GET /api/stations/{chargePointId}/messages`). */
export const OcppMessageSchema = Type.Object({
  id: Type.Integer(),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  messageType: Type.Integer({ description: '2 CALL, 3 CALLRESULT, 4 CALLERROR, 0 unreadable' }),
  messageId: Type.String(),
  action: Nullable(Type.String()),
  payload: Type.Unknown(),
  timestamp: Type.String(),
});
export type OcppMessage = Static<typeof OcppMessageSchema>;

/** One command of a station's audit trail (`GET /api/stations/{chargePointId}/commands`). */
export const CommandAuditSchema = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  request: Type.Unknown(),
  response: Type.Unknown(),
  outcome: Type.String(),
  userId: Nullable(Type.Integer()),
  username: Nullable(Type.String()),
  sentAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});
export type CommandAudit = Static<typeof CommandAuditSchema>;

/** The body of `POST /api/stations/{chargePointId}/local-list`. */
export const LocalListRequestSchema = Body({
  updateType: Type.Union([Type.Literal('Full'), Type.Literal('Differential')]),
});
export type LocalListRequest = Static<typeof LocalListRequestSchema>;

/** The answer of SendLocalList through `POST /api/stations/{chargePointId}/local-list`. */
export const LocalListResultSchema = Type.Object({
  status: Type.String({
    description: 'the charge point’s answer: Accepted, Failed, NotSupported, VersionMismatch',
  }),
  updateType: Type.String(),
  listVersion: Type.Integer({ description: 'the version sent' }),
  localListVersion: Nullable(Type.Integer(), {
    description: 'the version the station holds now, as far as the server knows',
  }),
  updated: Type.Integer({ description: 'tags sent with their idTagInfo' }),
  removed: Type.Integer({ description: 'tags sent to be removed' }),
});
export type LocalListResult = Static<typeof LocalListResultSchema>;
