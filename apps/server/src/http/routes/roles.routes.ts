import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RoleService } from '../../services/role.service.js';
import { actorOf } from '../access.js';
import {
  IdParams,
  NewRoleSchema,
  PageQuery,
  PageSchema,
  PermissionInfoSchema,
  RoleChangesSchema,
} from '@cimorings/contracts/rest';
import { bearerRoute, errors, pageOf } from '../schemas.js';

/** Pages a list that is small enough to hold whole (roles, permissions). */
function paged<T>(all: T[], query: { limit?: number; offset?: number; page?: number }) {
  const { limit, offset } = pageOf(query);
  return { items: all.slice(offset, offset + limit), total: all.length };
}

export const roleRoutes: FastifyPluginAsyncTypebox<{ roles: RoleService }> = async (app, { roles }) => {
  app.get(
    '/api/roles',
    bearerRoute(['users.view', 'roles.manage'], 'roles', {
      querystring: PageQuery,
      response: { 200: PageSchema(Type.Ref('Role')), ...errors(400, 401, 403) },
    }),
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
      response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => {
      await roles.delete(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/permissions',
    bearerRoute(['users.view', 'roles.manage'], 'roles', {
      querystring: PageQuery,
      response: {
        200: PageSchema(PermissionInfoSchema),
        ...errors(400, 401, 403),
      },
    }),
    async (request) => paged(await roles.listPermissions(), request.query),
  );
};
