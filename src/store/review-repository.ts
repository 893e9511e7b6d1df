import type { ClaimResult } from '../domain/result.js';
import type { Field, FieldName } from '../domain/extraction.js';
import { ClaimStateWriter, type AskedRequest } from './claim-state-writer.js';
import type { Database, Queryable } from './database.js';

export interface QueueFilter {
  flag?: string;
  family?: string;
  retailer?: string;
  /** Arrival dates, inclusive, ISO YYYY-MM-DD (UTC). */
  from?: string;
  to?: string;
}

/** Where the last page ended: the (created_at, seq) of its last row, created_at as Postgres prints it. */
export interface QueueCursor {
  createdAt: string;
  seq: number;
}

/** Where a page starts: after a page's last row, or after a claim (its place in the queue order, decided or not). */
export type QueueStart = QueueCursor | { afterClaim: string };

export interface QueueRow {
  claimId: string;
  seq: number;
  requestNumber: string;
  receivedAt: string;
  /** created_at at full precision, for the cursor. */
  createdAtText: string;
  family: string | null;
  retailer: string | null;
  flags: string[];
  lease: { username: string; expiresAt: string } | null;
}

export interface Lease {
  userId: number;
  username: string;
  expiresAt: string;
}

export interface ReviewableClaim {
  claimId: string;
  seq: number;
  requestNumber: string;
  file: string | null;
  status: string;
  result: ClaimResult | null;
  form: Record<string, unknown>;
  receiptKey: string | null;
  documentHash: string | null;
  receivedAt: string;
  decidedBy: string | null;
  lease: Lease | null;
}

export interface FieldCorrection {
  field: FieldName;
  before: Field;
  after: string | null;
}

export interface ReviewRecord {
  claimId: string;
  userId: number;
  reviewer: string;
  /** The claim's new status: eligible, not_eligible or awaiting_customer. */
  status: string;
  action: string;
  reason: string | null;
  note: string | null;
  corrections: FieldCorrection[];
  result: ClaimResult;
  extractVersion: string | null;
  /** What the customer is asked for (request_info), with its deadlines. */
  request: AskedRequest | null;
}

export type ReviewOutcome = 'recorded' | 'not_reviewable' | 'lease_lost';

/** A reviewer asking to take their decision back, within a window, with the lease to take again. */
export interface UndoRequest {
  claimId: string;
  userId: number;
  reviewer: string;
  windowSeconds: number;
  leaseSeconds: number;
}

export type UndoOutcome =
  | { undone: true; lease: Lease }
  | { undone: false; why: 'not_decided' | 'not_yours' | 'window_over' | 'changed_since' | 'lease_held'; by?: string };

/**
 * The review queue, leases, and reviewers' decisions and corrections: the only module that writes
 * review SQL. A decision's change of the claim's state goes through ClaimStateWriter, in the
 * transaction that checks and releases the lease.
 */
export class ReviewRepository {
  private readonly state = new ClaimStateWriter();

  constructor(private readonly db: Database) {}

  /**
   * Claims needing review, oldest first, one keyset page at a time (no OFFSET: page 500 costs what
   * page 1 does), and the database's clock as the page was read (the `since` of its news).
   */
  async queue(filter: QueueFilter, after: QueueStart | null, limit: number): Promise<{ rows: QueueRow[]; asOf: string }> {
    const { from, where, params, param, order } = queueConditions(filter);
    if (after && 'afterClaim' in after)
      where.push(`(${order}.created_at, ${order}.seq) > (SELECT created_at, seq FROM claims WHERE id = ${param(after.afterClaim)})`);
    else if (after)
      where.push(`(${order}.created_at, ${order}.seq) > (${param(after.createdAt)}::timestamptz, ${param(after.seq)}::bigint)`);
    const rows = await this.db.query<{
      id: string;
      seq: string;
      request_number: string;
      created_at: Date;
      created_at_text: string;
      family: string | null;
      retailer: string | null;
      flags: string[];
      leased_by: string | null;
      lease_expires: Date | null;
      as_of: string;
    }>(
      `SELECT c.id, c.seq, c.request_number, c.created_at, c.created_at::text AS created_at_text, now()::text AS as_of,
              c.result -> 'warranty' ->> 'family' AS family, c.result -> 'fields' -> 'retailer' ->> 'value' AS retailer,
              jsonb_path_query_array(c.result, '$.flags[*].code') AS flags, l.username AS leased_by, l.expires_at AS lease_expires
         FROM ${from}
         LEFT JOIN review_leases l ON l.claim_id = c.id AND l.expires_at > now()
        WHERE ${where.join(' AND ')}
        ORDER BY ${order}.created_at, ${order}.seq
        LIMIT ${param(limit)}`,
      params,
    );
    const asOf = rows[0]?.as_of ?? (await this.db.query<{ now: string }>('SELECT now()::text AS now'))[0]!.now;
    const page = rows.map((r) => ({
      claimId: r.id,
      seq: Number(r.seq),
      requestNumber: r.request_number,
      receivedAt: new Date(r.created_at).toISOString(),
      createdAtText: r.created_at_text,
      family: r.family,
      retailer: r.retailer,
      flags: r.flags,
      lease: r.leased_by && r.lease_expires ? { username: r.leased_by, expiresAt: new Date(r.lease_expires).toISOString() } : null,
    }));
    return { rows: page, asOf };
  }

