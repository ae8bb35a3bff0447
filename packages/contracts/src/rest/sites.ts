/** The site resources: `/api/sites`. */
import { Type, type Static, type TSchema } from 'typebox';

const Latitude = Type.Number({ minimum: -90, maximum: 90, description: 'WGS 84 degrees' });
const Longitude = Type.Number({ minimum: -180, maximum: 180, description: 'WGS 84 degrees' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Kw = Type.Number({ minimum: 0, maximum: 1_000_000, description: 'kW' });
const Amperes = (description: string) => Type.Number({ minimum: 0, maximum: 100_000, description });
const HhMm = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  description: 'HH:MM in the site time zone',
});
const Nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

/** A window of the daily limit schedule: `from` after `to` runs over midnight. */
export const LimitWindowSchema = Type.Object(
  { from: HhMm, to: HhMm, maxPowerKw: Kw },
  { additionalProperties: false },
);

const Fields = {
  address: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  latitude: Type.Optional(Type.Union([Latitude, Type.Null()])),
  longitude: Type.Optional(Type.Union([Longitude, Type.Null()])),
  timeZone: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone; default Asia/Jakarta' }),
  ),
  maxPowerKw: Nullable(Kw),
  maxCurrentA: Nullable(Amperes('A per phase')),
  phases: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(3)])),
  voltage: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000, description: 'V per phase' })),
  minCurrentA: Type.Optional(Amperes('the least current a session gets before later arrivals are paused')),
  limitSchedule: Nullable(Type.Array(LimitWindowSchema, { maxItems: 48 })),
};

export const SiteSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    address: Type.Union([Type.String(), Type.Null()]),
    latitude: Type.Union([Type.Number(), Type.Null()]),
    longitude: Type.Union([Type.Number(), Type.Null()]),
    timeZone: Type.String(),
    maxPowerKw: Type.Union([Type.Number(), Type.Null()]),
    maxCurrentA: Type.Union([Type.Number(), Type.Null()]),
    phases: Type.Integer(),
    voltage: Type.Number(),
    minCurrentA: Type.Number(),
    limitSchedule: Type.Union([Type.Array(LimitWindowSchema), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  {
    $id: 'Site',
    description: 'A place grouping stations; its stations are listed by GET /api/stations?siteId=',
  },
);

/** The body of `POST /api/sites`. */
export const NewSiteSchema = Type.Object({ name: Name, ...Fields }, { additionalProperties: false });
/** The body of `PATCH /api/sites/{id}`. */
export const SiteChangesSchema = Type.Object(
  { name: Type.Optional(Name), ...Fields },
  { additionalProperties: false },
);

export type LimitWindow = Static<typeof LimitWindowSchema>;
export type Site = Static<typeof SiteSchema>;
export type NewSite = Static<typeof NewSiteSchema>;
export type SiteChanges = Static<typeof SiteChangesSchema>;
