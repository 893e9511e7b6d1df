import { z } from 'zod';
import { DELIVERY_STATES, WebhookEventType } from '../../domain/webhooks.js';

export const CreateWebhookBody = z.object({
  url: z.string().url().max(2048).meta({ description: 'https URL that receives the events (POST, JSON, signed)' }),
  events: z.array(WebhookEventType).min(1).meta({ description: 'The event types to receive' }),
  description: z.string().max(500).optional(),
});

export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookEventType),
  description: z.string().nullable(),
  createdAt: z.string(),
});

export const CreatedWebhook = WebhookView.extend({
  secret: z.string().meta({ description: 'whsec_…: the signing secret, shown this once (rotate it to get a new one)' }),
});

export const WebhookList = z.object({ webhooks: z.array(WebhookView) });

export const WebhookSecret = z.object({ secret: z.string().meta({ description: 'The new signing secret, shown this once' }) });

export const WebhookIdParams = z.object({ id: z.string().min(1).max(100) });

export const DeliveryParams = WebhookIdParams.extend({ eventId: z.string().min(1).max(100) });

export const DeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.coerce.number().int().positive().optional().meta({ description: "The previous page's `next`" }),
});

export const DeliveryView = z.object({
  eventId: z.string(),
  type: WebhookEventType,
  claimId: z.string(),
  createdAt: z.string(),
  state: z.enum(DELIVERY_STATES).meta({
    description: 'pending: to send or being retried; delivered: a 2xx came back; failed: its retries ran out, it is sent again later',
  }),
  deliveredAt: z.string().nullable(),
  attempts: z.array(
    z.object({
      at: z.string(),
      durationMs: z.number().int(),
      statusCode: z.number().int().nullable().meta({ description: "The receiver's status code; null when it did not answer" }),
      error: z.string().nullable(),
    }),
  ),
});

export const DeliveriesPage = z.object({
  deliveries: z.array(DeliveryView).meta({ description: 'Newest first' }),
  next: z.number().int().nullable().meta({ description: 'Pass as `before` for the next page; null on the last' }),
});

export const Redelivery = z.object({ eventId: z.string(), state: z.literal('pending') });
