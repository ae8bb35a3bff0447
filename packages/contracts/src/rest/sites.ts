/** The site resources: `/api/sites`. */
import { Type, type Static, type TSchema } from 'typebox';
import { Body, Nullable, Resource, Timestamps } from './common.js';

const Latitude = Type.Number({ minimum: -90, maximum: 90, description: 'WGS 84 degrees' });
const Longitude = Type.Number({ minimum: -180, maximum: 180, description: 'WGS 84 degrees' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Kw = Type.Number({ minimum: 0, maximum: 1_000_000, description: 'kW' });
const Amperes = (description: string) => Type.Number({ minimum: 0, maximum: 100_000, description });
const HhMm = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  description: 'HH:MM in the site time zone',
});
/** A limit field of a patch: absent (kept), a value, or null (none). */
const OptionalNullable = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

/** A window of the daily limit schedule: `from` after `to` runs over midnight. */
export const LimitWindowSchema = Body({ from: HhMm, to: HhMm, maxPowerKw: Kw });
export type LimitWindow = Static<typeof LimitWindowSchema>;

const Fields = {
  address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  latitude: Type.Optional(Nullable(Latitude)),
  longitude: Type.Optional(Nullable(Longitude)),
  timeZone: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone; default Asia/Jakarta' }),
  ),
  maxPowerKw: OptionalNullable(Kw),
  maxCurrentA: OptionalNullable(Amperes('A per phase')),
  phases: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(3)])),
  voltage: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000, description: 'V per phase' })),
  minCurrentA: Type.Optional(Amperes('the least current a session gets before later arrivals are paused')),
  limitSchedule: OptionalNullable(Type.Array(LimitWindowSchema, { maxItems: 48 })),
};

export const SiteSchema = Resource(
  'Site',
  {
    id: Type.Integer(),
    name: Type.String(),
    address: Nullable(Type.String()),
    latitude: Nullable(Type.Number()),
    longitude: Nullable(Type.Number()),
    timeZone: Type.String(),
    maxPowerKw: Nullable(Type.Number()),
    maxCurrentA: Nullable(Type.Number()),
    phases: Type.Integer(),
    voltage: Type.Number(),
    minCurrentA: Type.Number(),
    limitSchedule: Nullable(Type.Array(LimitWindowSchema)),
    ...Timestamps({ format: 'date-time' }),
  },
  'A place grouping stations; its stations are listed by GET /api/stations?siteId=',
);
export type Site = Static<typeof SiteSchema>;

/** The body of `POST /api/sites`. */
export const NewSiteSchema = Body({ name: Name, ...Fields });
export type NewSite = Static<typeof NewSiteSchema>;

/** The body of `PATCH /api/sites/{id}`. */
export const SiteChangesSchema = Body({ name: Type.Optional(Name), ...Fields });
export type SiteChanges = Static<typeof SiteChangesSchema>;
