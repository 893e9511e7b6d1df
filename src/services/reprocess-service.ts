import type { Logger } from '../config/logger.js';
import type { Policy } from '../policy/policy-schema.js';
import type { ClaimQueues } from '../queue/claim-queues.js';
import { BatchRunner } from '../reprocess/batch-runner.js';
import type { RerunPorts } from '../reprocess/rerun-stages.js';
import type { FingerprintRepository } from '../store/fingerprint-repository.js';
import type { Batch, BatchSpec, ReprocessRepository } from '../store/reprocess-repository.js';

/** Small chunks: each is one transaction, and live intake gets its turn between them. */
const DISTRIBUTED_CHUNK = 100;
/** How long a batch step waits when live claims are queued for OCR. */
const YIELD_MS = 2000;

export interface ReprocessPorts extends RerunPorts {
  repo: ReprocessRepository;
  fingerprints: FingerprintRepository;
  queues: ClaimQueues;
  policy: (version: string) => Policy;
  logger: Logger;
}

export interface BatchProgress extends Batch {
  outcomes: Record<string, number>;
}

/**
 * Reprocessing over the queue: the API freezes a batch and queues its first step; a worker does one
 * chunk per step job and queues the next. Live intake keeps priority: a step finding live claims
 * waiting for OCR puts itself off instead of competing with them.
 */
export class ReprocessService {
  private readonly runner: BatchRunner;

  constructor(private readonly ports: ReprocessPorts) {
    this.runner = new BatchRunner({ ...ports, chunkSize: DISTRIBUTED_CHUNK });
  }

  /** Starts (or resumes, when the same re-run is unfinished) a batch and queues its next step. */
  async start(spec: BatchSpec): Promise<{ batch: Batch; resumed: boolean }> {
    const started = await this.runner.startBatch(spec);
    // A new chain of steps: a resumed batch's old step ids may still be kept as completed.
    await this.ports.queues.enqueueBatchStep(started.batch.id, Date.now());
    return started;
  }

  async progress(batchId: string): Promise<BatchProgress | null> {
    const batch = await this.ports.repo.getBatch(batchId);
    if (!batch) return null;
    const outcomes: Record<string, number> = {};
    for (const o of await this.ports.repo.outcomes(batchId)) outcomes[o.outcome] = (outcomes[o.outcome] ?? 0) + 1;
    return { ...batch, outcomes };
  }

  /** The job handler: one chunk, then the next step is queued; at the end the batch is marked finished. */
  async step(batchId: string, round: number): Promise<string> {
    const batch = await this.ports.repo.getBatch(batchId);
    if (!batch || batch.finished) return 'nothing to do';
    if ((await this.ports.queues.liveReadBacklog()) > 0) {
      await this.ports.queues.enqueueBatchStep(batchId, round + 1, YIELD_MS);
      return 'yielded to live intake';
    }
    const done = await this.runner.step(batch);
    if (done === 0) {
      await this.ports.repo.finish(batchId);
      this.ports.logger.info({ batch: batchId }, 'reprocessing batch finished');
      return 'finished';
    }
    await this.ports.queues.enqueueBatchStep(batchId, round + 1);
    return `${done} claims`;
  }
}
