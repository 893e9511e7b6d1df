import type { Logger } from '../config/logger.js';
import type { WebhookQueue } from '../queue/webhook-queue.js';
import type { WebhooksRepository } from '../store/webhooks-repository.js';

const RELAY_BATCH = 100;

export interface WebhookRelayTimings {
  /** How often new, re-sent and due-again deliveries are handed to the queue. */
  relayMs: number;
  /** How long a failed delivery waits before it gets a fresh round of attempts. */
  retryFailedMs: number;
  /** After how long a handed-over delivery still pending has its job looked up (lost with Redis, or died with its worker); also how often delivered ones past `retentionDays` are deleted. */
  lostAfterMs: number;
  retentionDays: number;
}

/**
 * Moves webhook deliveries from the outbox (written with the claim change they announce) to the
 * queue, each once it is next in its lane (subscription, claim): in every worker, every `relayMs`,
 * and right after a delivery succeeds for what follows it. It also brings back what would
 * otherwise stall: a failed delivery, after `retryFailedMs`, gets a fresh round of attempts (so a
 * receiver down for longer than the queue retries gets everything once it is back); a delivery
 * whose job Redis lost, or whose worker died with it, is handed over again.
 */
export class WebhookRelay {
  private timer: NodeJS.Timeout | null = null;
  private lastLostCheck = 0;

  constructor(
    private readonly ports: { webhooks: WebhooksRepository; queue: WebhookQueue; logger: Logger },
    private readonly timings: WebhookRelayTimings,
  ) {}

  /** Hands every delivery that is next in its lane (of one lane only, when given) to the queue. */
  async relay(lane?: { subscriptionId: string; claimId: string }): Promise<void> {
    for (;;) {
      const relayed = await this.ports.webhooks.relayPending(
        RELAY_BATCH,
        async (deliveries) => {
          for (const d of deliveries) await this.ports.queue.enqueue(d.deliveryId, d.round);
        },
        lane,
      );
      if (relayed < RELAY_BATCH) return;
    }
  }

  /** One pass: failed deliveries due again, lost jobs and old delivered ones (at most every `lostAfterMs`), then the relay. */
  async sweep(): Promise<void> {
    await this.ports.webhooks.failedDueAgain(this.timings.retryFailedMs);
    if (Date.now() - this.lastLostCheck >= this.timings.lostAfterMs) {
      this.lastLostCheck = Date.now();
      await this.handOverLost();
      await this.ports.webhooks.pruneDelivered(this.timings.retentionDays);
    }
    await this.relay();
  }

  private async handOverLost(): Promise<void> {
    const { webhooks, queue, logger } = this.ports;
    for (let after = 0; ;) {
      const stale = await webhooks.relayedBefore(this.timings.lostAfterMs, after, RELAY_BATCH);
      for (const delivery of stale) {
        if ((await queue.standing(delivery.deliveryId, delivery.round)) === 'pending') continue;
        await webhooks.unrelay(delivery);
        logger.info({ deliveryId: delivery.deliveryId }, 'a webhook delivery whose job was lost is handed over again');
      }
      if (stale.length < RELAY_BATCH) return;
      after = stale.at(-1)!.deliveryId;
    }
  }

  start(): void {
    const run = () => {
      this.sweep()
        .catch((error: unknown) => this.ports.logger.warn({ err: error }, 'webhook relay failed; next time'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(run, this.timings.relayMs).unref();
        });
    };
    this.timer = setTimeout(run, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
