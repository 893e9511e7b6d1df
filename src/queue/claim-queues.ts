import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { OutboxEntry } from '../domain/outbox.js';

/** Thrown by a job handler for a failure no retry can fix: BullMQ fails the job at once. */
export { UnrecoverableError } from 'bullmq';

/** The distributed stages, one queue each, so the light ones are never stuck behind OCR. */
export const CLAIM_STAGES = ['read', 'extract', 'decide'] as const;
export type ClaimStage = (typeof CLAIM_STAGES)[number];

/** Jobs carry the claim id only: forms and receipts stay in Postgres and object storage. */
export interface ClaimJobData {
  claimId: string;
  /** A follow-up job's outbox entry, removed once the job has done its work. */
  outboxId?: number;
}

/** The job name on the decide queue for a decision made again (see enqueueRecheck). */
export const RECHECK_JOB = 'recheck';

/** BullMQ's failedReason for a job whose workers died under it more often than maxStalledCount allows. */
export const STALLED_OUT_REASON = 'job stalled more than allowable limit';

/**
 * Where a job stands in Redis, as far as getting its work done goes: gone, still to run (waiting,
 * delayed, active), worth running again, or failed for a reason that trying again cannot mend.
 * - retryable, retries_exhausted: every attempt met a passing fault (storage or database away);
 *   completed: it finished without moving its claim on.
 * - failed_for_good, worker_crashes: the workers running it died under it, again and again;
 *   permanent: its handler found it hopeless (UnrecoverableError) before its attempts ran out.
 */
export type JobStanding =
  | { state: 'missing' }
  | { state: 'pending' }
  | { state: 'retryable'; cause: 'retries_exhausted' | 'completed' }
  | { state: 'failed_for_good'; cause: 'worker_crashes' | 'permanent'; reason: string };

export const queueName = (stage: ClaimStage) => `claims-${stage}`;

/** Reprocessing batches: one step (a chunk of claims) per job, apart from live intake. */
export const REPROCESS_QUEUE = 'claims-reprocess';
export interface BatchStepData {
  batchId: string;
  /** The step's number: each step queues the next, so job ids stay deterministic. */
  round: number;
}

/** The customer-deadline job (CustomerDeadlineService.closeOverdue), one queue of its own, run by a job scheduler. */
export const DEADLINES_QUEUE = 'claims-deadlines';
/** The scheduler's id: upserting it again (every worker at start) keeps one schedule, with the latest period. */
export const DEADLINES_SCHEDULER = 'close-overdue';

/**
 * One job per claim, stage and round: a re-delivered or re-submitted job finds its twin instead of
 * doing the work twice. A claim's round is the number of its latest document (0: the first upload),
 * so a document added later runs the stages again under new ids while the first round's jobs are
 * still kept; the first round keeps the id it always had. ('@' is escaped in an encoded claim id, so
 * no claim's id reads as another's round; BullMQ ids may not contain ':', claim ids from clients may.)
 */
export const jobIdFor = (stage: ClaimStage, claimId: string, round: number) =>
  `${stage}-${encodeURIComponent(claimId)}${round === 0 ? '' : `@${round}`}`;

/** A claim's round for its stage jobs: the number of its latest document, 0 without one. */
export const roundOf = (documents: number) => Math.max(documents - 1, 0);

/** One job per outbox entry: relaying an entry twice finds its twin. */
export const recheckJobId = (entry: OutboxEntry) => `recheck-${encodeURIComponent(entry.claimId)}-${entry.id}`;

/** How often a stage job is tried, and the pause before its first retry (then doubling). */
export interface JobRetries {
  attempts: number;
  backoffMs: number;
}

/**
 * Transient faults (storage or database away) are retried with growing, jittered pauses: by default
 * 9 attempts from 500 ms, ~4 min in all.
 */
