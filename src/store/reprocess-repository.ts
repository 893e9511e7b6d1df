import { randomUUID } from 'node:crypto';
import type { ClaimResult } from '../domain/result.js';
import { StaleChunkError } from '../errors/stale-chunk-error.js';
import type { ClaimOutcome, OutcomeKind } from '../domain/claim-outcome.js';
import { filterSql, parseFilter, type SelectionFilter } from '../domain/selection-filter.js';
import { StoredStages, type RecordedStage, type StageOutput } from '../domain/stage-outputs.js';
import { ClaimStateWriter } from './claim-state-writer.js';
import type { ClaimIdentifier, IdentifierKind } from '../domain/fraud.js';
import type { Database } from './database.js';

export type FromStage = 'read' | 'extract' | 'assess';

export interface BatchSpec {
  fromStage: FromStage;
  filter: SelectionFilter;
  policyVersion: string;
  /** Recompute stages even where the stored output was made by the current version from the same input. */
  force: boolean;
}

export interface Batch extends BatchSpec {
  id: string;
  total: number;
  done: number;
  finished: boolean;
}

/** A stored claim with what a re-run starts from. */
export interface ClaimForRerun {
  claimId: string;
  seq: number;
  requestNumber: string;
  file: string | null;
  status: string;
  decidedBy: string | null;
  result: ClaimResult;
  /** The loaded stage outputs, each validated when first read. */
  stages: StoredStages;
  identifiers: ClaimIdentifier[];
}

/** A claim holding one of some identifiers, with its arrival order (for "earlier" checks in memory). */
export interface IdentifierHolder {
  kind: IdentifierKind;
  value: string;
  claimId: string;
  seq: number;
  requestNumber: string;
  file: string | null;
}

/** What applying one claim's re-run writes; `result` is null when the stored one stays. */
export interface ClaimWrite {
  outcome: ClaimOutcome;
  result: ClaimResult | null;
  /** Set when the claim's identifiers changed. */
  identifiers: ClaimIdentifier[] | null;
  stages: StageOutput[];
  /** The machine's result where it was not applied (second look). */
  proposed: ClaimResult | null;
}

interface BatchRow {
  id: string;
  from_stage: FromStage;
  filter: string;
  policy_version: string;
  force: boolean;
  total: number;
  done: string;
  finished_at: Date | null;
}

const BATCH_COLUMNS = `b.id, b.from_stage, b.filter, b.policy_version, b.force, b.total, b.finished_at,
  (SELECT count(*) FROM reprocess_batch_claims d WHERE d.batch_id = b.id AND d.done_at IS NOT NULL) AS done`;

const toBatch = (row: BatchRow): Batch => ({
  id: row.id,
  fromStage: row.from_stage,
  filter: parseFilter(row.filter),
  policyVersion: row.policy_version,
  force: row.force,
  total: row.total,
  done: Number(row.done),
  finished: row.finished_at !== null,
});

/**
 * Reprocessing's SQL: selections, frozen batches, bulk loads and the per-chunk apply transaction.
 * The claims' new results, their queue index and events are written through ClaimStateWriter, in
 * the chunk's transaction with its done markers.
 */
export class ReprocessRepository {
  private readonly state = new ClaimStateWriter();

  constructor(private readonly db: Database) {}

  /** The selected claims in arrival order (a dry-run's selection; nothing is written). */
  async select(filter: SelectionFilter): Promise<string[]> {
    const where = filterSql(filter);
    const rows = await this.db.query<{ id: string }>(`SELECT c.id FROM claims c WHERE ${where.sql} ORDER BY c.seq`, where.params);
    return rows.map((r) => r.id);
  }

