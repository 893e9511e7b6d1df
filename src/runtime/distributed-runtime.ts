import type { DistributedConfig } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import { ClaimQueues, redisConnection } from '../queue/claim-queues.js';
import { ReceiptStore } from '../storage/receipt-store.js';
import { ApiKeysRepository } from '../store/api-keys-repository.js';
import { ClaimsRepository } from '../store/claims-repository.js';
import { openDatabase, type Database } from '../store/database.js';
import { ReviewRepository } from '../store/review-repository.js';
import { ReprocessRepository } from '../store/reprocess-repository.js';
import { ReprocessService } from '../services/reprocess-service.js';
import { loadPolicy } from '../policy/policy-table.js';
import type { TesseractEngine } from '../ocr/tesseract-engine.js';
import { UsersRepository } from '../store/users-repository.js';
import { FingerprintRepository } from '../store/fingerprint-repository.js';
import { OutboxRepository } from '../store/outbox-repository.js';

/** What both the API and the workers connect to: Postgres, object storage and the queues. */
export interface DistributedRuntime {
  db: Database;
  claims: ClaimsRepository;
  apiKeys: ApiKeysRepository;
  reviews: ReviewRepository;
  users: UsersRepository;
  fingerprints: FingerprintRepository;
  /** Follow-up jobs written with decisions, for the workers' OutboxRelay. */
  outbox: OutboxRepository;
  receipts: ReceiptStore;
  queues: ClaimQueues;
  /** Reprocessing batches over the queue; `ocr` is the worker's pool (the API never reads receipts). */
  reprocessService(ocr: (() => Promise<TesseractEngine>) | null): ReprocessService;
  close(): Promise<void>;
}

export async function openDistributedRuntime(config: DistributedConfig, logger: Logger): Promise<DistributedRuntime> {
  const db = await openDatabase({ url: config.databaseUrl, schema: config.databaseSchema });
  const receipts = new ReceiptStore(config.s3);
  const onRedisError = (error: Error) => logger.warn({ err: error.message }, 'redis unavailable');
  const producer = redisConnection(config.redisUrl, 'producer', onRedisError);
  const queues = new ClaimQueues(producer, config.queuePrefix, config.jobRetries, onRedisError);
  try {
    await receipts.ensureBucket();
  } catch (error) {
    await Promise.allSettled([db.close(), queues.close()]);
    producer.disconnect();
    throw error;
  }
  const fingerprints = new FingerprintRepository(db);
  return {
    db,
    receipts,
    queues,
    claims: new ClaimsRepository(db),
    apiKeys: new ApiKeysRepository(db),
    reviews: new ReviewRepository(db),
    users: new UsersRepository(db),
    fingerprints,
    outbox: new OutboxRepository(db),
    reprocessService: (ocr) =>
      new ReprocessService({
        repo: new ReprocessRepository(db),
        fingerprints,
        queues,
        policy: loadPolicy,
        logger,
        limits: config.limits,
        ocrWorkers: config.ocrWorkers,
        receipts: { get: (documentHash) => receipts.byHash(documentHash) },
        ocr: ocr ?? (() => Promise.reject(new Error('this process does not read receipts'))),
      }),
    async close() {
      await Promise.allSettled([queues.close(), db.close()]);
      producer.disconnect();
    },
  };
}
