import { randomBytes } from 'node:crypto';
import type { CustomerRequestBody, ResponseRule } from '../domain/customer-requests.js';
import type { ClaimResult } from '../domain/result.js';
import { webhookEventData, webhookEventFor, type AnnouncedClaimEvent } from '../domain/webhooks.js';
import type { Transaction } from './database.js';

/** The kinds of event in a claim's audit trail, each written by one method below. */
export type ClaimEventKind =
  'received' | 'stage' | 'decided' | 'reviewed' | 'undone' | 'reprocessed' | 'second_look' | 'reminded' | 'closed' | 'document_added';

/** A reviewer's request to the customer, with when it was asked and, by the policy in force then, when it is reminded and closed. */
export interface AskedRequest {
  request: CustomerRequestBody;
  askedAt: Date;
  /** Null under a policy without a response window (`rule` null): the claim waits without a deadline. */
  remindAt: Date | null;
  deadline: Date | null;
  policyVersion: string;
  rule: ResponseRule | null;
}

/** A claim closed because its customer did not answer by the deadline. */
export interface ClosedClaim {
  claimId: string;
  /** The result with CUSTOMER_NO_RESPONSE (closedResult). */
  result: ClaimResult;
  deadline: string;
  /** The policy version in force when the customer was asked. */
  policyVersion: string;
}

/** One of a claim's documents as it is recorded (claim_documents). */
export interface NewDocument {
  /** Its place among the claim's documents: 0 is the first upload. */
  position: number;
  sha256: string;
  /** Object-storage key in distributed mode; null in embedded mode (found by hash). */
  receiptKey: string | null;
  file: string | null;
  by: 'api' | 'cli';
}

/**
 * Statuses a document added later sends back to reading: the machine's open questions (needs_review),
 * the customer's answer awaited (awaiting_customer), and a claim already past reading.
 */
const REOPENED_BY_A_DOCUMENT = new Set(['needs_review', 'awaiting_customer', 'read', 'extracted']);

/** A claim row as it is created: at arrival (CLI: file only; API: form, receipt and submitter too). */
export interface NewClaim {
  claimId: string;
  requestNumber: string;
  file: string | null;
  form?: Record<string, unknown>;
  receiptKey?: string;
  documentHash?: string;
  tenant?: string;
}

/** A reviewer's decision as the claim's state records it. */
export interface HumanDecision {
  claimId: string;
  /** The claim's new status: eligible, not_eligible or awaiting_customer. */
  status: string;
  result: ClaimResult;
  reviewer: string;
  action: string;
  reason: string | null;
  note: string | null;
  corrections: Array<{ field: string; before: string | null; after: string | null }>;
  /** What the customer is asked for, when the decision asks them (awaiting_customer). */
  request: AskedRequest | null;
}

/** A reviewer's decision taken back: the claim goes back to review with the result it had before. */
export interface UndoneDecision {
  claimId: string;
  /** The 'reviewed' event taken back. */
  reviewedEventId: number;
  reviewer: string;
  /** The status the decision had set. */
  from: string;
  /** The result the decision had replaced (kept in claim_result_versions). */
  restored: ClaimResult;
}

/** A batch's new result for a claim, replacing the stored one. */
export interface ReplacedResult {
  claimId: string;
  /** The status the claim had before. */
  from: string;
  result: ClaimResult;
}

/** A reviewer-decided claim the machine now decides otherwise: listed for a second look, never written over. */
export interface SecondLook {
  claimId: string;
  decidedBy: string | null;
  humanStatus: string;
  machineStatus: string;
  added: string[];
  dropped: string[];
}

/**
 * The only writer of a claim's state: its `claims` row (status, result, who decided), its audit
 * trail (`claim_events`, append-only), the review queue's flag index (`review_queue_flags`,
 * derived from the stored status and result) and its open request to the customer
 * (`customer_requests`, with the status awaiting_customer). Every change of state goes through here
 * with its event and, where status or result change, the index, so none of them drifts from the others.
 *
 * Each method runs inside the caller's transaction: the repositories keep their own boundaries and
 * guards (a stage's outputs with its status change and `onlyFrom`; a review with its lease; a
 * reprocessing chunk with its done markers) and commit this writer's changes with their own.
 *
 * Webhook subscribers hear of a change from here too: once a method has written the claim's new
 * state, it `announce`s its event, which writes the webhook event and one outbox row per subscribed
 * subscription (`webhook_events`, `webhook_deliveries`) in the same transaction. A method writing a
 * new kind of event announces it the same way, after the claim row holds the new state.
 */
