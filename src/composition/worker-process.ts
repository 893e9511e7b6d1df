import { createServer, type Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { DistributedConfig } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import { Metrics } from '../observability/metrics.js';
import type { TesseractEngine } from '../ocr/tesseract-engine.js';
import { loadPolicy } from '../policy/policy-table.js';
import { ClaimProcessingService } from '../services/claim-processing-service.js';
import { ClaimRecoveryService } from '../services/claim-recovery-service.js';
import { CustomerDeadlineService } from '../services/customer-deadline-service.js';
import { OutboxRelay } from '../services/outbox-relay.js';
import { WebhookDeliveryService } from '../services/webhook-delivery-service.js';
import { WebhookRelay } from '../services/webhook-relay.js';
import { ClaimWorkers } from '../../workers/claim-workers.js';
import { WebhookWorker } from '../../workers/webhook-worker.js';
import { openDistributedInfrastructure, queueConnection, type DistributedInfrastructure } from './distributed-infrastructure.js';
import { startOcrPool } from './ocr-pool.js';
import { once, type Stoppable } from './shutdown.js';

/**
 * A worker process: every stage queue, the batch queue, the webhook deliveries and the customer-deadline
 * job (with its scheduler), the recovery sweep and the webhook relay, its own metrics port.
 */
export interface WorkerProcess extends Stoppable {
  ocr: TesseractEngine;
  /** The stage handlers, usable without queue workers (tests drive stages in a chosen order). */
  service: ClaimProcessingService;
  /** Starts the queue workers, the recovery sweep and the metrics port; resolves once every queue worker is connected. */
  start(): Promise<void>;
  /** Takes no new jobs; running ones get `WORKER_SHUTDOWN_GRACE_MS` to finish, then are handed back. */
  drain(): Promise<void>;
  /** Drains, then stops the OCR pool and closes its connections (and the infrastructure when it opened it). */
  close(): Promise<void>;
}

/** Webhook deliveries sent at once per worker process: each waits on a receiver, at most the delivery timeout. */
const WEBHOOK_CONCURRENCY = 8;

export interface WorkerOptions {
  /** Infrastructure already open in this process (tests run the API beside): used, and left open at close. */
  infrastructure?: DistributedInfrastructure;
}

export async function composeWorker(config: DistributedConfig, logger: Logger, options: WorkerOptions = {}): Promise<WorkerProcess> {
  const policy = loadPolicy(config.policyVersion);
  const infrastructure = options.infrastructure ?? (await openDistributedInfrastructure(config, logger));
  const closeInfrastructure = options.infrastructure ? async () => {} : () => infrastructure.close();
  let ocr: TesseractEngine;
  try {
    ocr = await startOcrPool(config);
  } catch (error) {
    await closeInfrastructure();
    throw error;
  }
  const metrics = new Metrics('worker');
  const relay = new OutboxRelay({ outbox: infrastructure.outbox, queues: infrastructure.queues, metrics, logger });
  const service = new ClaimProcessingService({
    claims: infrastructure.claims,
    fingerprints: infrastructure.fingerprints,
    receipts: infrastructure.receipts,
    queues: infrastructure.queues,
    relay,
    ocr,
    policy,
    limits: config.limits,
    defaultCountry: config.defaultCountry,
    metrics,
    logger,
  });
  const recovery = new ClaimRecoveryService(
    { claims: infrastructure.claims, queues: infrastructure.queues, relay, policy, metrics, logger },
    config.worker.recoveryIdleMs,
  );
  const webhookRelay = new WebhookRelay(
    { webhooks: infrastructure.webhooks, queue: infrastructure.webhookQueue, logger },
    {
      relayMs: config.webhooks.relayMs,
      retryFailedMs: config.webhooks.retryFailedMs,
      lostAfterMs: config.worker.recoveryIdleMs,
      retentionDays: config.webhooks.retentionDays,
    },
  );
  const deliveries = new WebhookDeliveryService({
    webhooks: infrastructure.webhooks,
    relay: webhookRelay,
    metrics,
    settings: config.webhooks,
    logger,
  });
  let running: { connection: Redis; workers: ClaimWorkers; webhooks: WebhookWorker; metricsServer: Server | null } | null = null;

  const drain = once(async () => {
    recovery.stop();
    webhookRelay.stop();
    await Promise.all([running?.workers.close(), running?.webhooks.close(config.worker.shutdownGraceMs)]);
  });
  return {
    ocr,
    service,
    async start() {
      if (running) return;
      const connection = queueConnection(config, 'worker', logger);
      const workers = new ClaimWorkers(
        service,
        infrastructure.reprocessService(async () => ocr),
        new CustomerDeadlineService({ requests: infrastructure.customerRequests, logger }),
        {
          connection,
          prefix: config.queuePrefix,
          lockMs: config.worker.lockMs,
          shutdownGraceMs: config.worker.shutdownGraceMs,
          metrics,
          logger,
        },
      );
      const webhooks = new WebhookWorker(deliveries, { connection, prefix: config.queuePrefix, concurrency: WEBHOOK_CONCURRENCY, logger });
      running = { connection, workers, webhooks, metricsServer: metricsServer(config, metrics) };
      recovery.start();
      webhookRelay.start();
      await Promise.all([
        workers.waitUntilReady(),
        webhooks.waitUntilReady(),
        infrastructure.queues.scheduleDeadlines(config.worker.deadlinesEveryMs),
      ]);
    },
    drain,
    close: once(async () => {
      try {
        await drain();
      } finally {
        running?.metricsServer?.close();
        await Promise.allSettled([ocr.stop(), deliveries.close(), closeInfrastructure()]);
        running?.connection.disconnect();
      }
    }),
  };
}

/** The worker's own /metrics on `WORKER_METRICS_PORT` (each worker process is scraped on its own); none when unset. */
function metricsServer(config: DistributedConfig, metrics: Metrics): Server | null {
  if (config.worker.metricsPort === undefined) return null;
  return createServer((request, response) => {
    if (request.url !== '/metrics') return void response.writeHead(404).end();
    metrics.render().then(
      ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body),
      () => response.writeHead(500).end(),
    );
  }).listen(config.worker.metricsPort, config.worker.metricsHost);
}
