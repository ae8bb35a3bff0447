/** The site resources: `/api/sites`. */
import { Type, type Static } from 'typebox';

const Latitude = Type.Number({ minimum: -90, maximum: 90, description: 'WGS 84 degrees' });
const Longitude = Type.Number({ minimum: -180, maximum: 180, description: 'WGS 84 degrees' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Fields = {
  address: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  latitude: Type.Optional(Type.Union([Latitude, Type.Null()])),
  longitude: Type.Optional(Type.Union([Longitude, Type.Null()])),
};

export const SiteSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    address: Type.Union([Type.String(), Type.Null()]),
    latitude: Type.Union([Type.Number(), Type.Null()]),
    longitude: Type.Union([Type.Number(), Type.Null()]),
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

export type Site = Static<typeof SiteSchema>;
export type NewSite = Static<typeof NewSiteSchema>;
export type SiteChanges = Static<typeof SiteChangesSchema>;