export class ClaimStateWriter {
  /**
   * Creates the claim row with a 'received' event; null (nothing written) when the id or the
   * request number is taken already.
   */
  async create(tx: Transaction, claim: NewClaim): Promise<{ requestNumber: string; seq: number } | null> {
    const inserted = await tx.query<{ request_number: string; seq: string }>(
      `INSERT INTO claims (id, request_number, file, status, policy_version, result, form, receipt_key, document_hash, tenant)
       VALUES ($1, $2, $3, 'received', '', '{}'::jsonb, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING RETURNING request_number, seq`,
      [
        claim.claimId,
        claim.requestNumber,
        claim.file,
        claim.form === undefined ? null : JSON.stringify(claim.form),
        claim.receiptKey ?? null,
        claim.documentHash ?? null,
        claim.tenant ?? null,
      ],
    );
    if (!inserted[0]) return null;
    await this.event(tx, claim.claimId, 'received', {
      file: claim.file,
      ...(claim.receiptKey !== undefined && { receiptKey: claim.receiptKey }),
    });
    return { requestNumber: inserted[0].request_number, seq: Number(inserted[0].seq) };
  }

  /** Records a claim's documents as they came with it (no event: 'received' says the claim arrived); a known one is left as it is. */
  async documents(tx: Transaction, claimId: string, documents: NewDocument[]): Promise<void> {
    for (const d of documents) {
      await tx.query(
        `INSERT INTO claim_documents (claim_id, position, sha256, receipt_key, file, added_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING`,
        [claimId, d.position, d.sha256, d.receiptKey, d.file, d.by],
      );
    }
  }

  /**
   * A document added to a claim after it arrived, with a 'document_added' event. A claim past reading
   * or waiting for a person goes back to 'received' so every stage that depends on its documents runs
   * again: a reviewer's open request (awaiting_customer) is answered by the document, so the claim is
   * no longer the reviewer's (decided_by cleared; the 'reviewed' event keeps who asked) and the result
   * it had is kept in `claim_result_versions` (replaced by `document_added:<event id>`). The caller
   * holds the claim's row lock and has checked its status (`from`). Returns the claim's status after.
   */
  async addDocument(tx: Transaction, claimId: string, from: string, document: NewDocument): Promise<string> {
    await this.documents(tx, claimId, [document]);
    const data = { document: document.position, sha256: document.sha256, file: document.file, by: document.by };
    const eventId = await this.event(tx, claimId, 'document_added', data);
    const reopened = REOPENED_BY_A_DOCUMENT.has(from);
    if (reopened) {
      if (from === 'needs_review' || from === 'awaiting_customer') await this.keepVersion(tx, claimId, `document_added:${eventId}`);
      await tx.query(`UPDATE claims SET status = 'received', decided_by = NULL, updated_at = now() WHERE id = $1`, [claimId]);
      await this.reindexQueue(tx, [claimId]);
    }
    await this.announce(tx, [{ eventId, claimId, kind: 'document_added', data }]);
    return reopened ? 'received' : from;
  }

  /** Moves a claim between processing statuses after a stage, with a 'stage' event naming the stages' versions. */
  async advance(
    tx: Transaction,
    claimId: string,
    from: string,
    to: string,
    stages: Array<{ stage: string; stageVersion: string }>,
  ): Promise<void> {
    await tx.query('UPDATE claims SET status = $2, updated_at = now() WHERE id = $1', [claimId, to]);
    await this.event(tx, claimId, 'stage', { from, to, stages: stages.map((s) => ({ stage: s.stage, version: s.stageVersion })) });
  }

  /** Stores the machine's decision: status, result, policy version, receipt; the queue index; a 'decided' event. */
  async decide(tx: Transaction, result: ClaimResult, from: string): Promise<void> {
    await tx.query(
      `UPDATE claims SET status = $2, policy_version = $3, result = $4, document_hash = $5, file = $6, updated_at = now()
        WHERE id = $1`,
      [result.claimId, result.status, result.policyVersion, JSON.stringify(result), result.documentHash, result.file],
    );
    await this.reindexQueue(tx, [result.claimId]);
    const data = { from, to: result.status, policyVersion: result.policyVersion, flags: result.flags.map((f) => f.code) };
    const eventId = await this.event(tx, result.claimId, 'decided', data);
    await this.announce(tx, [{ eventId, claimId: result.claimId, kind: 'decided', data }]);
  }