export const stageJobOptions = ({ attempts, backoffMs }: JobRetries): JobsOptions => ({
  attempts,
  backoff: { type: 'exponential', delay: backoffMs, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
});

/**
 * Redis as BullMQ's production guide asks: workers wait for Redis however long it is away
 * (maxRetriesPerRequest null); producers fail fast so an HTTP request is not held by an outage.
 */
export function redisConnection(url: string, role: 'worker' | 'producer', onError: (error: Error) => void): Redis {
  const redis =
    role === 'worker'
      ? new Redis(url, { maxRetriesPerRequest: null })
      : new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // ioredis reconnects by itself; the listener keeps an outage from being an unhandled 'error' event.
  redis.on('error', onError);
  return redis;
}

/** The producer side of the stage queues: the only module that adds claim jobs. */
export class ClaimQueues {
  readonly queues: Record<ClaimStage, Queue<ClaimJobData>>;
  readonly reprocess: Queue<BatchStepData>;
  readonly deadlines: Queue;

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
    retries: JobRetries,
    onError: (error: Error) => void,
  ) {
    const defaultJobOptions = stageJobOptions(retries);
    this.queues = Object.fromEntries(
      CLAIM_STAGES.map((stage) => {
        const queue = new Queue<ClaimJobData>(queueName(stage), { connection, prefix, defaultJobOptions });
        queue.on('error', onError);
        return [stage, queue];
      }),
    ) as Record<ClaimStage, Queue<ClaimJobData>>;
    this.reprocess = new Queue<BatchStepData>(REPROCESS_QUEUE, { connection, prefix, defaultJobOptions });
    this.reprocess.on('error', onError);
    this.deadlines = new Queue(DEADLINES_QUEUE, { connection, prefix });
    this.deadlines.on('error', onError);
  }

  /**
   * Runs the customer-deadline job every `everyMs` (BullMQ's job scheduler): one schedule however
   * many workers upsert it, so the job runs once a period, not once per worker. The job is idempotent,
   * so a run lost with Redis is made up by the next.
   */
  async scheduleDeadlines(everyMs: number): Promise<void> {
    await this.deadlines.upsertJobScheduler(
      DEADLINES_SCHEDULER,
      { every: everyMs },
      { name: DEADLINES_SCHEDULER, opts: { removeOnComplete: { count: 100 }, removeOnFail: { age: 7 * 24 * 3600 } } },
    );
  }

  async enqueue(stage: ClaimStage, claimId: string, round: number): Promise<void> {
    await this.queues[stage].add(stage, { claimId }, { jobId: jobIdFor(stage, claimId, round) });
  }

  /**
   * Asks for a claim's decision to be made again because an earlier claim sharing an identifier
   * was decided after it (an outbox entry; see OutboxRelay).
   */
  async enqueueRecheck(entry: OutboxEntry): Promise<void> {
    await this.queues.decide.add(RECHECK_JOB, { claimId: entry.claimId, outboxId: entry.id }, { jobId: recheckJobId(entry) });
  }

  /** Where the job `jobId` of a stage queue stands, and for a failed one whether trying again can help. */
  async standing(stage: ClaimStage, jobId: string): Promise<JobStanding> {
    const job = await this.queues[stage].getJob(jobId);
    if (!job) return { state: 'missing' };
    const state = await job.getState();
    if (state === 'completed') return { state: 'retryable', cause: 'completed' };
    if (state !== 'failed') return { state: 'pending' };
    const reason = job.failedReason ?? '';
    if (reason === STALLED_OUT_REASON) return { state: 'failed_for_good', cause: 'worker_crashes', reason };
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return { state: 'failed_for_good', cause: 'permanent', reason };
    return { state: 'retryable', cause: 'retries_exhausted' };
  }

  /**
   * Runs a finished job again under its own id, with its whole retry budget: a re-add would be
   * ignored while the finished job is kept (failed ones for 14 days). False when it is no longer
   * finished (another worker's sweep revived it first).
   */
  async revive(stage: ClaimStage, jobId: string): Promise<boolean> {
    const job = await this.queues[stage].getJob(jobId);
    const state = await job?.getState();
    if (!job || (state !== 'failed' && state !== 'completed')) return false;
    await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  }

  /** Queues step `round` of a reprocessing batch, after `delayMs`. */
  async enqueueBatchStep(batchId: string, round: number, delayMs = 0): Promise<void> {
    await this.reprocess.add('step', { batchId, round }, { jobId: `batch-${batchId}-${round}`, delay: delayMs });
  }

  /** Live claims waiting for OCR: while there are any, a batch waits. */
  async liveReadBacklog(): Promise<number> {
    return this.queues.read.getWaitingCount();
  }

  /** Waiting, active, delayed and failed jobs per stage, for metrics and the readiness check. */
  async depths(): Promise<Record<ClaimStage, Record<string, number>>> {
    const entries = await Promise.all(
      CLAIM_STAGES.map(
        async (stage) => [stage, await this.queues[stage].getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized')] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<ClaimStage, Record<string, number>>;
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(): Promise<void> {
    await Promise.all([...CLAIM_STAGES.map((stage) => this.queues[stage].close()), this.reprocess.close(), this.deadlines.close()]);
  }
}
