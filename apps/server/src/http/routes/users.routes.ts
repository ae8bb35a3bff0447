import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { UserService } from '../../services/user.service.js';
import { actorOf } from '../access.js';
import { IdParams, NewUserSchema, PageQuery, UserChangesSchema } from '@cimorings/contracts/rest';
import { created, noContent, pageOf, recordRoutes, userView } from '../schemas.js';
import { mapPage } from '../../repositories/paging.js';

export const userRoutes: FastifyPluginAsyncTypebox<{ users: UserService }> = async (app, { users }) => {
  const user = recordRoutes('users', IdParams, 'User');

  app.get('/api/users', user.list('users.view', PageQuery), async (request) => {
    const page = await users.list(actorOf(request), pageOf(request.query));
    return mapPage(page, userView);
  });

  app.post(
    '/api/users',
    user.create('users.manage', NewUserSchema, [400, 401, 403, 409]),
    async (request, reply) => created(reply, users.create(actorOf(request), request.body).then(userView)),
  );

  app.get('/api/users/:id', user.read('users.view', [400, 401, 403, 404]), async (request) =>
    userView(await users.get(actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/users/:id',
    user.change('users.manage', UserChangesSchema, [400, 401, 403, 404, 409]),
    async (request) => userView(await users.update(actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/users/:id',
    user.remove('users.manage', [400, 401, 403, 404, 409]),
    async (request, reply) => noContent(reply, users.delete(actorOf(request), request.params.id)),
  );
};