  /**
   * Stores a reviewer's decision, marked as theirs (`decided_by`); the queue index; a 'reviewed'
   * event. The result it replaces is kept in `claim_result_versions` (replaced by `reviewed:<event
   * id>`), so an undo restores exactly what the machine had decided. Returns the event's id.
   */
  async review(tx: Transaction, decision: HumanDecision): Promise<number> {
    const data = {
      status: decision.status,
      reviewer: decision.reviewer,
      action: decision.action,
      reason: decision.reason,
      note: decision.note,
      from: 'needs_review',
      corrections: decision.corrections,
      flags: decision.result.flags.map((f) => f.code),
      policyVersion: decision.result.policyVersion,
      ...(decision.request && { request: decision.request.request }),
    };
    const eventId = await this.event(tx, decision.claimId, 'reviewed', data);
    if (decision.request) await this.openRequest(tx, decision.claimId, eventId, decision.request);
    await this.keepVersion(tx, decision.claimId, `reviewed:${eventId}`);
    await tx.query('UPDATE claims SET status = $2, result = $3, decided_by = $4, updated_at = now() WHERE id = $1', [
      decision.claimId,
      decision.status,
      JSON.stringify(decision.result),
      decision.reviewer,
    ]);
    // Decided: out of the queue, so out of its flag index too.
    await this.reindexQueue(tx, [decision.claimId]);
    await this.announce(tx, [{ eventId, claimId: decision.claimId, kind: 'reviewed', data }]);
    return eventId;
  }

  /**
   * Takes a reviewer's decision back: the claim needs review again with the result the decision
   * replaced, decided by nobody; the queue index; an 'undone' event. The reviewer's result is kept
   * in `claim_result_versions` (replaced by `undone:<event id>`): the decision and its undoing both
   * stay on record.
   */
  async undoReview(tx: Transaction, undone: UndoneDecision): Promise<void> {
    const data = {
      reviewer: undone.reviewer,
      reviewedEvent: undone.reviewedEventId,
      from: undone.from,
      to: 'needs_review',
      flags: undone.restored.flags.map((f) => f.code),
    };
    const eventId = await this.event(tx, undone.claimId, 'undone', data);
    await this.keepVersion(tx, undone.claimId, `undone:${eventId}`);
    await tx.query('DELETE FROM customer_requests WHERE claim_id = $1 AND reviewed_event = $2', [undone.claimId, undone.reviewedEventId]);
    await tx.query(
      `UPDATE claims SET status = 'needs_review', result = $2, policy_version = $3, decided_by = NULL, updated_at = now() WHERE id = $1`,
      [undone.claimId, JSON.stringify(undone.restored), undone.restored.policyVersion],
    );
    await this.reindexQueue(tx, [undone.claimId]);
    await this.announce(tx, [{ eventId, claimId: undone.claimId, kind: 'undone', data }]);
  }

  /**
   * Records the one reminder of a claim's open request: marked sent at `at` (so it is sent once), a
   * 'reminded' event with the deadline and what was asked. The claim's status stays awaiting_customer.
   */
  async remind(tx: Transaction, claimId: string, at: Date): Promise<void> {
    const request = await tx.query<{ request: CustomerRequestBody; deadline: Date }>(
      'UPDATE customer_requests SET reminded_at = $2 WHERE claim_id = $1 RETURNING request, deadline',
      [claimId, at],
    );
    const data = { deadline: new Date(request[0]!.deadline).toISOString(), request: request[0]!.request };
    const eventId = await this.event(tx, claimId, 'reminded', data);
    await this.announce(tx, [{ eventId, claimId, kind: 'reminded', data }]);
  }

  /**
   * Closes a claim its customer did not answer in time: status `closed` with the closing result
   * (the result it replaces kept in `claim_result_versions`, replaced by `closed:<event id>`), the
   * queue index, a 'closed' event naming the reason, the deadline and the policy version.
   * `decided_by` stays the reviewer who asked: a re-run never writes over the claim.
   */
  async close(tx: Transaction, closed: ClosedClaim): Promise<void> {
    const data = {
      from: 'awaiting_customer',
      reason: 'CUSTOMER_NO_RESPONSE',
      policyVersion: closed.policyVersion,
      deadline: closed.deadline,
    };
    const eventId = await this.event(tx, closed.claimId, 'closed', data);
    await this.keepVersion(tx, closed.claimId, `closed:${eventId}`);
    await tx.query(`UPDATE claims SET status = 'closed', result = $2, updated_at = now() WHERE id = $1`, [
      closed.claimId,
      JSON.stringify(closed.result),
    ]);
    await this.reindexQueue(tx, [closed.claimId]);
    await this.announce(tx, [{ eventId, claimId: closed.claimId, kind: 'closed', data }]);
  }

