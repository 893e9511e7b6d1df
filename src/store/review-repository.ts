import { z } from 'zod';
import { ClaimStatus } from '../domain/result.js';
import type { Database } from './database.js';

/** A reviewer's decision on a claim: who, what, and why. */
export const ReviewDecision = z.object({
  reviewer: z.string().min(1),
  status: ClaimStatus.exclude(['rejected_input']),
  note: z.string().default(''),
});
export type ReviewDecision = z.input<typeof ReviewDecision>;

/**
 * Human decisions. A reviewed claim's status is the reviewer's, `decided_by` says so, and a
 * 'reviewed' event keeps it in the audit trail; machine re-runs leave such a claim's result alone.
 */
export class ReviewRepository {
  constructor(private readonly db: Database) {}

  async recordDecision(claimId: string, input: ReviewDecision): Promise<void> {
    const review = ReviewDecision.parse(input);
    await this.db.transaction(async (tx) => {
      const previous = await tx.query<{ status: string }>('SELECT status FROM claims WHERE id = $1 FOR UPDATE', [claimId]);
      if (!previous[0]) throw new Error(`no claim ${claimId} to review`);
      await tx.query(
        `UPDATE claims SET status = $2, decided_by = $3, result = jsonb_set(result, '{status}', to_jsonb($2::text)), updated_at = now()
          WHERE id = $1`,
        [claimId, review.status, review.reviewer],
      );
      await tx.query(`INSERT INTO claim_events (claim_id, kind, data) VALUES ($1, 'reviewed', $2)`, [
        claimId,
        JSON.stringify({ from: previous[0].status, to: review.status, reviewer: review.reviewer, note: review.note }),
      ]);
    });
  }
}
