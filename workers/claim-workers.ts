import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/config/logger.js';
import type { Metrics } from '../src/observability/metrics.js';
import {
  CLAIM_STAGES,
  DEADLINES_QUEUE,
  queueName,
  REPROCESS_QUEUE,
  type BatchStepData,
  type ClaimJobData,
} from '../src/queue/claim-queues.js';
import type { CustomerDeadlineService, DeadlineRun } from '../src/services/customer-deadline-service.js';
import type { ReprocessService } from '../src/services/reprocess-service.js';
import type { ClaimProcessingService } from '../src/services/claim-processing-service.js';

export interface ClaimWorkersOptions {
  connection: Redis;
  prefix: string;
  /** A job not renewed for this long is taken over by another worker (its holder is presumed dead). */
  lockMs: number;
  /** How long shutdown waits for running jobs before handing them back. */
  shutdownGraceMs: number;
  metrics: Metrics;
  logger: Logger;
}

/**
 * One BullMQ worker per stage queue, each with the concurrency its handler declares. OCR runs in
 * tesseract.js's worker threads and image work in libuv's pool, so this thread stays free to renew
 * job locks while a page is being read.
 */
export class ClaimWorkers {
  private readonly workers: Worker[];

  constructor(
    service: ClaimProcessingService,
    reprocess: ReprocessService,
    deadlines: CustomerDeadlineService,
    private readonly options: ClaimWorkersOptions,
  ) {
    const stageWorkers = CLAIM_STAGES.map((stage) => {
      const { handle, concurrency } = service.jobs[stage];
      const worker = new Worker<ClaimJobData, string>(queueName(stage), (job) => handle(job.data, job.name), {
        connection: options.connection,
        prefix: options.prefix,
        concurrency,
        lockDuration: options.lockMs,
        stalledInterval: Math.max(1000, Math.floor(options.lockMs / 2)),
        // A job whose worker died twice mid-way is failed visibly rather than retried forever.
        maxStalledCount: 2,
      });
      worker.on('failed', (job, error) => {
        const kind = error instanceof UnrecoverableError || error.name === 'UnrecoverableError' ? 'permanent' : 'transient';
        options.metrics.failures.inc({ stage, kind });
        options.logger.warn(
          { stage, claimId: job?.data.claimId, attempt: job?.attemptsMade, kind, err: error.message },
          'stage job failed',
        );
      });
      worker.on('error', (error) => options.logger.error({ stage, err: error }, 'worker error'));
      return worker;
    });
    // One batch step at a time per process: a batch is background work.
    const batchWorker = new Worker<BatchStepData, string>(REPROCESS_QUEUE, (job) => reprocess.step(job.data.batchId, job.data.round), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: 1,
      lockDuration: options.lockMs,
    });
    batchWorker.on('failed', (job, error) => options.logger.warn({ batch: job?.data.batchId, err: error.message }, 'batch step failed'));
    batchWorker.on('error', (error) => options.logger.error({ err: error }, 'batch worker error'));
    // The customer-deadline job, as of the moment it runs; its return value says what it did. A
    // closing is the claim's last decision, counted under the claim's status (its result says not_eligible).
    const closeOverdue = async (): Promise<DeadlineRun> => {
      const run = await deadlines.closeOverdue(new Date());
      if (run.closed.length) options.metrics.decisions.inc({ status: 'closed' }, run.closed.length);
      return run;
    };
    const deadlineWorker = new Worker<unknown, DeadlineRun>(DEADLINES_QUEUE, closeOverdue, {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: 1,
      lockDuration: options.lockMs,
    });
    deadlineWorker.on('failed', (_job, error) => options.logger.warn({ err: error.message }, 'customer-deadline job failed'));
    deadlineWorker.on('error', (error) => options.logger.error({ err: error }, 'deadline worker error'));
    this.workers = [...stageWorkers, batchWorker, deadlineWorker];
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  /**
   * Graceful stop: take no new jobs, let running ones finish; after the grace period, stop anyway
   * and their locks lapse, so another worker takes them over (nothing is lost, nothing runs twice
   * to completion: every stage checks the claim's status).
   */
  async close(): Promise<void> {
    const graceful = Promise.all(this.workers.map((w) => w.close()));
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), this.options.shutdownGraceMs);
    });
    const outcome = await Promise.race([graceful, expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      this.options.logger.warn('running jobs did not finish in time; handing them back');
      await Promise.all(this.workers.map((w) => w.close(true)));
    }
  }
}
