import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SiteService } from '../../services/site.service.js';
import { actorOf } from '../access.js';
import { errors, IdParams, PageQuery, pageOf, PageSchema } from '../schemas.js';

const security = [{ bearer: [] }];
const Latitude = Type.Number({ minimum: -90, maximum: 90, description: 'WGS 84 degrees' });
const Longitude = Type.Number({ minimum: -180, maximum: 180, description: 'WGS 84 degrees' });
const Fields = {
  address: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  latitude: Type.Optional(Type.Union([Latitude, Type.Null()])),
  longitude: Type.Optional(Type.Union([Longitude, Type.Null()])),
};
const Name = Type.String({ minLength: 1, maxLength: 200 });

const SiteSchema = Type.Object(
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

/** Sites: read with stations.view, written with stations.edit, always within the caller's scope. */
export const siteRoutes: FastifyPluginAsyncTypebox<{ sites: SiteService }> = async (app, { sites }) => {
  app.addSchema(SiteSchema);

  app.get(
    '/api/sites',
    {
      config: { access: 'stations.view' },
      schema: {
        tags: ['sites'],
        security,
        querystring: Type.Object({
          ...PageQuery.properties,
          search: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: { 200: PageSchema(Type.Ref('Site')), ...errors(400, 401, 403) },
      },
    },
    async (request) => sites.list(actorOf(request), pageOf(request.query), request.query.search),
  );

  app.post(
    '/api/sites',
    {
      config: { access: 'stations.edit' },
      schema: {
        tags: ['sites'],
        summary: 'Create a site (users who see every station only)',
        security,
        body: Type.Object({ name: Name, ...Fields }, { additionalProperties: false }),
        response: { 201: Type.Ref('Site'), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => reply.status(201).send(await sites.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/sites/:id',
    {
      config: { access: 'stations.view' },
      schema: {
        tags: ['sites'],
        security,
        params: IdParams,
        response: { 200: Type.Ref('Site'), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => sites.get(actorOf(request), request.params.id),
  );

  app.patch(
    '/api/sites/:id',
    {
      config: { access: 'stations.edit' },
      schema: {
        tags: ['sites'],
        security,
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Name), ...Fields }, { additionalProperties: false }),
        response: { 200: Type.Ref('Site'), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => sites.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/sites/:id',
    {
      config: { access: 'stations.edit' },
      schema: {
        tags: ['sites'],
        summary: 'Delete a site; refused (409) while stations are at it',
        security,
        params: IdParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await sites.delete(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
