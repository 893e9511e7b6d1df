import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ClaimPipeline, type PipelinePorts } from '../../pipelines/claim-pipeline.js';
import type { Config } from '../config/env.js';
import { createLogger, type Logger } from '../config/logger.js';
import type { TesseractEngine } from '../ocr/tesseract-engine.js';
import { loadPolicy } from '../policy/policy-table.js';
import { BatchRunner } from '../reprocess/batch-runner.js';
import { FileReceiptStorage } from '../storage/file-receipt-storage.js';
import type { ReceiptStorage } from '../storage/receipt-storage.js';
import { ClaimsRepository } from '../store/claims-repository.js';
import { configuredDatabase, openDatabase, type Database } from '../store/database.js';
import { CustomerRequestsRepository } from '../store/customer-requests-repository.js';
import { FingerprintRepository } from '../store/fingerprint-repository.js';
import { ReprocessRepository } from '../store/reprocess-repository.js';
import { startOcrPool } from './ocr-pool.js';
import type { OutboxEntry } from '../domain/outbox.js';
import { inspectPdfOnce } from '../intake/pdf-inspection.js';
import { Metrics } from '../observability/metrics.js';
import type { ClaimStage } from '../queue/claim-queues.js';
import { ClaimProcessingService } from '../services/claim-processing-service.js';
import { CustomerDeadlineService } from '../services/customer-deadline-service.js';
import { ClaimSubmissionService, type ClaimView, type DocumentReceipt } from '../services/claim-submission-service.js';
import { OutboxRepository } from '../store/outbox-repository.js';

/**
 * The embedded mode (the `warranty` CLI, the evaluation, the benchmarks): one process, the
 * configured database (PGlite under `<data-dir>/db`, or `DATABASE_URL`), an OCR pool, the policy
 * table, and receipts kept as files under `<data-dir>/receipts`.
 */

export interface EmbeddedRuntime {
  pipeline: ClaimPipeline;
  claims: ClaimsRepository;
  /** Receipt fingerprints the decisions were compared with, for deciding stored claims again. */
  fingerprints: FingerprintRepository;
  ocr: TesseractEngine;
  close(): Promise<void>;
}

/** The data folder's database and an OCR pool, both or neither. */
async function openStoreAndOcr(config: Config): Promise<{ db: Database; ocr: TesseractEngine }> {
  await mkdir(config.dataDir, { recursive: true });
  let db: Database | undefined;
  let ocr: TesseractEngine | undefined;
  try {
    [db, ocr] = await Promise.all([openDatabase(configuredDatabase(config)), startOcrPool(config)]);
  } catch (error) {
    await Promise.allSettled([db?.close(), ocr?.stop()]);
    throw error;
  }
  return { db, ocr };
}

/** Database, OCR pool and policy, wired into the pipeline. `hooks`: the benchmark's stage timer. */
export async function startRuntime(config: Config, hooks: Pick<PipelinePorts, 'onStageTime'> = {}): Promise<EmbeddedRuntime> {
  const policy = loadPolicy(config.policyVersion);
  const { db, ocr } = await openStoreAndOcr(config);
  const claims = new ClaimsRepository(db);
  const fingerprints = new FingerprintRepository(db);
  const pipeline = new ClaimPipeline({
    ocr,
    claims,
    fingerprints,
    policy,
    limits: config.limits,
    defaultCountry: config.defaultCountry,
    today: () => new Date().toISOString().slice(0, 10),
    logger: createLogger(config),
    ...hooks,
  });
  return {
    pipeline,
    claims,
    fingerprints,
    ocr,
    close: async () => {
      await Promise.allSettled([ocr.stop(), db.close()]);
    },
  };
}

/** `warranty add-document`: documents added to claims in the data folder, each run through the machine at once. */
export interface EmbeddedDocumentIntake {
  /** Adds the file as the claim's next document and runs the claim's stages again; the claim as it stands after. */
  add(claimId: string, file: { name: string; bytes: Uint8Array }): Promise<{ receipt: DocumentReceipt; claim: ClaimView }>;
  close(): Promise<void>;
}

/**
 * The API's way in for a document (ClaimSubmissionService: door checks, storage, the claim sent
 * back to reading) and the workers' stage handlers (ClaimProcessingService), wired to run in this
 * process: scheduling a stage runs it, and the re-checks a decision asks for run after it.
 */
