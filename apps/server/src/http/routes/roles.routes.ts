import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoleService } from '../../services/role.service.js';
import { actorOf } from '../access.js';
import {
  IdParams,
  NewRoleSchema,
  PageQuery,
  PermissionInfoSchema,
  RoleChangesSchema,
} from '@cimorings/contracts/rest';
import { created, noContent, pageOf, pageRoute, recordRoutes } from '../schemas.js';

/** Pages a list that is small enough to hold whole (roles, permissions). */
function paged<T>(all: T[], query: { limit?: number; offset?: number; page?: number }) {
  const { limit, offset } = pageOf(query);
  return { items: all.slice(offset, offset + limit), total: all.length };
}

export const roleRoutes: FastifyPluginAsyncTypebox<{ roles: RoleService }> = async (app, { roles }) => {
  const role = recordRoutes('roles', IdParams, 'Role');

  app.get('/api/roles', role.list(['users.view', 'roles.manage'], PageQuery), async (request) =>
    paged(await roles.list(), request.query),
  );

  app.post(
    '/api/roles',
    role.create('roles.manage', NewRoleSchema, [400, 401, 403, 409]),
    async (request, reply) => created(reply, roles.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/roles/:id',
    role.change('roles.manage', RoleChangesSchema, [400, 401, 403, 404, 409]),
    async (request) => roles.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/roles/:id',
    role.remove('roles.manage', [400, 401, 403, 404, 409]),
    async (request, reply) => noContent(reply, roles.delete(actorOf(request), request.params.id)),
  );

  app.get(
    '/api/permissions',
    pageRoute(['users.view', 'roles.manage'], 'roles', PageQuery, PermissionInfoSchema),
    async (request) => paged(await roles.listPermissions(), request.query),
  );
};
