import { SIGNATURE_HEADER, signatureHeader } from '../auth/webhook-signature.js';
import type { WebhookSettings } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ClaimResult } from '../domain/result.js';
import type { WebhookEvent } from '../domain/webhooks.js';
import { DeliveryRefusedError } from '../errors/delivery-refused-error.js';
import { WebhookUrlError } from '../errors/webhook-url-error.js';
import type { SendableDelivery, WebhooksRepository } from '../store/webhooks-repository.js';
import { resultForSubmitter } from './submitter-view.js';
import { checkWebhookUrl } from './webhook-url-guard.js';
import { postWebhook, webhookDispatcher, type SendOutcome } from './webhook-sender.js';
import type { WebhookRelay } from './webhook-relay.js';

export type DeliveryOutcome = 'delivered' | 'not_next' | 'not_pending';

/**
 * Sends one webhook delivery: signed JSON to the subscription's URL, each attempt recorded. Sent
 * only while it is pending and next in its lane, so a claim's events reach a subscriber in the
 * order they happened; once delivered, the next one of its lane is handed to the queue at once.
 */
export class WebhookDeliveryService {
  private readonly dispatcher;

  constructor(
    private readonly ports: {
      webhooks: WebhooksRepository;
      relay: WebhookRelay;
      metrics: Metrics;
      settings: Pick<WebhookSettings, 'allowPrivateUrls' | 'timeoutMs' | 'maxResponseBytes'>;
      logger: Logger;
    },
  ) {
    this.dispatcher = webhookDispatcher(ports.settings.allowPrivateUrls);
  }

  /** Closes the connections kept to receivers. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /**
   * One attempt; `final` when the queue will not try this round again (a refusal then marks the
   * delivery failed, for the relay to hand over later). Throws DeliveryRefusedError when the
   * receiver did not take it.
   */
  async deliver(delivery: { deliveryId: number; round: number }, final: boolean): Promise<DeliveryOutcome> {
    const { webhooks, relay, logger } = this.ports;
    const sendable = await webhooks.sendable(delivery.deliveryId);
    if (sendable?.state !== 'pending') return 'not_pending';
    if (sendable.waitsBehindEarlier) {
      // Handed over again by the relay once what is before it has gone.
      await webhooks.unrelay(delivery);
      return 'not_next';
    }
    const outcome = await this.send(sendable);
    if (outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300) {
      await webhooks.recordAttempt(delivery.deliveryId, outcome, 'delivered');
      this.ports.metrics.webhookAttempts.inc({ outcome: 'delivered' });
      const { lane } = sendable;
      await relay
        .relay(lane)
        .catch((error: unknown) => logger.warn({ err: error, ...lane }, 'could not hand over the next delivery; the relay will'));
      return 'delivered';
    }
    await webhooks.recordAttempt(delivery.deliveryId, outcome, final ? 'failed' : 'retry');
    this.ports.metrics.webhookAttempts.inc({ outcome: final ? 'failed' : 'refused' });
    throw new DeliveryRefusedError(outcome.error ?? `the receiver answered ${outcome.statusCode}`);
  }

  private async send(delivery: SendableDelivery): Promise<SendOutcome> {
    const { settings } = this.ports;
    const body = JSON.stringify(this.eventFor(delivery));
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const url = await checkWebhookUrl(delivery.url, settings.allowPrivateUrls);
      return await postWebhook(
        url,
        body,
        {
          [SIGNATURE_HEADER]: signatureHeader(delivery.secret, timestamp, body),
          'Warranty-Event-Id': delivery.event.id,
          'Warranty-Event-Type': delivery.event.type,
        },
        settings,
        this.dispatcher,
      );
    } catch (error) {
      if (!(error instanceof WebhookUrlError)) throw error;
      return { at: new Date(), durationMs: 0, statusCode: null, error: error.message };
    }
  }

  /** The event as its subscriber may read it: a submitter's carries the result in the submitter's wording. */
  private eventFor({ event, ownerRole }: SendableDelivery): WebhookEvent {
    const { result } = event.data;
    const data =
      ownerRole === 'submitter' && result !== null && typeof result === 'object'
        ? { ...event.data, result: resultForSubmitter(result as ClaimResult) }
        : event.data;
    return { id: event.id, type: event.type, created: event.created, claimId: event.claimId, requestNumber: event.requestNumber, data };
  }
}
