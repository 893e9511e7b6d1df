import { referClaim } from '../../pipelines/claim-stages.js';
import type { Logger } from '../config/logger.js';
import { flag } from '../domain/flags.js';
import type { Metrics } from '../observability/metrics.js';
import type { Policy } from '../policy/policy-schema.js';
import { jobIdFor, roundOf, type ClaimQueues, type ClaimStage, type JobStanding } from '../queue/claim-queues.js';
import type { ClaimsRepository } from '../store/claims-repository.js';
import { NEXT_STAGE } from './claim-submission-service.js';
import type { OutboxRelay } from './outbox-relay.js';

const SWEEP_BATCH = 500;

export interface ClaimRecoveryPorts {
  claims: ClaimsRepository;
  queues: ClaimQueues;
  relay: OutboxRelay;
  policy: Policy;
  metrics: Metrics;
  logger: Logger;
}

type GivenUp = Extract<JobStanding, { state: 'failed_for_good' }>;

const GIVE_UP_REASONS: Record<GivenUp['cause'], (stage: ClaimStage) => string> = {
  worker_crashes: (stage) =>
    `Every worker that took this claim's ${stage} step stopped in the middle of it, more often than is retried; ` +
    'the receipt is the likely cause, so a person should look at it.',
  permanent: (stage) => `This claim's ${stage} step failed in a way that trying again cannot mend, so a person should look at it.`,
};

/**
 * Postgres is the record of what must happen, Redis only of what is scheduled. Every sweep relays
 * follow-up jobs left in the outbox, and looks at each claim left undecided and untouched for a
 * while, by its stage job: a job that is gone (lost with a Redis restart, never queued because
 * Redis was away) is queued again; one whose retries an outage outlasted is run again with its
 * whole budget; one that failed for a reason in the claim itself (its workers kept dying, or its
 * handler gave up) is not retried: the claim is referred to a person, with the reason, once.
 */
export class ClaimRecoveryService {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ports: ClaimRecoveryPorts,
    private readonly idleMs: number,
  ) {}

  async sweep(): Promise<void> {
    await this.ports.relay.relay();
    await this.ports.relay.retryStale(this.idleMs);
    for (let after = 0; ;) {
      const idle = await this.ports.claims.idleClaims(Object.keys(NEXT_STAGE), this.idleMs, after, SWEEP_BATCH);
      for (const { claimId, status, documents } of idle) await this.bringBack(claimId, status, roundOf(documents));
      if (idle.length < SWEEP_BATCH) return;
      after = idle.at(-1)!.seq;
    }
  }

  /** `round`: the claim's latest document, whose jobs carry the claim on (a new document is a new round). */
  private async bringBack(claimId: string, status: string, round: number): Promise<void> {
    const { queues, metrics, logger } = this.ports;
    const stage = NEXT_STAGE[status]!;
    const jobId = jobIdFor(stage, claimId, round);
    const standing = await queues.standing(stage, jobId);
    if (standing.state === 'pending') return;
    if (standing.state === 'missing') {
      await queues.enqueue(stage, claimId, round);
      metrics.jobsRevived.inc({ stage, cause: 'missing' });
      logger.info({ claimId, stage }, 'queued a claim whose job was lost');
    } else if (standing.state === 'retryable') {
      if (!(await queues.revive(stage, jobId))) return;
      metrics.jobsRevived.inc({ stage, cause: standing.cause });
      logger.warn({ claimId, stage, cause: standing.cause }, 'running a claim again whose job stopped before moving it on');
    } else {
      await this.giveUp(claimId, status, stage, standing);
    }
  }

  /** The claim is referred to a person with the reason; the failed job stays in the dashboard. */
  private async giveUp(claimId: string, status: string, stage: ClaimStage, { cause, reason }: GivenUp): Promise<void> {
    const claim = await this.ports.claims.submitted(claimId);
    if (!claim) return;
    const { result, written } = await referClaim(
      claim,
      flag('PROCESSING_FAILED', GIVE_UP_REASONS[cause](stage), { stage, cause, reason }),
      this.ports,
      status,
    );
    if (!written) return;
    this.ports.metrics.claimsFailed.inc({ stage, cause });
    this.ports.metrics.decisions.inc({ status: result.status });
    this.ports.logger.error({ claimId, stage, cause, reason }, 'gave up on a claim: referred to a person');
  }

  start(): void {
    const run = () => {
      this.sweep()
        .catch((error: unknown) => this.ports.logger.warn({ err: error }, 'recovery sweep failed; next time'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(run, this.idleMs).unref();
        });
    };
    this.timer = setTimeout(run, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