  /** Creates a batch with its selection frozen as a list of claim ids, in one transaction. */
  async createBatch(spec: BatchSpec): Promise<Batch> {
    const id = `rp-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
    const where = filterSql(spec.filter, 2);
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO reprocess_batches (id, from_stage, filter, policy_version, force, total) VALUES ($1, $2, $3, $4, $5, 0)`,
        [id, spec.fromStage, spec.filter.text, spec.policyVersion, spec.force],
      );
      await tx.query(
        `INSERT INTO reprocess_batch_claims (batch_id, claim_id, seq) SELECT $1, c.id, c.seq FROM claims c WHERE ${where.sql}`,
        [id, ...where.params],
      );
      const rows = await tx.query<BatchRow>(
        `UPDATE reprocess_batches b SET total = (SELECT count(*) FROM reprocess_batch_claims WHERE batch_id = b.id)
          WHERE b.id = $1 RETURNING ${BATCH_COLUMNS}`,
        [id],
      );
      return toBatch(rows[0]!);
    });
  }

  async getBatch(id: string): Promise<Batch | null> {
    const rows = await this.db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM reprocess_batches b WHERE b.id = $1`, [id]);
    return rows[0] ? toBatch(rows[0]) : null;
  }

  /** An unfinished batch asking for the same re-run: applying again resumes it instead of starting over. */
  async findUnfinished(spec: BatchSpec): Promise<Batch | null> {
    const rows = await this.db.query<BatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM reprocess_batches b
        WHERE b.finished_at IS NULL AND b.from_stage = $1 AND b.filter = $2 AND b.policy_version = $3 AND b.force = $4
        ORDER BY b.created_at DESC LIMIT 1`,
      [spec.fromStage, spec.filter.text, spec.policyVersion, spec.force],
    );
    return rows[0] ? toBatch(rows[0]) : null;
  }

  /** The next claims of a batch not done yet, in arrival order. */
  async nextTodo(batchId: string, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ claim_id: string }>(
      'SELECT claim_id FROM reprocess_batch_claims WHERE batch_id = $1 AND done_at IS NULL ORDER BY seq LIMIT $2',
      [batchId, limit],
    );
    return rows.map((r) => r.claim_id);
  }

  async finish(batchId: string): Promise<void> {
    await this.db.query('UPDATE reprocess_batches SET finished_at = now() WHERE id = $1 AND finished_at IS NULL', [batchId]);
  }

  /** Claims with the given stage outputs and identifiers, in arrival order: three queries for a whole chunk. */
  async load(claimIds: string[], stages: RecordedStage[]): Promise<ClaimForRerun[]> {
    const [claims, outputs, identifiers] = await Promise.all([
      this.db.query<{
        id: string;
        seq: string;
        request_number: string;
        file: string | null;
        status: string;
        decided_by: string | null;
        result: ClaimResult;
      }>('SELECT id, seq, request_number, file, status, decided_by, result FROM claims WHERE id = ANY($1::text[]) ORDER BY seq', [
        claimIds,
      ]),
      this.db.query<{ claim_id: string; stage: string; document: number; stage_version: string; input_hash: string; output: unknown }>(
        'SELECT claim_id, stage, document, stage_version, input_hash, output FROM stage_outputs WHERE claim_id = ANY($1::text[]) AND stage = ANY($2::text[])',
        [claimIds, stages],
      ),
      this.db.query<{ claim_id: string; kind: IdentifierKind; value: string }>(
        'SELECT claim_id, kind, value FROM claim_identifiers WHERE claim_id = ANY($1::text[])',
        [claimIds],
      ),
    ]);
    const byId = new Map(
      claims.map((c): [string, ClaimForRerun] => [
        c.id,
        {
          claimId: c.id,
          seq: Number(c.seq),
          requestNumber: c.request_number,
          file: c.file,
          status: c.status,
          decidedBy: c.decided_by,
          result: c.result,
          stages: new StoredStages(c.id),
          identifiers: [],
        },
      ]),
    );
    for (const o of outputs) {
      byId.get(o.claim_id)?.stages.add({
        stage: o.stage,
        document: Number(o.document),
        stageVersion: o.stage_version,
        inputHash: o.input_hash,
        output: o.output,
      });
    }
    for (const i of identifiers) byId.get(i.claim_id)?.identifiers.push({ kind: i.kind, value: i.value });
    return [...byId.values()];
  }

  /** Every claim holding one of these identifiers; the caller keeps those earlier than each claim. */
  async holdersOf(identifiers: ClaimIdentifier[]): Promise<IdentifierHolder[]> {
    if (identifiers.length === 0) return [];
    // Two index look-ups instead of one join: without planner statistics (the embedded database
    // never analyses) a join chose full scans of both tables, once per chunk.
    const wanted = new Set(identifiers.map((i) => `${i.kind}\u0000${i.value}`));
    const held = (
      await this.db.query<{ kind: IdentifierKind; value: string; claim_id: string }>(
        'SELECT kind, value, claim_id FROM claim_identifiers WHERE kind = ANY($1::text[]) AND value = ANY($2::text[])',
        [[...new Set(identifiers.map((i) => i.kind))], [...new Set(identifiers.map((i) => i.value))]],
      )
    ).filter((h) => wanted.has(`${h.kind}\u0000${h.value}`));
    if (held.length === 0) return [];
    const claims = new Map(
      (
        await this.db.query<{ id: string; seq: string; request_number: string; file: string | null }>(
          'SELECT id, seq, request_number, file FROM claims WHERE id = ANY($1::text[])',
          [[...new Set(held.map((h) => h.claim_id))]],
        )
      ).map((c) => [c.id, c]),
    );
    return held.flatMap((h) => {
      const c = claims.get(h.claim_id);
      return c ? [{ kind: h.kind, value: h.value, claimId: c.id, seq: Number(c.seq), requestNumber: c.request_number, file: c.file }] : [];
    });
  }

  /**
   * Writes a chunk's outcomes in one transaction: the done markers first (refusing claims another
   * runner already did, or a reviewer decided meanwhile: StaleChunkError, nothing written), then the replaced results kept as versions, the new results, identifiers,
   * stage outputs and audit events. A crash leaves either all of a chunk or none of it.
   */
  async applyChunk(batchId: string, writes: ClaimWrite[]): Promise<void> {
    const ids = writes.map((w) => w.outcome.claimId);
    const updated = writes.filter((w) => w.result);
    const json = (values: unknown[]) => values.map((v) => JSON.stringify(v));
    await this.db.transaction(async (tx) => {
      const marked = await tx.query<{ claim_id: string }>(
        `UPDATE reprocess_batch_claims b
            SET done_at = now(), outcome = u.outcome, old_status = u.old_status, new_status = u.new_status,
                added_flags = u.added::jsonb, dropped_flags = u.dropped::jsonb, detail = u.detail::jsonb
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                AS u(claim_id, outcome, old_status, new_status, added, dropped, detail)
          WHERE b.batch_id = $1 AND b.claim_id = ANY($2::text[]) AND b.claim_id = u.claim_id AND b.done_at IS NULL
          RETURNING b.claim_id`,
        [
          batchId,
          ids,
          writes.map((w) => w.outcome.outcome),
          writes.map((w) => w.outcome.oldStatus),
          writes.map((w) => w.outcome.newStatus),
          json(writes.map((w) => w.outcome.addedFlags)),
          json(writes.map((w) => w.outcome.droppedFlags)),
          json(writes.map((w) => ({ reason: w.outcome.reason, proposed: w.proposed }))),
        ],
      );
      if (marked.length !== writes.length) {
        throw new StaleChunkError(
          `batch ${batchId}: ${writes.length - marked.length} of ${writes.length} claims were already done by another run`,
        );
      }
      if (updated.length > 0) {
        const updatedIds = updated.map((w) => w.outcome.claimId);
        // Locked, so a reviewer's decision lands either before this check or after this chunk.
        const locked = await tx.query<{ id: string; decided_by: string | null }>(
          'SELECT id, decided_by FROM claims WHERE id = ANY($1::text[]) FOR UPDATE',
          [updatedIds],
        );
        const reviewed = locked.find((c) => c.decided_by !== null);
        if (reviewed) throw new StaleChunkError(`claim ${reviewed.id} was reviewed while batch ${batchId} ran`);
        await this.state.replaceResults(
          tx,
          batchId,
          updated.map((w) => ({ claimId: w.outcome.claimId, from: w.outcome.oldStatus, result: w.result! })),
        );
      }
      const reidentified = writes.filter((w) => w.identifiers);
      if (reidentified.length > 0) {
        await tx.query('DELETE FROM claim_identifiers WHERE claim_id = ANY($1::text[])', [reidentified.map((w) => w.outcome.claimId)]);
        const rows = reidentified.flatMap((w) => w.identifiers!.map((i) => ({ claimId: w.outcome.claimId, ...i })));
        await tx.query(
          `INSERT INTO claim_identifiers (kind, value, claim_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
          [rows.map((r) => r.kind), rows.map((r) => r.value), rows.map((r) => r.claimId)],
        );
      }
      const stages = writes.flatMap((w) => w.stages.map((s) => ({ claimId: w.outcome.claimId, ...s })));
      if (stages.length > 0) {
        await tx.query(
          `INSERT INTO stage_outputs (claim_id, stage, document, stage_version, input_hash, output)
           SELECT claim_id, stage, document, stage_version, input_hash, output::jsonb
             FROM unnest($1::text[], $2::text[], $6::int[], $3::text[], $4::text[], $5::text[])
                  AS u(claim_id, stage, document, stage_version, input_hash, output)
           ON CONFLICT (claim_id, stage, document) DO UPDATE
             SET stage_version = EXCLUDED.stage_version, input_hash = EXCLUDED.input_hash, output = EXCLUDED.output, created_at = now()`,
          [
            stages.map((s) => s.claimId),
            stages.map((s) => s.stage),
            stages.map((s) => s.stageVersion),
            stages.map((s) => s.inputHash),
            json(stages.map((s) => s.output)),
            stages.map((s) => s.document ?? 0),
          ],
        );
      }
      await this.state.secondLooks(
        tx,
        batchId,
        writes
          .filter((w) => w.outcome.outcome === 'second_look')
          .map((w) => ({
            claimId: w.outcome.claimId,
            decidedBy: w.outcome.decidedBy,
            humanStatus: w.outcome.oldStatus,
            machineStatus: w.outcome.newStatus,
            added: w.outcome.addedFlags,
            dropped: w.outcome.droppedFlags,
          })),
      );
    });
  }

  /** Every done claim's outcome, in arrival order: the report of an applied batch, however often it was resumed. */
  async outcomes(batchId: string): Promise<ClaimOutcome[]> {
    const rows = await this.db.query<{
      claim_id: string;
      request_number: string;
      outcome: OutcomeKind;
      old_status: string;
      new_status: string;
      added_flags: string[];
      dropped_flags: string[];
      decided_by: string | null;
      detail: { reason: string | null };
    }>(
      `SELECT b.claim_id, coalesce(c.request_number, '') AS request_number, b.outcome, b.old_status, b.new_status,
              b.added_flags, b.dropped_flags, c.decided_by, b.detail
         FROM reprocess_batch_claims b LEFT JOIN claims c ON c.id = b.claim_id
        WHERE b.batch_id = $1 AND b.done_at IS NOT NULL ORDER BY b.seq`,
      [batchId],
    );
    return rows.map((r) => ({
      claimId: r.claim_id,
      requestNumber: r.request_number,
      outcome: r.outcome,
      oldStatus: r.old_status,
      newStatus: r.new_status,
      addedFlags: r.added_flags,
      droppedFlags: r.dropped_flags,
      decidedBy: r.decided_by,
      reason: r.detail.reason,
    }));
  }
}
