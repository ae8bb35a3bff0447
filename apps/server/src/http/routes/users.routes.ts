import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { UserService } from '../../services/user.service.js';
import { actorOf } from '../access.js';
import { IdParams, NewUserSchema, PageQuery, UserChangesSchema } from '@cimorings/contracts/rest';
import { bearerRoute, deleteAnswers, errors, noContent, pageOf, pageRoute, userView } from '../schemas.js';
import { mapPage } from '../../repositories/paging.js';

export const userRoutes: FastifyPluginAsyncTypebox<{ users: UserService }> = async (app, { users }) => {
  app.get('/api/users', pageRoute('users.view', 'users', PageQuery, Type.Ref('User')), async (request) => {
    const page = await users.list(actorOf(request), pageOf(request.query));
    return mapPage(page, userView);
  });

  app.post(
    '/api/users',
    bearerRoute('users.manage', 'users', {
      body: NewUserSchema,
      response: { 201: Type.Ref('User'), ...errors(400, 401, 403, 409) },
    }),
    async (request, reply) => {
      const user = await users.create(actorOf(request), request.body);
      return reply.status(201).send(userView(user));
    },
  );

  app.get(
    '/api/users/:id',
    bearerRoute('users.view', 'users', {
      params: IdParams,
      response: { 200: Type.Ref('User'), ...errors(400, 401, 403, 404) },
    }),
    async (request) => userView(await users.get(actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/users/:id',
    bearerRoute('users.manage', 'users', {
      params: IdParams,
      body: UserChangesSchema,
      response: { 200: Type.Ref('User'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (request) => userView(await users.update(actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/users/:id',
    bearerRoute('users.manage', 'users', {
      params: IdParams,
      response: deleteAnswers(400, 401, 403, 404, 409),
    }),
    async (request, reply) => noContent(reply, users.delete(actorOf(request), request.params.id)),
  );
};
