import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StatsSchema } from '@cimorings/contracts/rest';
import type { StatsService } from '../../services/stats.service.js';
import { actorOf } from '../access.js';
import { bearerRoute, errors } from '../schemas.js';

export const statsRoutes: FastifyPluginAsyncTypebox<{ stats: StatsService }> = async (app, { stats }) => {
  app.get(
    '/api/stats',
    bearerRoute('stations.view', 'stations', {
      summary: 'Dashboard figures over the stations the caller may see',
      response: { 200: StatsSchema, ...errors(401, 403) },
    }),
    async (request) => stats.dashboard(actorOf(request)),
  );
};
