import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RoleService } from '../../services/role.service.js';
import { actorOf } from '../access.js';
import {
  IdParams,
  NewRoleSchema,
  PageQuery,
  PermissionInfoSchema,
  RoleChangesSchema,
} from '@cimorings/contracts/rest';
import { bearerRoute, deleteAnswers, errors, noContent, pageOf, pageRoute } from '../schemas.js';

/** Pages a list that is small enough to hold whole (roles, permissions). */
function paged<T>(all: T[], query: { limit?: number; offset?: number; page?: number }) {
  const { limit, offset } = pageOf(query);
  return { items: all.slice(offset, offset + limit), total: all.length };
}

export const roleRoutes: FastifyPluginAsyncTypebox<{ roles: RoleService }> = async (app, { roles }) => {
  app.get(
    '/api/roles',
    pageRoute(['users.view', 'roles.manage'], 'roles', PageQuery, Type.Ref('Role')),
    async (request) => paged(await roles.list(), request.query),
  );

  app.post(
    '/api/roles',
    bearerRoute('roles.manage', 'roles', {
      body: NewRoleSchema,
      response: { 201: Type.Ref('Role'), ...errors(400, 401, 403, 409) },
    }),
    async (request, reply) => reply.status(201).send(await roles.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/roles/:id',
    bearerRoute('roles.manage', 'roles', {
      params: IdParams,
      body: RoleChangesSchema,
      response: { 200: Type.Ref('Role'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (request) => roles.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/roles/:id',
    bearerRoute('roles.manage', 'roles', {
      params: IdParams,
      response: deleteAnswers(400, 401, 403, 404, 409),
    }),
    async (request, reply) => noContent(reply, roles.delete(actorOf(request), request.params.id)),
  );

  app.get(
    '/api/permissions',
    pageRoute(['users.view', 'roles.manage'], 'roles', PageQuery, PermissionInfoSchema),
    async (request) => paged(await roles.listPermissions(), request.query),
  );
};
