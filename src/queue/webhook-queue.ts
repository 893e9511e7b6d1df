import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Webhook deliveries, one job per (delivery, round): apart from the claim stages, so a slow receiver holds up no claim. */
export const WEBHOOK_QUEUE = 'webhooks-deliver';

export interface WebhookJobData {
  deliveryId: number;
  /** The hand-over this job is for (see webhook_deliveries.round). */
  round: number;
}

/** A round handed over twice finds its twin; a delivery handed over again (failed, lost, re-sent) gets a new job. */
export const webhookJobId = (deliveryId: number, round: number) => `webhook-${deliveryId}-${round}`;

/** Where a delivery's job stands: still to run (waiting, delayed for a retry, active), finished, or gone. */
export type WebhookJobStanding = 'pending' | 'finished' | 'missing';

/** The producer side of the delivery queue: each job is retried with exponential backoff, `attempts` times in all. */
export class WebhookQueue {
  readonly queue: Queue<WebhookJobData>;

  constructor(connection: Redis, prefix: string, retries: { attempts: number; backoffMs: number }, onError: (error: Error) => void) {
    this.queue = new Queue<WebhookJobData>(WEBHOOK_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: retries.attempts,
        backoff: { type: 'exponential', delay: retries.backoffMs },
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    this.queue.on('error', onError);
  }

  async enqueue(deliveryId: number, round: number): Promise<void> {
    await this.queue.add('deliver', { deliveryId, round }, { jobId: webhookJobId(deliveryId, round) });
  }

  async standing(deliveryId: number, round: number): Promise<WebhookJobStanding> {
    const job = await this.queue.getJob(webhookJobId(deliveryId, round));
    if (!job) return 'missing';
    const state = await job.getState();
    return state === 'completed' || state === 'failed' ? 'finished' : state === 'unknown' ? 'missing' : 'pending';
  }

  /** Waiting, active, delayed (backing off) and failed deliveries, for metrics. */
  depths(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
