import { randomUUID } from 'node:crypto';
import type { Server as NodeHttpServer } from 'node:http';
import type { Server as TlsServer } from 'node:tls';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { within } from '../domain/deadline.js';
import type { AuthService } from '../services/auth.service.js';
import { registerAccessControl } from './access.js';
import { answerFrameworkError, registerErrorHandler } from './error-handler.js';
import { registerMetrics, type MetricSources } from './metrics.js';
import { ErrorSchema, RoleSchema, UserSchema } from './schemas.js';
import { readTlsOptions, tlsFilesOf, watchTlsFiles } from './tls.js';
import { buildRequestValidator } from './validation.js';

/** A request id from the caller's `X-Request-Id` when it is sane, else a new one. */
function requestId(header: unknown): string {
  return typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header) ? header : randomUUID();
}

/**
 * Connections the kernel holds for the server before it accepts them (Node's default is 511;
 * Linux caps it at net.core.somaxconn, 4096 by default). In a boot storm of 20,000 stations the
 * event loop accepts between turns; with 511 the queue overflowed, the kernel dropped the
 * handshakes it had no room for, and those stations waited for TCP's own retransmission (1 s,
 * then 3 s, 7 s...): the bench's storm took 32 s with the server's core not busy, 17.6 s with 4096.
 */
export const LISTEN_BACKLOG = 4096;

/** The Fastify instance, not listening, that answers with the request's id. */
export function createHttpServer(config: Readonly<Config>, log: FastifyBaseLogger) {
  // TLS_CERT_FILE / TLS_KEY_FILE (CONTRACT section 8): HTTPS, WSS and Socket.IO on the one port.
  const tlsFiles = tlsFilesOf(config);
  const server = Fastify({
    ...(tlsFiles !== null && { https: readTlsOptions(tlsFiles) }),
    loggerInstance: log,
    // TRUST_PROXY (CONTRACT section 1): request.ip is the client behind the trusted proxies only.
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    genReqId: (request) => requestId(request.headers['x-request-id']),
    schemaController: { compilersFactory: { buildValidator: buildRequestValidator } },
    frameworkErrors: answerFrameworkError,
    // Fastify gives a plugin 10 s to load; on a busy two-core machine (a boot storm, CI) loading
    // the routes, the OpenAPI document and the dashboard has taken longer, and a server that
    // refuses to start because the machine is slow helps nobody.
    pluginTimeout: 120_000,
  }).withTypeProvider<TypeBoxTypeProvider>();
  server.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  if (tlsFiles !== null) {
    // An HTTPS server is a tls.Server; Fastify's types know it only as the http.Server it extends.
    const stopWatching = watchTlsFiles(server.server as unknown as TlsServer, tlsFiles, log);
    server.addHook('onClose', async () => stopWatching());
  }
  return server;
}

export type HttpServer = ReturnType<typeof createHttpServer>;

/**
 * What every route relies on: security headers, the one error handler, metrics, the access
 * hook (each route declares its permission) and the OpenAPI document at `/api/docs`.
 */
export async function registerHttpFoundation(
  server: FastifyInstance,
  access: { auth: AuthService; isDatabaseReady: () => boolean },
  metricSources: MetricSources = {},
): Promise<void> {
  await server.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", 'ws:', 'wss:'],
        // The dashboard is often served over plain http on a site's own network; browsers would
        // otherwise rewrite its scripts and sockets to https and fail.
        'upgrade-insecure-requests': null,
      },
    },
  });
  registerErrorHandler(server);
  registerMetrics(server, metricSources);
  registerAccessControl(server, access);

  server.addSchema(ErrorSchema);
  server.addSchema(UserSchema);
  server.addSchema(RoleSchema);
  await server.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'CIMORINGS API',
        description: 'Charging Integration Monitoring System: REST API of the CSMS',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await server.register(swaggerUi, { routePrefix: '/api/docs' });
  server.get('/api/docs/openapi.json', { schema: { hide: true } }, async () => server.swagger());
}

/**
 * Stops accepting connections at once, so that a load balancer sends new ones elsewhere (a
 * refused connection is retried on another node), and closes the idle keep-alive ones.
 * Resolves once every open connection has ended, the upgraded ones included (their owners
 * close them meanwhile), or after `graceMs`, when whatever is left is dropped.
 */
export async function stopAccepting(server: NodeHttpServer, graceMs = 5_000): Promise<void> {
  if (!server.listening) return;
  const ended = new Promise<void>((resolve) => server.close(() => resolve()));
  await within(ended, graceMs, 'the open HTTP connections').catch(() => server.closeAllConnections());
}
