import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AuthService } from '../../services/auth.service.js';
import { actorOf } from '../access.js';
import { LoginAnswerSchema, Password } from '@cimorings/contracts/rest';
import { bearerRoute, errors, userView } from '../schemas.js';

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Log in with a username and password',
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 256 }),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: { 200: LoginAnswerSchema, ...errors(400, 401, 429, 503) },
      },
    },
    async (request) => {
      const result = await auth.login(request.body.username, request.body.password, request.ip);
      return { ...result, user: userView(result.user) };
    },
  );

  app.get(
    '/api/auth/me',
    bearerRoute('user', 'auth', {
      summary: 'The user of the token',
      response: { 200: Type.Ref('User'), ...errors(401) },
    }),
    async (request) => userView(actorOf(request)),
  );

  app.post(
    '/api/auth/password',
    bearerRoute('user', 'auth', {
      summary: 'Change your own password; answers a new token, older tokens stop working',
      body: Type.Object({ currentPassword: Type.String({ maxLength: 1024 }), newPassword: Password }),
      response: { 200: LoginAnswerSchema, ...errors(400, 401, 429, 503) },
    }),
    async (request) => {
      const result = await auth.changePassword(
        actorOf(request),
        request.body.currentPassword,
        request.body.newPassword,
        request.ip,
      );
      return { ...result, user: userView(result.user) };
    },
  );
};
