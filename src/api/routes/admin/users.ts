import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../../../services/account-service.js';
import { ErrorBody } from '../../schemas/claims.js';
import { CreateUserBody, UserView } from '../../schemas/review.js';

/** Admins manage workbench accounts (with an admin API key, like the rest of /admin). */
const userRoutes: FastifyPluginAsyncZod<{ accounts: AccountService }> = async (app, options) => {
  app.post(
    '/admin/users',
    {
      schema: { summary: 'Create a workbench account', body: CreateUserBody, response: { 201: UserView, 400: ErrorBody, 409: ErrorBody } },
      onRequest: app.requireRole('admin'),
    },
    async (request, reply) => {
      const { username, password, role } = request.body;
      return reply.code(201).send(await options.accounts.create(username, password, role));
    },
  );

  app.delete(
    '/admin/users/:username',
    {
      schema: {
        summary: 'Disable an account and end its sessions',
        params: z.object({ username: z.string().max(64) }),
        response: { 204: z.null().meta({ description: 'Disabled' }), 404: ErrorBody },
      },
      onRequest: app.requireRole('admin'),
    },
    async (request, reply) => {
      if (!(await options.accounts.disable(request.params.username))) {
        return reply.code(404).send({ error: 'NOT_FOUND', message: `No active account ${request.params.username}.` });
      }
      return reply.code(204).send(null);
    },
  );
};

export default userRoutes;