  /** The result a reviewer's decision replaced, as `review` kept it; null when none was kept. */
  async resultBeforeReview(tx: Transaction, claimId: string, reviewedEventId: number): Promise<ClaimResult | null> {
    const rows = await tx.query<{ result: ClaimResult }>(
      'SELECT result FROM claim_result_versions WHERE claim_id = $1 AND replaced_by = $2 ORDER BY id DESC LIMIT 1',
      [claimId, `reviewed:${reviewedEventId}`],
    );
    return rows[0]?.result ?? null;
  }

  /**
   * Replaces results by a reprocessing batch's, in bulk: the replaced results kept in full in
   * `claim_result_versions`, the new ones stored, the queue index following, a 'reprocessed' event each.
   */
  async replaceResults(tx: Transaction, batchId: string, replaced: ReplacedResult[]): Promise<void> {
    if (replaced.length === 0) return;
    const ids = replaced.map((r) => r.claimId);
    await tx.query(
      `INSERT INTO claim_result_versions (claim_id, status, policy_version, result, replaced_by)
       SELECT id, status, policy_version, result, $2 FROM claims WHERE id = ANY($1::text[]) ORDER BY seq`,
      [ids, batchId],
    );
    await tx.query(
      `UPDATE claims c SET status = u.status, policy_version = u.policy_version, result = u.result::jsonb, updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, status, policy_version, result)
        WHERE c.id = ANY($1::text[]) AND c.id = u.id`,
      [
        ids,
        replaced.map((r) => r.result.status),
        replaced.map((r) => r.result.policyVersion),
        replaced.map((r) => JSON.stringify(r.result)),
      ],
    );
    await this.reindexQueue(tx, ids);
    const entries = replaced.map((r) => ({
      claimId: r.claimId,
      data: {
        batch: batchId,
        from: r.from,
        to: r.result.status,
        policyVersion: r.result.policyVersion,
        flags: r.result.flags.map((f) => f.code),
      },
    }));
    const eventIds = await this.events(tx, 'reprocessed', entries);
    await this.announce(
      tx,
      entries.map((e, i) => ({ eventId: eventIds[i]!, claimId: e.claimId, kind: 'reprocessed', data: e.data })),
    );
  }

  /** Records 'second_look' events: the claims' state stays the reviewer's. */
  async secondLooks(tx: Transaction, batchId: string, looks: SecondLook[]): Promise<void> {
    await this.events(
      tx,
      'second_look',
      looks.map((l) => ({
        claimId: l.claimId,
        data: {
          batch: batchId,
          decidedBy: l.decidedBy,
          humanStatus: l.humanStatus,
          machineStatus: l.machineStatus,
          added: l.added,
          dropped: l.dropped,
        },
      })),
    );
  }

  /**
   * The review queue's flag index for these claims, as their stored status and result say: one row
   * per distinct flag code of a claim that needs review, none for any other claim.
   */
  private async reindexQueue(tx: Transaction, claimIds: string[]): Promise<void> {
    await tx.query('DELETE FROM review_queue_flags WHERE claim_id = ANY($1::text[])', [claimIds]);
    await tx.query(
      `INSERT INTO review_queue_flags (code, created_at, seq, claim_id)
       SELECT DISTINCT f ->> 'code', c.created_at, c.seq, c.id FROM claims c, jsonb_array_elements(c.result -> 'flags') AS f
        WHERE c.id = ANY($1::text[]) AND c.status = 'needs_review'`,
      [claimIds],
    );
  }

  /** The claim's open request to the customer, replacing an earlier one. */
  private async openRequest(tx: Transaction, claimId: string, reviewedEventId: number, asked: AskedRequest): Promise<void> {
    await tx.query(
      `INSERT INTO customer_requests (claim_id, reviewed_event, request, asked_at, remind_at, deadline, policy_version, rule)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (claim_id) DO UPDATE
         SET reviewed_event = EXCLUDED.reviewed_event, request = EXCLUDED.request, asked_at = EXCLUDED.asked_at,
             remind_at = EXCLUDED.remind_at, deadline = EXCLUDED.deadline, policy_version = EXCLUDED.policy_version,
             rule = EXCLUDED.rule, reminded_at = NULL`,
      [
        claimId,
        reviewedEventId,
        JSON.stringify(asked.request),
        asked.askedAt,
        asked.remindAt,
        asked.deadline,
        asked.policyVersion,
        asked.rule && JSON.stringify(asked.rule),
      ],
    );
  }

