import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WebhookService } from '../../../services/webhook-service.js';
import { ErrorBody } from '../../schemas/claims.js';
import {
  CreatedWebhook,
  CreateWebhookBody,
  DeliveriesPage,
  DeliveriesQuery,
  DeliveryParams,
  Redelivery,
  WebhookIdParams,
  WebhookList,
  WebhookSecret,
  WebhookView,
} from '../../schemas/webhooks.js';

const notFound = (id: string) => ({ error: 'NOT_FOUND', message: `No webhook ${id}.` });

/**
 * Webhook subscriptions of the calling API key (submitters and admins: the keys that submit
 * claims). A key sees, changes and deletes only its own; another key's is answered 404.
 */
const webhookRoutes: FastifyPluginAsyncZod<{ webhooks: WebhookService }> = async (app, { webhooks }) => {
  const owner = app.requireRole('submitter', 'admin');

  app.post(
    '/webhooks',
    {
      schema: {
        summary: "Subscribe a URL to events of this key's claims; the answer holds the signing secret, shown once",
        body: CreateWebhookBody,
        response: {
          201: CreatedWebhook,
          400: ErrorBody.meta({ description: 'Invalid, or a URL refused (WEBHOOK_URL_REFUSED)' }),
          409: ErrorBody.meta({ description: 'The key has as many subscriptions as a key may have (TOO_MANY_WEBHOOKS)' }),
        },
      },
      onRequest: owner,
    },
    async (request, reply) => {
      const { subscription, secret } = await webhooks.subscribe(request.caller!, request.body);
      return reply
        .code(201)
        .header('location', `/webhooks/${subscription.id}`)
        .send({ ...subscription, secret });
    },
  );

  app.get(
    '/webhooks',
    { schema: { summary: "This key's webhook subscriptions", response: { 200: WebhookList } }, onRequest: owner },
    async (request) => ({
      webhooks: await webhooks.list(request.caller!),
    }),
  );

  app.get(
    '/webhooks/:id',
    { schema: { summary: 'One subscription', params: WebhookIdParams, response: { 200: WebhookView, 404: ErrorBody } }, onRequest: owner },
    async (request, reply) =>
      (await webhooks.find(request.caller!, request.params.id)) ?? reply.code(404).send(notFound(request.params.id)),
  );

  app.delete(
    '/webhooks/:id',
    {
      schema: {
        summary: 'Deletes a subscription: nothing more is sent to it',
        params: WebhookIdParams,
        response: { 204: z.null().meta({ description: 'Deleted' }), 404: ErrorBody },
      },
      onRequest: owner,
    },
    async (request, reply) =>
      (await webhooks.remove(request.caller!, request.params.id))
        ? reply.code(204).send(null)
        : reply.code(404).send(notFound(request.params.id)),
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      schema: {
        summary: 'A new signing secret, shown once; deliveries are signed with it from now on',
        params: WebhookIdParams,
        response: { 200: WebhookSecret, 404: ErrorBody },
      },
      onRequest: owner,
    },
    async (request, reply) => {
      const secret = await webhooks.rotateSecret(request.caller!, request.params.id);
      return secret ? { secret } : reply.code(404).send(notFound(request.params.id));
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        summary: "The subscription's events, newest first, each with its state and every attempt",
        params: WebhookIdParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveriesPage, 404: ErrorBody },
      },
      onRequest: owner,
    },
    async (request, reply) => {
      const { limit, before } = request.query;
      const page = await webhooks.deliveries(request.caller!, request.params.id, { before, limit });
      if (!page) return reply.code(404).send(notFound(request.params.id));
      return {
        deliveries: page.map(({ deliveryId: _, ...view }) => view),
        next: page.length === limit ? page.at(-1)!.deliveryId : null,
      };
    },
  );

  app.post(
    '/webhooks/:id/deliveries/:eventId/redeliver',
    {
      schema: {
        summary: 'Sends an event again, under the same event id, once the earlier events of its claim have gone',
        params: DeliveryParams,
        response: { 202: Redelivery, 404: ErrorBody },
      },
      onRequest: owner,
    },
    async (request, reply) => {
      const { id, eventId } = request.params;
      if (!(await webhooks.redeliver(request.caller!, id, eventId)))
        return reply.code(404).send({ error: 'NOT_FOUND', message: `No event ${eventId} for webhook ${id}.` });
      return reply.code(202).send({ eventId, state: 'pending' as const });
    },
  );
};

export default webhookRoutes;
