import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { LoadManager } from '../../services/load-manager.js';
import type { SiteService } from '../../services/site.service.js';
import { actorOf } from '../access.js';
import {
  IdParams,
  NewSiteSchema,
  SearchPageQuery,
  SiteChangesSchema,
  SiteLoadSchema,
  SiteSchema,
} from '@cimorings/contracts/rest';
import { bearerRoute, deleteAnswers, errors, noContent, pageOf, pageRoute } from '../schemas.js';

/** Sites: read with stations.view, written with stations.edit, always within the caller's scope. */
export const siteRoutes: FastifyPluginAsyncTypebox<{ sites: SiteService; loads: LoadManager }> = async (
  app,
  { sites, loads },
) => {
  app.addSchema(SiteSchema);
  app.addSchema(SiteLoadSchema);

  app.get(
    '/api/sites',
    pageRoute('stations.view', 'sites', SearchPageQuery(100), Type.Ref('Site')),
    async (request) => sites.list(actorOf(request), pageOf(request.query), request.query.search),
  );

  app.post(
    '/api/sites',
    bearerRoute('stations.edit', 'sites', {
      summary: 'Create a site (users who see every station only)',
      body: NewSiteSchema,
      response: { 201: Type.Ref('Site'), ...errors(400, 401, 403) },
    }),
    async (request, reply) => reply.status(201).send(await sites.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/sites/:id',
    bearerRoute('stations.view', 'sites', {
      params: IdParams,
      response: { 200: Type.Ref('Site'), ...errors(400, 401, 403, 404) },
    }),
    async (request) => sites.get(actorOf(request), request.params.id),
  );

  app.get(
    '/api/sites/:id/load',
    bearerRoute('stations.view', 'sites', {
      summary:
        'The limit in force, what was given to the charging sessions and what they draw (the sessions of the stations the caller sees)',
      params: IdParams,
      response: { 200: Type.Ref('SiteLoad'), ...errors(400, 401, 403, 404) },
    }),
    async (request) => {
      const actor = actorOf(request);
      return loads.load(await sites.get(actor, request.params.id), actor.stationScope);
    },
  );

  app.patch(
    '/api/sites/:id',
    bearerRoute('stations.edit', 'sites', {
      params: IdParams,
      body: SiteChangesSchema,
      response: { 200: Type.Ref('Site'), ...errors(400, 401, 403, 404) },
    }),
    async (request) => sites.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/sites/:id',
    bearerRoute('stations.edit', 'sites', {
      summary: 'Delete a site; refused (409) while stations are at it',
      params: IdParams,
      response: deleteAnswers(400, 401, 403, 404, 409),
    }),
    async (request, reply) => noContent(reply, sites.delete(actorOf(request), request.params.id)),
  );
};
