import type { Logger } from '../config/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { recheckJobId, type ClaimQueues } from '../queue/claim-queues.js';
import type { OutboxEntry } from '../domain/outbox.js';
import type { OutboxRepository } from '../store/outbox-repository.js';

const RELAY_BATCH = 100;

/**
 * Moves follow-up jobs from the transactional outbox (written with the decision that asked for
 * them) to the queue. Run right after a decision, and by every worker's recovery sweep, so a worker
 * that dies between a commit and the relay loses nothing: the next sweep relays what it left.
 * Each entry has one job id, so relaying it again, from anywhere, is a no-op.
 */
export class OutboxRelay {
  constructor(private readonly ports: { outbox: OutboxRepository; queues: ClaimQueues; metrics: Metrics; logger: Logger }) {}

  /** Queues every entry not relayed yet. */
  async relay(): Promise<void> {
    for (;;) {
      const relayed = await this.ports.outbox.relayPending(RELAY_BATCH, async (entries) => {
        for (const entry of entries) await this.ports.queues.enqueueRecheck(entry);
      });
      if (relayed < RELAY_BATCH) return;
    }
  }

  /**
   * Entries relayed over `ageMs` ago whose job has not done its work yet: a job Redis lost is queued
   * again, one that ran out of retries is run again; one that failed for good is dropped, loudly
   * (it stays in the dashboard with its reason).
   */
  async retryStale(ageMs: number): Promise<void> {
    for (let after = 0; ;) {
      const entries = await this.ports.outbox.relayedBefore(ageMs, after, RELAY_BATCH);
      for (const entry of entries) await this.retry(entry);
      if (entries.length < RELAY_BATCH) return;
      after = entries.at(-1)!.id;
    }
  }

  /** The entry's job has done its work. */
  async done(entryId: number): Promise<void> {
    await this.ports.outbox.remove(entryId);
  }

  private async retry(entry: OutboxEntry): Promise<void> {
    const { queues, metrics } = this.ports;
    const jobId = recheckJobId(entry);
    const standing = await queues.standing('decide', jobId);
    if (standing.state === 'pending') return;
    if (standing.state === 'missing') {
      await queues.enqueueRecheck(entry);
      metrics.jobsRevived.inc({ stage: 'recheck', cause: 'missing' });
    } else if (standing.state === 'retryable') {
      if (await queues.revive('decide', jobId)) metrics.jobsRevived.inc({ stage: 'recheck', cause: standing.cause });
    } else {
      await this.ports.outbox.remove(entry.id);
      metrics.claimsFailed.inc({ stage: 'recheck', cause: standing.cause });
      this.ports.logger.error(
        { claimId: entry.claimId, causeId: entry.causeId, reason: standing.reason },
        'a re-check for duplicates failed for good; the claim keeps its decision',
      );
    }
  }
}
