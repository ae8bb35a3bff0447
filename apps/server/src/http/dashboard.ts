import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Paths that belong to the server, never to the dashboard's client-side router. */
const SERVER_PREFIXES = ['/api/', '/ocpp/', '/socket.io/', '/metrics'];

/**
 * Serves the built dashboard (`apps/web/dist`) at `/`, with `index.html` for every other
 * non-API path so that the dashboard's own routes survive a reload. Before the dashboard is
 * built, `/` says how to build it.
 */
export async function registerDashboard(app: FastifyInstance, root: string): Promise<void> {
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>CIMORINGS</title><h1>CIMORINGS</h1>' +
            '<p>The dashboard is not built: run <code>npm run build</code>.</p>' +
            '<p>REST API documentation: <a href="/api/docs">/api/docs</a></p>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html' });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    if (SERVER_PREFIXES.some((prefix) => request.url.startsWith(prefix))) {
      return reply.callNotFound();
    }
    return reply.sendFile('index.html');
  });
}
