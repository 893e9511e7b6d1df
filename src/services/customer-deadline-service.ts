import type { Logger } from '../config/logger.js';
import type { CustomerRequestsRepository } from '../store/customer-requests-repository.js';

/** Claims handled per look-up: a run goes on until nothing is due. */
const BATCH = 100;

/** What one run did: the claims reminded and the claims closed. */
export interface DeadlineRun {
  reminded: string[];
  closed: string[];
}

/**
 * The customer's deadlines, at a given moment: every claim waiting for its customer past its
 * deadline is closed (CUSTOMER_NO_RESPONSE), and every claim whose reminder is due is reminded,
 * once. The moment is the caller's (`now`), so a test or an operator can run it at any date; each
 * claim is changed only while it still waits for its customer, so running it twice, or on two
 * workers at once, closes and reminds each claim once. Run by the worker's job scheduler
 * (distributed) or `warranty close-overdue` (embedded).
 */
export class CustomerDeadlineService {
  constructor(private readonly ports: { requests: CustomerRequestsRepository; logger: Logger }) {}

  async closeOverdue(now: Date): Promise<DeadlineRun> {
    const run: DeadlineRun = { reminded: [], closed: [] };
    // Closing first: a claim past its deadline is closed, not reminded.
    await this.each(
      () => this.ports.requests.overdue(now, BATCH),
      (id) => this.ports.requests.close(id, now),
      run.closed,
    );
    await this.each(
      () => this.ports.requests.reminderDue(now, BATCH),
      (id) => this.ports.requests.remind(id, now),
      run.reminded,
    );
    if (run.closed.length || run.reminded.length) {
      this.ports.logger.info(
        { now: now.toISOString(), closed: run.closed.length, reminded: run.reminded.length },
        'customer deadlines applied',
      );
    }
    return run;
  }

  /** Applies `change` to every claim `due` lists, look-up after look-up, until a look-up finds nothing it could change. */
  private async each(due: () => Promise<string[]>, change: (claimId: string) => Promise<boolean>, done: string[]): Promise<void> {
    for (;;) {
      const claimIds = await due();
      let changed = 0;
      for (const claimId of claimIds) {
        if (await change(claimId)) {
          done.push(claimId);
          changed++;
        }
      }
      // Claims another run changed meanwhile drop out of the next look-up; none changed: nothing left to do.
      if (claimIds.length < BATCH || changed === 0) return;
    }
  }
}
