import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import type { NodeInfo } from '../../cluster/node-membership.js';
import { errors } from '../schemas.js';

export interface SystemRoutesOptions {
  /** Resolves when the database (and Redis, when configured) answers; rejects otherwise, never for load. */
  checkReady: () => Promise<void>;
  /** The nodes alive now. */
  clusterNodes: () => Promise<NodeInfo[]>;
}

const ClusterNode = Type.Object({
  nodeId: Type.String({ description: 'NODE_ID' }),
  startedAt: Type.String(),
  lastSeenAt: Type.String(),
  stations: Type.Integer({ description: 'station WebSockets the node holds' }),
});

/** Liveness and readiness, for load balancers and orchestrators (CONTRACT section 1). */
export const systemRoutes: FastifyPluginAsyncTypebox<SystemRoutesOptions> = async (
  app,
  { checkReady, clusterNodes },
) => {
  // Load balancers ask these every few seconds per node: their requests are not logged (warn and up only).
  app.get(
    '/api/health',
    {
      logLevel: 'warn',
      config: { access: 'none' },
      schema: {
        tags: ['system'],
        summary: 'The process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/api/ready',
    {
      logLevel: 'warn',
      config: { access: 'none' },
      schema: {
        tags: ['system'],
        summary: 'The node can serve (its database, and Redis when configured, answer): 200, else 503',
        response: { 200: Type.Object({ status: Type.Literal('ready') }), ...errors(503) },
      },
    },
    async () => {
      try {
        await checkReady();
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('DATABASE_UNAVAILABLE', 'The database is not reachable');
      }
      return { status: 'ready' as const };
    },
  );

  app.get(
    '/api/cluster',
    {
      config: { access: 'monitoring.view' },
      schema: {
        tags: ['system'],
        summary: 'The nodes alive now (CONTRACT section 6); one node without Redis lists itself',
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ nodes: Type.Array(ClusterNode) }), ...errors(401, 403) },
      },
    },
    async () => ({ nodes: await clusterNodes() }),
  );
};
