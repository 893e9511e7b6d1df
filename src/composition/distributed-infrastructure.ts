import type { Redis } from 'ioredis';
import type { DistributedConfig } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import type { TesseractEngine } from '../ocr/tesseract-engine.js';
import { loadPolicy } from '../policy/policy-table.js';
import { ClaimQueues, redisConnection } from '../queue/claim-queues.js';
import { WebhookQueue } from '../queue/webhook-queue.js';
import { ReprocessService } from '../services/reprocess-service.js';
import type { ReceiptStorage } from '../storage/receipt-storage.js';
import { S3ReceiptStorage } from '../storage/s3-receipt-storage.js';
import { ApiKeysRepository } from '../store/api-keys-repository.js';
import { ClaimsRepository } from '../store/claims-repository.js';
import { CustomerRequestsRepository } from '../store/customer-requests-repository.js';
import { openDatabase, type Database, type DatabaseOptions } from '../store/database.js';
import { FingerprintRepository } from '../store/fingerprint-repository.js';
import { OutboxRepository } from '../store/outbox-repository.js';
import { ReprocessRepository } from '../store/reprocess-repository.js';
import { ReviewRepository } from '../store/review-repository.js';
import { UsersRepository } from '../store/users-repository.js';
import { WebhooksRepository } from '../store/webhooks-repository.js';

/** What both the API and the workers connect to: PostgreSQL, object storage and the queues. */
export interface DistributedInfrastructure {
  db: Database;
  claims: ClaimsRepository;
  apiKeys: ApiKeysRepository;
  reviews: ReviewRepository;
  /** Requests to customers and their deadlines. */
  customerRequests: CustomerRequestsRepository;
  users: UsersRepository;
  fingerprints: FingerprintRepository;
  /** Follow-up jobs written with decisions, for the workers' OutboxRelay. */
  outbox: OutboxRepository;
  receipts: ReceiptStorage;
  queues: ClaimQueues;
  /** Webhook subscriptions and their deliveries' outbox. */
  webhooks: WebhooksRepository;
  /** The webhook delivery queue (its producer side). */
  webhookQueue: WebhookQueue;
  /** Reprocessing batches over the queue; `ocr` is the worker's pool (the API never reads receipts). */
  reprocessService(ocr: (() => Promise<TesseractEngine>) | null): ReprocessService;
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  /** Another database than the configured PostgreSQL (tests of the API on embedded PGlite). */
  database?: DatabaseOptions;
  /**
   * Create the bucket at start (default). Off only where object storage is meant to be absent: a
   * test of how readiness reports it.
   */
  prepareStorage?: boolean;
}

/** Redis outages are logged, not thrown: ioredis reconnects, and the recovery sweep catches up. */
const redisUnavailable = (logger: Logger) => (error: Error) => logger.warn({ err: error.message }, 'redis unavailable');

/** A Redis connection for `role` (BullMQ's settings for producers and for workers). */
export function queueConnection(config: DistributedConfig, role: 'worker' | 'producer', logger: Logger): Redis {
  return redisConnection(config.redisUrl, role, redisUnavailable(logger));
}

export async function openDistributedInfrastructure(
  config: DistributedConfig,
  logger: Logger,
  options: InfrastructureOptions = {},
): Promise<DistributedInfrastructure> {
  const db = await openDatabase(options.database ?? { url: config.databaseUrl, schema: config.databaseSchema });
  const receipts = new S3ReceiptStorage(config.s3);
  const producer = queueConnection(config, 'producer', logger);
  const queues = new ClaimQueues(producer, config.queuePrefix, config.jobRetries, redisUnavailable(logger));
  const webhookQueue = new WebhookQueue(producer, config.queuePrefix, config.webhooks, redisUnavailable(logger));
  const close = async () => {
    await Promise.allSettled([queues.close(), webhookQueue.close(), db.close()]);
    producer.disconnect();
  };
  if (options.prepareStorage ?? true) {
    try {
      await receipts.prepare();
    } catch (error) {
      await close();
      throw error;
    }
  }
  const fingerprints = new FingerprintRepository(db);
  return {
    db,
    receipts,
    queues,
    claims: new ClaimsRepository(db),
    apiKeys: new ApiKeysRepository(db),
    reviews: new ReviewRepository(db),
    customerRequests: new CustomerRequestsRepository(db),
    users: new UsersRepository(db),
    fingerprints,
    outbox: new OutboxRepository(db),
    webhooks: new WebhooksRepository(db),
    webhookQueue,
    reprocessService: (ocr) =>
      new ReprocessService({
        repo: new ReprocessRepository(db),
        fingerprints,
        queues,
        policy: loadPolicy,
        logger,
        limits: config.limits,
        ocrWorkers: config.ocrWorkers,
        receipts,
        ocr: ocr ?? (() => Promise.reject(new Error('this process does not read receipts'))),
      }),
    close,
  };
}
