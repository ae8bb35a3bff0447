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
import { bearerRoute, created, errors, noContent, pageOf, recordRoutes } from '../schemas.js';

/** Sites: read with stations.view, written with stations.edit, always within the caller's scope. */
export const siteRoutes: FastifyPluginAsyncTypebox<{ sites: SiteService; loads: LoadManager }> = async (
  app,
  { sites, loads },
) => {
  app.addSchema(SiteSchema);
  app.addSchema(SiteLoadSchema);
  const site = recordRoutes('sites', IdParams, 'Site');

  app.get('/api/sites', site.list('stations.view', SearchPageQuery(100)), async (request) =>
    sites.list(actorOf(request), pageOf(request.query), request.query.search),
  );

  app.post(
    '/api/sites',
    site.create(
      'stations.edit',
      NewSiteSchema,
      [400, 401, 403],
      'Create a site (users who see every station only)',
    ),
    async (request, reply) => created(reply, sites.create(actorOf(request), request.body)),
  );

  app.get('/api/sites/:id', site.read('stations.view', [400, 401, 403, 404]), async (request) =>
    sites.get(actorOf(request), request.params.id),
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
    site.change('stations.edit', SiteChangesSchema, [400, 401, 403, 404]),
    async (request) => sites.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/sites/:id',
    site.remove(
      'stations.edit',
      [400, 401, 403, 404, 409],
      'Delete a site; refused (409) while stations are at it',
    ),
    async (request, reply) => noContent(reply, sites.delete(actorOf(request), request.params.id)),
  );
};
