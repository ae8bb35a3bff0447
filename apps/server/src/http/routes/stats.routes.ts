import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { STATION_STATUSES } from '../../domain/station-status.js';
import type { StatsService } from '../../services/stats.service.js';
import { actorOf } from '../access.js';
import { errors } from '../schemas.js';

const security = [{ bearer: [] }];
const Count = Type.Integer({ minimum: 0 });

const StatsSchema = Type.Object({
  stations: Type.Object({
    total: Count,
    connected: Count,
    pending: Type.Integer({ minimum: 0, description: 'unknown charge points waiting for approval' }),
    byStatus: Type.Object(Object.fromEntries(STATION_STATUSES.map((status) => [status, Count]))),
  }),
  transactions: Type.Object({ active: Count }),
  energy: Type.Object(
    {
      todayWh: Type.Number({ description: 'Wh of the transactions completed since 00:00 UTC today' }),
      monthWh: Type.Number({ description: 'Wh of the transactions completed since 00:00 UTC on the 1st' }),
      timezone: Type.Literal('UTC', { description: 'the day and month boundaries are UTC' }),
      todayFrom: Type.String({ format: 'date-time' }),
      monthFrom: Type.String({ format: 'date-time' }),
    },
    {
      description:
        'meterStop − meterStart of completed transactions, by their stoppedAt (the charge point’s time), in [from, next boundary)',
    },
  ),
  generatedAt: Type.String({ format: 'date-time' }),
});

export const statsRoutes: FastifyPluginAsyncTypebox<{ stats: StatsService }> = async (app, { stats }) => {
  app.get(
    '/api/stats',
    {
      config: { access: 'stations.view' },
      schema: {
        tags: ['stations'],
        summary: 'Dashboard figures over the stations the caller may see',
        security,
        response: { 200: StatsSchema, ...errors(401, 403) },
      },
    },
    async (request) => stats.dashboard(actorOf(request)),
  );
};
