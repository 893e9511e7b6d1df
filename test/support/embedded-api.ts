import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { workbenchPorts } from '../../src/api/workbench-ports.js';
import { loadConfig, requireDistributed, type DistributedConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/config/logger.js';
import { API_PDF_CHECKS, PdfInspectionPool } from '../../src/intake/pdf-inspection-pool.js';
import { Metrics } from '../../src/observability/metrics.js';
import { loadPolicy } from '../../src/policy/policy-table.js';
import { ClaimQueues, redisConnection } from '../../src/queue/claim-queues.js';
import type { DistributedRuntime } from '../../src/runtime/distributed-runtime.js';
import { ClaimSubmissionService } from '../../src/services/claim-submission-service.js';
import { ReprocessService } from '../../src/services/reprocess-service.js';
import { ReceiptStore } from '../../src/storage/receipt-store.js';
import { ApiKeysRepository } from '../../src/store/api-keys-repository.js';
import { ClaimsRepository } from '../../src/store/claims-repository.js';
import { openDatabase } from '../../src/store/database.js';
import { FingerprintRepository } from '../../src/store/fingerprint-repository.js';
import { OutboxRepository } from '../../src/store/outbox-repository.js';
import { ReprocessRepository } from '../../src/store/reprocess-repository.js';
import { ReviewRepository } from '../../src/store/review-repository.js';
import { UsersRepository } from '../../src/store/users-repository.js';
import { freePort, REDIS_URL } from './distributed-env.js';
import { startS3Server } from './s3-server.js';

/**
 * The whole API app for `app.inject`, on the embedded database (PGlite), for checks of who may do
 * what: no server, no workers. The queues are on the machine's Redis under a private prefix.
 */
export interface EmbeddedApi {
  app: FastifyInstance;
  runtime: DistributedRuntime;
  config: DistributedConfig;
  /** The address where object storage would be, as a readiness failure names it. */
  storageEndpoint: string;
  close(): Promise<void>;
}

/**
 * `storage`: an S3-protocol server on loopback, for checks that submit claims; without it object
 * storage is an address where nothing answers.
 */
export async function startEmbeddedApi(options: { storage?: boolean; env?: Record<string, string> } = {}): Promise<EmbeddedApi> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'embedded-api-'));
  const s3 = options.storage ? await startS3Server() : null;
  const storageEndpoint = s3?.endpoint ?? `http://127.0.0.1:${await freePort()}`;
  const config = requireDistributed(
    loadConfig({
      DATABASE_URL: 'postgres://unused.invalid/embedded',
      REDIS_URL,
      QUEUE_PREFIX: `e-${randomUUID().slice(0, 8)}`,
      S3_ENDPOINT: storageEndpoint,
      S3_ACCESS_KEY: s3?.accessKey ?? 'unused',
      S3_SECRET_KEY: s3?.secretKey ?? 'unused',
      WARRANTY_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ...options.env,
    }),
  );
  const logger = createLogger(config);
  const db = await openDatabase({ dataDir: path.join(dataDir, 'db') });
  const onRedisError = (error: Error) => logger.warn({ err: error.message }, 'redis unavailable');
  const producer = redisConnection(config.redisUrl, 'producer', onRedisError);
  const queues = new ClaimQueues(producer, config.queuePrefix, config.jobRetries, onRedisError);
  const receipts = new ReceiptStore(config.s3);
  if (s3) await receipts.ensureBucket();
  const fingerprints = new FingerprintRepository(db);
  const runtime: DistributedRuntime = {
    db,
    receipts,
    queues,
    claims: new ClaimsRepository(db),
    apiKeys: new ApiKeysRepository(db),
    reviews: new ReviewRepository(db),
    users: new UsersRepository(db),
    fingerprints,
    outbox: new OutboxRepository(db),
    reprocessService: () =>
      new ReprocessService({
        repo: new ReprocessRepository(db),
        fingerprints,
        queues,
        policy: loadPolicy,
        logger,
        limits: config.limits,
        ocrWorkers: 1,
        receipts: { get: () => Promise.resolve(null) },
        ocr: () => Promise.reject(new Error('no OCR here')),
      }),
    async close() {
      await Promise.allSettled([queues.close(), db.close()]);
      producer.disconnect();
    },
  };
  const pdfChecks = new PdfInspectionPool(API_PDF_CHECKS);
  const app = await buildApp({
    submissions: new ClaimSubmissionService({
      claims: runtime.claims,
      receipts,
      queues,
      limits: config.limits,
      inspectPdf: pdfChecks.inspect,
      defaultCountry: config.defaultCountry,
      today: () => '2025-06-01',
      logger,
    }),
    claims: runtime.claims,
    apiKeys: runtime.apiKeys,
    receipts,
    queues,
    db,
    metrics: new Metrics('api'),
    logger,
    maxFileBytes: config.limits.maxFileBytes,
    settings: config.api,
    ...workbenchPorts(config, runtime),
    reprocess: runtime.reprocessService(null),
  });
  await app.ready();
  return {
    app,
    runtime,
    config,
    storageEndpoint,
    async close() {
      await app.close();
      await pdfChecks.close();
      await Promise.all([...Object.values(queues.queues), queues.reprocess].map((q) => q.obliterate({ force: true }).catch(() => {})));
      await runtime.close();
      await s3?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A multipart POST /claims through `app.inject`, as a client sends it. */
export async function injectClaim(
  app: FastifyInstance,
  key: string,
  fields: Record<string, string>,
  receipt: { name: string; bytes: Uint8Array },
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('receipt', new Blob([new Uint8Array(receipt.bytes)]), receipt.name);
  const request = new Request('http://api.invalid/claims', { method: 'POST', body: form });
  const response = await app.inject({
    method: 'POST',
    url: '/claims',
    headers: { authorization: `Bearer ${key}`, 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()),
  });
  return { status: response.statusCode, body: response.json() };
}
