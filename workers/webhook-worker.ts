import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/config/logger.js';
import { WEBHOOK_QUEUE, type WebhookJobData } from '../src/queue/webhook-queue.js';
import type { WebhookDeliveryService } from '../src/services/webhook-delivery-service.js';

export interface WebhookWorkerOptions {
  connection: Redis;
  prefix: string;
  /** Deliveries sent at once by this process: waiting on receivers, not on the CPU. */
  concurrency: number;
  logger: Logger;
}

/** The BullMQ worker of the delivery queue: one attempt per job run, retried with the queue's backoff. */
export class WebhookWorker {
  private readonly worker: Worker<WebhookJobData, string>;

  constructor(service: WebhookDeliveryService, options: WebhookWorkerOptions) {
    this.worker = new Worker<WebhookJobData, string>(
      WEBHOOK_QUEUE,
      (job) => {
        // attemptsMade counts the attempts before this one.
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        return service.deliver(job.data, final);
      },
      { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency },
    );
    this.worker.on('failed', (job, error) =>
      options.logger.info(
        { deliveryId: job?.data.deliveryId, attempt: job?.attemptsMade, err: error.message },
        'webhook delivery not taken',
      ),
    );
    this.worker.on('error', (error) => options.logger.error({ err: error }, 'webhook worker error'));
  }

  async waitUntilReady(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  /**
   * Takes no new deliveries and lets running ones finish for up to `graceMs`, then stops anyway: an
   * attempt cut off is recorded by no one, its job's lock lapses and it is sent again (at least once).
   */
  async close(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), graceMs);
    });
    const outcome = await Promise.race([this.worker.close(), expired]);
    clearTimeout(timer);
    if (outcome === 'expired') await this.worker.close(true);
  }
}