export async function openDocumentIntake(config: Config): Promise<EmbeddedDocumentIntake> {
  const policy = loadPolicy(config.policyVersion);
  const { db, ocr } = await openStoreAndOcr(config);
  const logger = createLogger(config);
  const claims = new ClaimsRepository(db);
  const outbox = new OutboxRepository(db);
  const receipts = embeddedReceipts(config);
  const inProcess = {
    enqueue: async (stage: ClaimStage, claimId: string): Promise<void> => {
      await processing.jobs[stage].handle({ claimId }, stage);
    },
  };
  const relay = {
    relay: async () => {
      // Taken from the outbox first, then run: a re-check's own decision may ask for more.
      const due: OutboxEntry[] = [];
      while ((await outbox.relayPending(RECHECKS_AT_ONCE, async (entries) => void due.push(...entries))) === RECHECKS_AT_ONCE);
      for (const entry of due) await processing.recheck(entry.claimId, entry.id);
    },
    done: (entryId: number) => outbox.remove(entryId),
  };
  const processing: ClaimProcessingService = new ClaimProcessingService({
    claims,
    fingerprints: new FingerprintRepository(db),
    receipts,
    queues: inProcess,
    relay,
    ocr,
    policy,
    limits: config.limits,
    defaultCountry: config.defaultCountry,
    metrics: new Metrics('worker'),
    logger,
  });
  const submissions = new ClaimSubmissionService({
    claims,
    requests: new CustomerRequestsRepository(db),
    receipts,
    queues: inProcess,
    limits: config.limits,
    inspectPdf: inspectPdfOnce,
    defaultCountry: config.defaultCountry,
    today: () => new Date().toISOString().slice(0, 10),
    logger,
  });
  const operator = { seesAll: true } as const;
  return {
    add: async (claimId, file) => {
      const receipt = await submissions.addDocument(claimId, file, operator, 'cli');
      return { receipt, claim: (await submissions.view(claimId, operator))! };
    },
    close: async () => {
      await Promise.allSettled([ocr.stop(), db.close()]);
    },
  };
}

const RECHECKS_AT_ONCE = 100;

/** Where `warranty import` keeps receipts and a re-run from the OCR stage finds them again. */
/** The customer-deadline job on the embedded database (`warranty close-overdue`). */
export interface EmbeddedDeadlines {
  service: CustomerDeadlineService;
  close(): Promise<void>;
}

export async function openDeadlines(config: Config): Promise<EmbeddedDeadlines> {
  const db = await openDatabase(configuredDatabase(config));
  const service = new CustomerDeadlineService({ requests: new CustomerRequestsRepository(db), logger: createLogger(config) });
  return { service, close: () => db.close() };
}

export const receiptsDir = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'receipts');

/** The embedded mode's receipt storage: files under `<data-dir>/receipts`. */
export function embeddedReceipts(config: Pick<Config, 'dataDir'>): ReceiptStorage {
  return new FileReceiptStorage(receiptsDir(config));
}

export interface BatchRunnerOptions {
  /** The OCR pool, asked for only when a claim is re-read. */
  ocr: () => Promise<TesseractEngine>;
  chunkSize?: number;
  logger?: Logger;
}

/** A reprocessing runner on `db`, with the receipts `import` kept and every released policy table. */
export function batchRunnerOn(db: Database, config: Config, options: BatchRunnerOptions): BatchRunner {
  return new BatchRunner({
    repo: new ReprocessRepository(db),
    fingerprints: new FingerprintRepository(db),
    policy: loadPolicy,
    receipts: embeddedReceipts(config),
    ocr: options.ocr,
    ocrWorkers: config.ocrWorkers,
    limits: config.limits,
    logger: options.logger ?? createLogger(config),
    chunkSize: options.chunkSize,
  });
}

export interface EmbeddedReprocessing {
  repo: ReprocessRepository;
  runner: BatchRunner;
  close(): Promise<void>;
}

/**
 * `warranty reprocess`'s runner: the configured database, the kept receipts, and an OCR pool
 * started only if a claim is re-read (a re-assessment never starts one).
 */
export async function openReprocessing(config: Config, options: { chunkSize?: number } = {}): Promise<EmbeddedReprocessing> {
  const db = await openDatabase(configuredDatabase(config));
  let ocr: Promise<TesseractEngine> | undefined;
  return {
    repo: new ReprocessRepository(db),
    runner: batchRunnerOn(db, config, { ocr: () => (ocr ??= startOcrPool(config)), chunkSize: options.chunkSize }),
    close: async () => {
      await Promise.allSettled([db.close(), ocr?.then((engine) => engine.stop())]);
    },
  };
}
