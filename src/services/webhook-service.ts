import { randomBytes } from 'node:crypto';
import { newSigningSecret } from '../auth/webhook-signature.js';
import type { WebhookEventType } from '../domain/webhooks.js';
import type { ApiKeyOwner } from '../store/api-keys-repository.js';
import type { DeliveryRecord, WebhookSubscription, WebhooksRepository } from '../store/webhooks-repository.js';
import { TooManyWebhooksError } from '../errors/too-many-webhooks-error.js';
import { checkWebhookUrl } from './webhook-url-guard.js';

/** Subscriptions one API key may have: every change of its claims is written once for each. */
export const MAX_WEBHOOKS_PER_KEY = 20;

export interface SubscriptionRequest {
  url: string;
  events: WebhookEventType[];
  description?: string | undefined;
}

/**
 * Webhook subscriptions for the API: each belongs to the API key that made it, hears about the
 * claims its tenant submitted, and is seen, changed and deleted through that key alone.
 */
export class WebhookService {
  constructor(private readonly ports: { webhooks: WebhooksRepository; allowPrivateUrls: boolean }) {}

  /** Makes a subscription; its signing secret is returned here and never again. */
  async subscribe(owner: ApiKeyOwner, request: SubscriptionRequest): Promise<{ subscription: WebhookSubscription; secret: string }> {
    const url = await checkWebhookUrl(request.url, this.ports.allowPrivateUrls);
    const secret = newSigningSecret();
    const subscription = await this.ports.webhooks.create(
      {
        id: `wh_${randomBytes(12).toString('hex')}`,
        apiKeyId: owner.id,
        tenant: owner.name,
        url: url.href,
        events: [...new Set(request.events)],
        description: request.description ?? null,
        secret,
      },
      MAX_WEBHOOKS_PER_KEY,
    );
    if (!subscription)
      throw new TooManyWebhooksError(`An API key may have ${MAX_WEBHOOKS_PER_KEY} webhook subscriptions; delete one first.`);
    return { subscription, secret };
  }

  list(owner: ApiKeyOwner): Promise<WebhookSubscription[]> {
    return this.ports.webhooks.list(owner.id);
  }

  find(owner: ApiKeyOwner, id: string): Promise<WebhookSubscription | null> {
    return this.ports.webhooks.find(id, owner.id);
  }

  remove(owner: ApiKeyOwner, id: string): Promise<boolean> {
    return this.ports.webhooks.remove(id, owner.id);
  }

  /** A new signing secret, returned once; null when the key has no such subscription. */
  async rotateSecret(owner: ApiKeyOwner, id: string): Promise<string | null> {
    const secret = newSigningSecret();
    return (await this.ports.webhooks.rotateSecret(id, owner.id, secret)) ? secret : null;
  }

  deliveries(owner: ApiKeyOwner, id: string, page: { before?: number | undefined; limit: number }): Promise<DeliveryRecord[] | null> {
    return this.ports.webhooks.deliveries(
      id,
      owner.id,
      page.before === undefined ? { limit: page.limit } : { before: page.before, limit: page.limit },
    );
  }

  redeliver(owner: ApiKeyOwner, id: string, eventId: string): Promise<boolean> {
    return this.ports.webhooks.redeliver(id, owner.id, eventId);
  }
}
