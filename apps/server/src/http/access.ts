import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasPermission, type Permission } from '@cimorings/contracts';
import type { User } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { AuthService } from '../services/auth.service.js';

/**
 * What a route asks of its caller, declared on every `/api` route (`config.access`):
 * - `none`: nothing, not even the database (health, readiness);
 * - `public`: no token, but the database must be up (login);
 * - `user`: any valid token;
 * - a permission, or a list of which any one will do.
 */
export type Access = 'none' | 'public' | 'user' | Permission | readonly Permission[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The token's holder, set by the access hook on routes that need a token. */
    user: User | null;
  }
}

/** Paths under `/api` served by plugins that declare nothing and need nothing. */
const UNDECLARED_PUBLIC_PREFIXES = ['/api/docs'];

export interface AccessOptions {
  auth: AuthService;
  /** False until the database is migrated and seeded; routes needing it answer 503 before. */
  isDatabaseReady: () => boolean;
}

/**
 * One hook enforces every route's declared access (STYLE convention 10), and a route under
 * `/api` without a declaration stops start-up rather than being served open.
 */
export function registerAccessControl(app: FastifyInstance, options: AccessOptions): void {
  app.decorateRequest('user', null);
  app.addHook('onRoute', (route) => {
    const isApi = route.url.startsWith('/api/') || route.url === '/api';
    if (!isApi || UNDECLARED_PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix))) return;
    if (route.config?.access === undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access`);
    }
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'none') return;
    if (!options.isDatabaseReady()) {
      throw new AppError('DATABASE_UNAVAILABLE', 'The database is not available yet');
    }
    if (access === 'public') return;
    const { user } = await options.auth.authenticate(bearerToken(request));
    request.user = user;
    if (access === 'user') return;
    const anyOf: readonly Permission[] = typeof access === 'string' ? [access] : access;
    if (!anyOf.some((permission) => hasPermission(user.permissions, permission))) {
      throw new AppError('PERMISSION_REQUIRED', `Permission required: ${anyOf.join(' or ')}`, {
        permission: anyOf.length === 1 ? anyOf[0] : anyOf,
      });
    }
  });
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1). */
export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new AppError('UNAUTHORIZED', 'Authorization header missing');
  const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  if (!match?.[1]) throw new AppError('UNAUTHORIZED', 'Authorization header is not a Bearer token');
  return match[1];
}

/** The authenticated caller of a route that declared more than `none` or `public` access. */
export function actorOf(request: FastifyRequest): User {
  if (!request.user) throw new AppError('UNAUTHORIZED', 'Not authenticated');
  return request.user;
}