  private async event(tx: Transaction, claimId: string, kind: ClaimEventKind, data: unknown): Promise<number> {
    const rows = await tx.query<{ id: string }>('INSERT INTO claim_events (claim_id, kind, data) VALUES ($1, $2, $3) RETURNING id', [
      claimId,
      kind,
      JSON.stringify(data),
    ]);
    return Number(rows[0]!.id);
  }

  /** The claim's current result, kept in full before it is replaced. */
  private async keepVersion(tx: Transaction, claimId: string, replacedBy: string): Promise<void> {
    await tx.query(
      `INSERT INTO claim_result_versions (claim_id, status, policy_version, result, replaced_by)
       SELECT id, status, policy_version, result, $2 FROM claims WHERE id = $1`,
      [claimId, replacedBy],
    );
  }

  /** Inserts the events in the order given; returns their ids in that order. */
  private async events(tx: Transaction, kind: ClaimEventKind, entries: Array<{ claimId: string; data: unknown }>): Promise<number[]> {
    if (entries.length === 0) return [];
    const rows = await tx.query<{ id: string }>(
      `INSERT INTO claim_events (claim_id, kind, data)
       SELECT id, $1, data::jsonb FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(id, data, n) ORDER BY n
       RETURNING id`,
      [kind, entries.map((e) => e.claimId), entries.map((e) => JSON.stringify(e.data))],
    );
    // Ids follow the insertion order, which the ORDER BY fixes.
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /**
   * Tells webhook subscribers of claim events just written, in the caller's transaction: for each
   * event that maps to a webhook event (`webhookEventFor`) and that some live subscription of the
   * claim's tenant asked for, the webhook event (its data: the claim as the change left it) and one
   * delivery row per such subscription, in event order. Nothing at all when no one subscribed.
   */
  private async announce(tx: Transaction, announced: Array<AnnouncedClaimEvent & { eventId: number; claimId: string }>): Promise<void> {
    const typed = announced.flatMap((a) => {
      const type = webhookEventFor(a);
      return type ? [{ ...a, type }] : [];
    });
    if (typed.length === 0) return;
    const listeners = await tx.query<{ n: string; subscription_id: string; status: string; result: unknown }>(
      `SELECT u.n, s.id AS subscription_id, c.status, c.result
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(claim_id, type, n)
         JOIN claims c ON c.id = u.claim_id
         JOIN webhook_subscriptions s ON s.tenant = c.tenant AND u.type = ANY (s.events)
         JOIN api_keys k ON k.id = s.api_key_id AND k.revoked_at IS NULL
        ORDER BY u.n, s.id`,
      [typed.map((t) => t.claimId), typed.map((t) => t.type)],
    );
    if (listeners.length === 0) return;
    const events = typed.flatMap((t, i) => {
      const heard = listeners.filter((l) => Number(l.n) === i + 1);
      if (heard.length === 0) return [];
      const data = webhookEventData(t.type, t, { status: heard[0]!.status, result: heard[0]!.result });
      return [{ id: `evt_${randomBytes(16).toString('hex')}`, announced: t, data, subscriptions: heard.map((l) => l.subscription_id) }];
    });
    await tx.query(
      `INSERT INTO webhook_events (id, claim_event_id, claim_id, type, data)
       SELECT id, event, claim, type, data::json FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[]) AS u(id, event, claim, type, data)`,
      [
        events.map((e) => e.id),
        events.map((e) => e.announced.eventId),
        events.map((e) => e.announced.claimId),
        events.map((e) => e.announced.type),
        events.map((e) => JSON.stringify(e.data)),
      ],
    );
    const deliveries = events.flatMap((e) => e.subscriptions.map((subscriptionId) => ({ subscriptionId, event: e })));
    await tx.query(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, claim_id)
       SELECT s, e, c FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(s, e, c, n) ORDER BY n`,
      [deliveries.map((d) => d.subscriptionId), deliveries.map((d) => d.event.id), deliveries.map((d) => d.event.announced.claimId)],
    );
  }
}
