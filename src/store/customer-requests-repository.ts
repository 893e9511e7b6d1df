import { closedResult, type CustomerRequest, type CustomerRequestBody, type ResponseRule } from '../domain/customer-requests.js';
import type { ClaimResult } from '../domain/result.js';
import { ClaimStateWriter } from './claim-state-writer.js';
import type { Database } from './database.js';

interface RequestRow {
  request: CustomerRequestBody;
  asked_at: Date;
  deadline: Date | null;
  reminded_at: Date | null;
}

const iso = (at: Date | null) => (at === null ? null : new Date(at).toISOString());

/**
 * Requests to customers and their deadlines: what a claim waiting for its customer was asked, and
 * the claims whose reminder is due or whose deadline has passed. Each change goes through
 * ClaimStateWriter in a transaction that holds the claim's row and only applies while the claim
 * still waits for its customer (`onlyFrom: 'awaiting_customer'`): a document that arrived at the
 * same moment, moving the claim on, wins, and a second run finds nothing left to do.
 */
export class CustomerRequestsRepository {
  private readonly state = new ClaimStateWriter();

  constructor(private readonly db: Database) {}

  /** The claim's open request, while the claim waits for its customer; null otherwise. */
  async open(claimId: string): Promise<CustomerRequest | null> {
    return this.request(claimId, true);
  }

  /** The claim's last request to its customer, answered or not; null when none is on record (never asked, or undone). */
  async last(claimId: string): Promise<CustomerRequest | null> {
    return this.request(claimId, false);
  }

  private async request(claimId: string, onlyWhileWaiting: boolean): Promise<CustomerRequest | null> {
    const rows = await this.db.query<RequestRow>(
      `SELECT r.request, r.asked_at, r.deadline, r.reminded_at
         FROM customer_requests r JOIN claims c ON c.id = r.claim_id
        WHERE r.claim_id = $1 AND (NOT $2 OR c.status = 'awaiting_customer')`,
      [claimId, onlyWhileWaiting],
    );
    const r = rows[0];
    return r ? { ...r.request, askedAt: iso(r.asked_at)!, deadline: iso(r.deadline), remindedAt: iso(r.reminded_at) } : null;
  }

  /** Claims waiting for their customer past the deadline, at `now`, earliest deadline first. */
  async overdue(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ claim_id: string }>(
      `SELECT r.claim_id FROM customer_requests r JOIN claims c ON c.id = r.claim_id
        WHERE r.deadline <= $1 AND c.status = 'awaiting_customer'
        ORDER BY r.deadline, r.claim_id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.claim_id);
  }

  /** Claims waiting for their customer whose reminder is due at `now` and not sent, before their deadline. */
  async reminderDue(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ claim_id: string }>(
      `SELECT r.claim_id FROM customer_requests r JOIN claims c ON c.id = r.claim_id
        WHERE r.remind_at <= $1 AND r.reminded_at IS NULL AND r.deadline > $1 AND c.status = 'awaiting_customer'
        ORDER BY r.remind_at, r.claim_id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.claim_id);
  }

  /** Sends the claim's one reminder (a 'reminded' event) if, at `now`, it is due and the claim still waits; says whether it did. */
  async remind(claimId: string, now: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const due = await tx.query(
        `SELECT 1 FROM claims c JOIN customer_requests r ON r.claim_id = c.id
          WHERE c.id = $1 AND c.status = 'awaiting_customer' AND r.remind_at <= $2 AND r.reminded_at IS NULL AND r.deadline > $2
          FOR UPDATE OF c`,
        [claimId, now],
      );
      if (due.length === 0) return false;
      await this.state.remind(tx, claimId, now);
      return true;
    });
  }

  /**
   * Closes the claim (status `closed`, CUSTOMER_NO_RESPONSE, a 'closed' event) if, at `now`, its
   * deadline has passed and it still waits for its customer; says whether it did.
   */
  async close(claimId: string, now: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<RequestRow & { result: ClaimResult; policy_version: string; rule: ResponseRule; deadline: Date }>(
        `SELECT c.result, r.request, r.asked_at, r.deadline, r.reminded_at, r.policy_version, r.rule
           FROM claims c JOIN customer_requests r ON r.claim_id = c.id
          WHERE c.id = $1 AND c.status = 'awaiting_customer' AND r.deadline <= $2
          FOR UPDATE OF c`,
        [claimId, now],
      );
      const r = rows[0];
      if (!r) return false;
      const overdue = {
        askedAt: iso(r.asked_at)!,
        deadline: iso(r.deadline)!,
        remindedAt: iso(r.reminded_at),
        policyVersion: r.policy_version,
        rule: r.rule,
        request: r.request,
      };
      await this.state.close(tx, {
        claimId,
        result: closedResult(r.result, overdue),
        deadline: overdue.deadline,
        policyVersion: r.policy_version,
      });
      return true;
    });
  }
}