  /**
   * How many claims matching the filter came into the queue (or changed while in it) after `since`,
   * and the database's clock now, the next `since`. A range scan of the claims updated since then
   * (claims_review_updated_idx), however long the queue. A claim whose transaction began before
   * `since` but committed after it is counted at the next refresh of the page, not here.
   */
  async queueNews(filter: QueueFilter, since: string): Promise<{ count: number; asOf: string }> {
    const { from, where, params, param } = queueConditions(filter);
    where.push(`c.updated_at > ${param(since)}::timestamptz`);
    const rows = await this.db.query<{ count: string; as_of: string }>(
      `SELECT count(DISTINCT c.id) AS count, now()::text AS as_of
         FROM ${from}
        WHERE ${where.join(' AND ')}`,
      params,
    );
    return { count: Number(rows[0]!.count), asOf: rows[0]!.as_of };
  }

  async claim(claimId: string): Promise<ReviewableClaim | null> {
    const rows = await this.db.query<{
      id: string;
      seq: string;
      request_number: string;
      file: string | null;
      status: string;
      result: ClaimResult | Record<string, never>;
      form: Record<string, unknown> | null;
      receipt_key: string | null;
      document_hash: string | null;
      created_at: Date;
      decided_by: string | null;
      lease_user: string | null;
      lease_username: string | null;
      lease_expires: Date | null;
    }>(
      `SELECT c.id, c.seq, c.request_number, c.file, c.status, c.result, c.form, c.receipt_key, c.document_hash, c.created_at, c.decided_by,
              l.user_id AS lease_user, l.username AS lease_username, l.expires_at AS lease_expires
         FROM claims c LEFT JOIN review_leases l ON l.claim_id = c.id AND l.expires_at > now()
        WHERE c.id = $1`,
      [claimId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      claimId: r.id,
      seq: Number(r.seq),
      requestNumber: r.request_number,
      file: r.file,
      status: r.status,
      result: 'claimId' in r.result ? (r.result as ClaimResult) : null,
      form: r.form ?? {},
      receiptKey: r.receipt_key,
      documentHash: r.document_hash,
      receivedAt: new Date(r.created_at).toISOString(),
      decidedBy: r.decided_by,
      lease:
        r.lease_user && r.lease_username && r.lease_expires
          ? { userId: Number(r.lease_user), username: r.lease_username, expiresAt: new Date(r.lease_expires).toISOString() }
          : null,
    };
  }

  /**
   * Takes the claim's lease for `seconds`, or renews it for its holder, in one statement: of two
   * reviewers opening the same claim at once, exactly one gets it. Returns the lease as it stands,
   * whoever holds it.
   */
  async takeLease(claimId: string, userId: number, username: string, seconds: number): Promise<Lease> {
    for (;;) {
      const held =
        (await leaseIfFree(this.db, claimId, userId, username, seconds)) ??
        (
          await this.db.query<{ user_id: string; username: string; expires_at: Date }>(
            'SELECT user_id, username, expires_at FROM review_leases WHERE claim_id = $1 AND expires_at > now()',
            [claimId],
          )
        )[0];
      // Absent only if the other lease expired between the two statements: try again.
      if (held) return { userId: Number(held.user_id), username: held.username, expiresAt: new Date(held.expires_at).toISOString() };
    }
  }

  /**
   * Gives the claim back to the queue when this reviewer holds its lease (expired or not); otherwise
   * changes nothing and names who holds it (null: nobody).
   */
  async releaseLease(claimId: string, userId: number): Promise<{ released: true } | { released: false; heldBy: string | null }> {
    const released = await this.db.query('DELETE FROM review_leases WHERE claim_id = $1 AND user_id = $2 RETURNING claim_id', [
      claimId,
      userId,
    ]);
    if (released.length > 0) return { released: true };
    const held = await this.db.query<{ username: string }>(
      'SELECT username FROM review_leases WHERE claim_id = $1 AND expires_at > now()',
      [claimId],
    );
    return { released: false, heldBy: held[0]?.username ?? null };
  }

  /**
   * Gives back every claim this reviewer holds once they have no live session left (one just ended):
   * a reservation must not outlive the person's last session, whatever order the browser's
   * clean-up requests arrive in. Another open session of theirs keeps its claims.
   */
  async releaseLeasesOfSignedOut(userId: number): Promise<void> {
    await this.db.query(
      `DELETE FROM review_leases
        WHERE user_id = $1
          AND NOT EXISTS (SELECT 1 FROM user_sessions WHERE user_id = $1 AND expires_at > now())`,
      [userId],
    );
  }

  /**
   * Records a reviewer's decision in one transaction: the claim's new status and result, marked as
   * decided by the reviewer; a 'reviewed' event with before/after; the corrections as labelled
   * examples; and the lease released. Only while the claim still needs review and the reviewer
   * still holds its lease.
   */
  async recordReview(review: ReviewRecord): Promise<ReviewOutcome> {
    return this.db.transaction(async (tx) => {
      const claim = await tx.query<{ status: string; document_hash: string | null }>(
        'SELECT status, document_hash FROM claims WHERE id = $1 FOR UPDATE',
        [review.claimId],
      );
      if (claim[0]?.status !== 'needs_review') return 'not_reviewable';
      const lease = await tx.query('SELECT 1 FROM review_leases WHERE claim_id = $1 AND user_id = $2 AND expires_at > now() FOR UPDATE', [
        review.claimId,
        review.userId,
      ]);
      if (lease.length === 0) return 'lease_lost';
      await this.state.review(tx, {
        claimId: review.claimId,
        status: review.status,
        result: review.result,
        reviewer: review.reviewer,
        action: review.action,
        reason: review.reason,
        note: review.note,
        corrections: review.corrections.map((c) => ({ field: c.field, before: c.before.value, after: c.after })),
        request: review.request,
      });
      await this.insertCorrections(tx, review, claim[0].document_hash);
      await tx.query('DELETE FROM review_leases WHERE claim_id = $1', [review.claimId]);
      return 'recorded';
    });
  }

  /**
   * Takes back a reviewer's decision in one transaction, only if it is the claim's latest event
   * (nothing happened to the claim since: no re-run, no other decision), made by this reviewer less
   * than `windowSeconds` ago: the claim needs review again with the result the decision replaced
   * (ClaimStateWriter.undoReview, an 'undone' event), the decision's corrections leave the labelled
   * examples (the 'reviewed' event keeps them on record), and the lease is this reviewer's again.
   * A reviewer's decision writes nothing else (no identifiers, no outbox entries): nothing else to undo.
   */
  async undoReview(request: UndoRequest): Promise<UndoOutcome> {
    return this.db.transaction(async (tx) => {
      const claim = (
        await tx.query<{ status: string; decided_by: string | null }>('SELECT status, decided_by FROM claims WHERE id = $1 FOR UPDATE', [
          request.claimId,
        ])
      )[0];
      if (!claim?.decided_by) return { undone: false, why: 'not_decided' };
      if (claim.decided_by !== request.reviewer) return { undone: false, why: 'not_yours', by: claim.decided_by };
      const latest = (
        await tx.query<{ id: string; kind: string; within: boolean }>(
          `SELECT id, kind, created_at > now() - make_interval(secs => $2) AS within
             FROM claim_events WHERE claim_id = $1 ORDER BY id DESC LIMIT 1`,
          [request.claimId, request.windowSeconds],
        )
      )[0]!;
      if (latest.kind !== 'reviewed') return { undone: false, why: 'changed_since' };
      if (!latest.within) return { undone: false, why: 'window_over' };
      const restored = await this.state.resultBeforeReview(tx, request.claimId, Number(latest.id));
      // A decision recorded before results were kept has nothing to go back to.
      if (!restored) return { undone: false, why: 'changed_since' };
      const lease = await leaseIfFree(tx, request.claimId, request.userId, request.reviewer, request.leaseSeconds);
      if (!lease) return { undone: false, why: 'lease_held' };
      await this.state.undoReview(tx, {
        claimId: request.claimId,
        reviewedEventId: Number(latest.id),
        reviewer: request.reviewer,
        from: claim.status,
        restored,
      });
      // The decision's corrections were written in its transaction, so at its event's instant (now() is the transaction's start).
      await tx.query(
        'DELETE FROM review_corrections WHERE claim_id = $1 AND created_at = (SELECT created_at FROM claim_events WHERE id = $2)',
        [request.claimId, latest.id],
      );
      return {
        undone: true,
        lease: { userId: request.userId, username: request.reviewer, expiresAt: new Date(lease.expires_at).toISOString() },
      };
    });
  }

  private async insertCorrections(tx: Queryable, review: ReviewRecord, documentHash: string | null): Promise<void> {
    for (const c of review.corrections) {
      await tx.query(
        // The document the machine read the value from (of a claim with several), else the claim's receipt.
        `INSERT INTO review_corrections
           (claim_id, document_hash, field, machine_value, machine_confidence, machine_source, machine_location, corrected_value, extract_version, reviewer)
         VALUES ($1, coalesce((SELECT sha256 FROM claim_documents WHERE claim_id = $1 AND position = $11), $2), $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          review.claimId,
          documentHash,
          c.field,
          c.before.value,
          c.before.confidence,
          c.before.source,
          c.before.location ? JSON.stringify(c.before.location) : null,
          c.after,
          review.extractVersion,
          review.reviewer,
          c.before.document ?? 0,
        ],
      );
    }
  }

  /** Every reviewer correction, oldest first: labelled examples for the evaluation. */
  async *corrections(): AsyncGenerator<Record<string, unknown>> {
    let afterId = 0;
    for (;;) {
      const rows = await this.db.query<{ id: string; created_at: Date } & Record<string, unknown>>(
        `SELECT c.id, c.claim_id, c.document_hash, c.field, c.machine_value, c.machine_confidence, c.machine_source, c.machine_location,
                c.corrected_value, c.extract_version, c.reviewer, c.created_at, s.output AS text
           FROM review_corrections c
           LEFT JOIN claim_documents d ON d.claim_id = c.claim_id AND d.sha256 = c.document_hash
           LEFT JOIN stage_outputs s ON s.claim_id = c.claim_id AND s.stage = 'read' AND s.document = coalesce(d.position, 0)
          WHERE c.id > $1 ORDER BY c.id LIMIT 1000`,
        [afterId],
      );
      if (rows.length === 0) return;
      for (const r of rows) {
        yield {
          claimId: r.claim_id,
          documentHash: r.document_hash,
          field: r.field,
          machine: {
            value: r.machine_value,
            confidence: r.machine_confidence,
            source: r.machine_source,
            location: r.machine_location,
          },
          corrected: r.corrected_value,
          extractVersion: r.extract_version,
          reviewer: r.reviewer,
          at: new Date(r.created_at).toISOString(),
          // What the machine read: enough to score a later extractor on the example without the receipt.
          text: r.text ?? null,
        };
      }
      afterId = Number(rows.at(-1)!.id);
    }
  }
}

/**
 * Takes the claim's lease for `seconds`, or renews it for its holder, in one statement; null when
 * another reviewer holds it unexpired.
 */
async function leaseIfFree(q: Queryable, claimId: string, userId: number, username: string, seconds: number) {
  const taken = await q.query<{ user_id: string; username: string; expires_at: Date }>(
    `INSERT INTO review_leases (claim_id, user_id, username, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))
     ON CONFLICT (claim_id) DO UPDATE
       SET user_id = EXCLUDED.user_id, username = EXCLUDED.username, expires_at = EXCLUDED.expires_at,
           taken_at = CASE WHEN review_leases.user_id = EXCLUDED.user_id THEN review_leases.taken_at ELSE now() END
     WHERE review_leases.expires_at <= now() OR review_leases.user_id = EXCLUDED.user_id
     RETURNING user_id, username, expires_at`,
    [claimId, userId, username, seconds],
  );
  return taken[0] ?? null;
}

/** The queue's FROM and WHERE for a filter, over `c` (claims) and, with a flag, `q` (review_queue_flags), which then gives the order. */
function queueConditions(filter: QueueFilter) {
  const where = [`c.status = 'needs_review'`];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  // With a flag, the flag's rows give the order (review_queue_flags, kept by ClaimStateWriter); else the claims' own index.
  const order = filter.flag ? 'q' : 'c';
  const from = filter.flag ? 'review_queue_flags q JOIN claims c ON c.id = q.claim_id' : 'claims c';
  if (filter.flag) where.push(`q.code = ${param(filter.flag)}`);
  if (filter.family) where.push(`c.result -> 'warranty' ->> 'family' = ${param(filter.family)}`);
  if (filter.retailer) where.push(`c.result -> 'fields' -> 'retailer' ->> 'value' = ${param(filter.retailer)}`);
  if (filter.from) where.push(`${order}.created_at >= ${param(filter.from)}::date`);
  if (filter.to) where.push(`${order}.created_at < ${param(filter.to)}::date + 1`);
  return { from, where, params, param, order };
}
