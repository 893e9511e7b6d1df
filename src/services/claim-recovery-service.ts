import type { Logger } from '../config/logger.js';
import type { ClaimQueues } from '../queue/claim-queues.js';
import type { ClaimsRepository } from '../store/claims-repository.js';
import { NEXT_STAGE } from './claim-submission-service.js';

const SWEEP_BATCH = 1000;

/**
 * Postgres is the record of what must happen, Redis only of what is scheduled. A claim left
 * undecided and untouched (its job lost with a Redis restart, or never queued because Redis was
 * away at submission) is queued again; the deterministic job id makes this a no-op for a claim
 * whose job still exists.
 */
export class ClaimRecoveryService {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ports: { claims: ClaimsRepository; queues: ClaimQueues; logger: Logger },
    private readonly idleMs: number,
  ) {}

  async sweep(): Promise<number> {
    const idle = await this.ports.claims.idleClaims(Object.keys(NEXT_STAGE), this.idleMs, SWEEP_BATCH);
    for (const { claimId, status } of idle) await this.ports.queues.enqueue(NEXT_STAGE[status]!, claimId);
    if (idle.length > 0) this.ports.logger.info({ claims: idle.length }, 'queued idle claims again');
    return idle.length;
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
