/** Charging profiles kept as data, and the composite schedule (CONTRACT section 9). */
import { Type, type Static } from 'typebox';
import { Body, ChargePointId, Nullable, Resource, SQL_INTEGER_MAX } from './common.js';

const Int32 = (options: { minimum?: number; description?: string } = {}) =>
  Type.Integer({ minimum: -SQL_INTEGER_MAX - 1, maximum: SQL_INTEGER_MAX, ...options });
const Instant = Type.String({ format: 'date-time' });
/** ChargingRateUnitType of OCPP 1.6: amperes or watts. */
const ChargingRateUnit = Type.Union([Type.Literal('A'), Type.Literal('W')]);

/** ChargingSchedulePeriod of OCPP 1.6 (§7.9): a limit from `startPeriod` seconds on. */
export const ChargingSchedulePeriodSchema = Body({
  startPeriod: Int32({ minimum: 0, description: 's from the start of the schedule' }),
  limit: Type.Number({ minimum: 0, description: 'in chargingRateUnit, a multiple of 0.1' }),
  numberPhases: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
});
export type ChargingSchedulePeriod = Static<typeof ChargingSchedulePeriodSchema>;

/** ChargingSchedule of OCPP 1.6 (§7.8). */
export const ChargingScheduleSchema = Body({
  duration: Type.Optional(Int32({ minimum: 0, description: 's' })),
  startSchedule: Type.Optional(Instant),
  chargingRateUnit: ChargingRateUnit,
  chargingSchedulePeriod: Type.Array(ChargingSchedulePeriodSchema, { minItems: 1, maxItems: 100 }),
  minChargingRate: Type.Optional(Type.Number({ minimum: 0 })),
});
export type ChargingSchedule = Static<typeof ChargingScheduleSchema>;

/** csChargingProfiles of OCPP 1.6 SetChargingProfile.req (§7.7). */
export const ChargingProfileSchema = Body({
  chargingProfileId: Int32(),
  transactionId: Type.Optional(Int32()),
  stackLevel: Int32({ minimum: 0 }),
  chargingProfilePurpose: Type.Union([
    Type.Literal('ChargePointMaxProfile'),
    Type.Literal('TxDefaultProfile'),
    Type.Literal('TxProfile'),
  ]),
  chargingProfileKind: Type.Union([
    Type.Literal('Absolute'),
    Type.Literal('Recurring'),
    Type.Literal('Relative'),
  ]),
  recurrencyKind: Type.Optional(Type.Union([Type.Literal('Daily'), Type.Literal('Weekly')])),
  validFrom: Type.Optional(Instant),
  validTo: Type.Optional(Instant),
  chargingSchedule: ChargingScheduleSchema,
});
export type ChargingProfile = Static<typeof ChargingProfileSchema>;

/** The body of `POST /api/stations/{id}/charging-profiles`: OCPP 1.6 SetChargingProfile.req. */
export const NewChargingProfileSchema = Body({
  connectorId: Int32({ minimum: 0, description: '0: the whole station' }),
  csChargingProfiles: ChargingProfileSchema,
});
export type NewChargingProfile = Static<typeof NewChargingProfileSchema>;

/** A profile a station accepted and the server keeps (sent again at each boot). */
export const StationChargingProfileSchema = Resource('StationChargingProfile', {
  chargingProfileId: Type.Integer(),
  connectorId: Type.Integer(),
  csChargingProfiles: ChargingProfileSchema,
  status: Type.Literal('installed'),
});
export type StationChargingProfile = Static<typeof StationChargingProfileSchema>;

export const ChargingProfileParams = Type.Object({
  chargePointId: ChargePointId,
  chargingProfileId: Int32(),
});

/** The query of `GET /api/stations/{id}/composite-schedule`. */
export const CompositeScheduleQuery = Type.Object({
  connectorId: Int32({ minimum: 0 }),
  duration: Int32({ minimum: 1, description: 's' }),
  chargingRateUnit: Type.Optional(ChargingRateUnit),
});

/** `GET /api/sites/{id}/load`. */
export const SiteLoadSchema = Resource('SiteLoad', {
  limitKw: Nullable(Type.Number(), {
    description: 'the limit in force; null without one',
  }),
  allocatedKw: Type.Number({ description: 'the sum of the limits given to sessions' }),
  measuredKw: Type.Number({ description: 'the sum of the power the sessions last reported' }),
  sessions: Type.Array(
    Type.Object({
      chargePointId: Type.String(),
      connectorId: Type.Integer(),
      transactionId: Type.Integer(),
      limitKw: Type.Number(),
      powerKw: Nullable(Type.Number()),
      paused: Type.Boolean(),
    }),
  ),
});
export type SiteLoad = Static<typeof SiteLoadSchema>;
