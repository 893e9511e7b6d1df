import { randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ClaimIdentifier, DocumentEvidence, EarlierClaim, FingerprintEntry, IdentifierKind } from '../domain/fraud.js';
import type { ClaimResult } from '../domain/result.js';
import { parseStageOutput, type RecordedStage, type StageOutput, type StoredStageOutput } from '../domain/stage-outputs.js';
import { ClaimStateWriter, type NewDocument } from './claim-state-writer.js';
import type { Database, Queryable } from './database.js';

export type { RecordedStage, StageOutput } from '../domain/stage-outputs.js';

/** A claim as the API took it in, before any worker touched it. */
export interface Submission {
  claimId: string;
  /** The client's file name: shown to people, never used as a path. */
  file: string | null;
  /** The claim form as received, with the claim date filled in at arrival. */
  form: Record<string, unknown>;
  receiptKey: string;
  documentHash: string;
  /** The submitting API key's owner: the only submitter that may read the claim. */
  tenant: string;
  /** Identifiers known at arrival (receipt hash, form serials), so duplicates do not depend on which worker is faster. */
  identifiers: ClaimIdentifier[];
}

export interface SubmittedClaim {
  claimId: string;
  seq: number;
  requestNumber: string;
  file: string | null;
  form: Record<string, unknown>;
  receiptKey: string | null;
  documentHash: string | null;
  status: string;
  /** null: taken in by the CLI, or submitted before submitters were recorded. */
  tenant: string | null;
  /** How many documents the claim has (0: none; the latest is number documents - 1). */
  documents: number;
}

/** One of a claim's documents as recorded. */
export interface ClaimDocument {
  /** Its place among the claim's documents: 0 is the first upload. */
  position: number;
  sha256: string;
  receiptKey: string | null;
  file: string | null;
  by: 'api' | 'cli';
  addedAt: string;
}

/** What adding a document to a claim came to. */
export type DocumentAddition =
  | { kind: 'added'; document: ClaimDocument; status: string }
  /** The very same bytes are already one of the claim's documents: that one, nothing changed. */
  | { kind: 'known'; document: ClaimDocument; status: string }
  /** The claim's status takes no more documents. */
  | { kind: 'refused'; status: string }
  | { kind: 'no_claim' };

/**
 * Statuses that end a claim's automatic processing (awaiting_customer: a reviewer asked the
 * customer for more; closed: the customer did not answer in time).
 */
export const DECIDED_STATUSES: ReadonlySet<string> = new Set([
  'eligible',
  'not_eligible',
  'needs_review',
  'rejected_input',
  'awaiting_customer',
  'closed',
]);

/** What a decision is stored with besides its result, identifiers and stage outputs. */
export interface SaveOptions {
  /** Store only while the claim is still in this status (of two workers, one records it). */
  onlyFrom?: string;
  /** The receipt's fingerprint, replacing the claim's (null removes it); left as it is when absent. */
  fingerprint?: FingerprintEntry | null;
  /** Queue re-checks of later claims already decided without seeing this one (distributed mode). */
  recheckLater?: boolean;
}

export interface StoredClaim {
  id: string;
  requestNumber: string;
  status: string;
  result: ClaimResult;
}

// No 0/O, 1/I: a request number is read out over the phone.
const REQUEST_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function newRequestNumber(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += REQUEST_ALPHABET[randomInt(REQUEST_ALPHABET.length)];
  return `WR-${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * Claims through intake and the machine's decision, with what a decision is stored with (stage
 * outputs, identifiers, the receipt's fingerprint, follow-up jobs). The claim's own state, events
 * and queue index are written through ClaimStateWriter, inside this repository's transactions.
 */
export class ClaimsRepository {
  private readonly state = new ClaimStateWriter();

  constructor(private readonly db: Database) {}

  /**
   * Registers a claim in arrival order (or finds it again) and returns its request number.
   * Re-processing the same claim id keeps its place, so it is never "later" than itself.
   */
  async reserve(claimId: string, file: string | null): Promise<{ requestNumber: string; seq: number; isNew: boolean }> {
    for (;;) {
      const existing = await this.db.query<{ request_number: string; seq: string }>(
        'SELECT request_number, seq FROM claims WHERE id = $1',
        [claimId],
      );
      if (existing[0]) return { requestNumber: existing[0].request_number, seq: Number(existing[0].seq), isNew: false };
      const created = await this.db.transaction((tx) => this.state.create(tx, { claimId, requestNumber: newRequestNumber(), file }));
      if (created) return { ...created, isNew: true };
      // Lost a race for the id (or, rarely, the request number): read again or draw again.
    }
  }

  /**
   * Records a submitted claim with its form and receipt reference, or finds it again when the very
   * same claim is submitted twice (then nothing changes).
   */
  async submit(submission: Submission): Promise<{ requestNumber: string; seq: number; isNew: boolean; status: string }> {
    for (;;) {
      const outcome = await this.db.transaction(async (tx) => {
        const created = await this.state.create(tx, {
          claimId: submission.claimId,
          requestNumber: newRequestNumber(),
          file: submission.file,
          form: submission.form,
          receiptKey: submission.receiptKey,
          documentHash: submission.documentHash,
          tenant: submission.tenant,
        });
        if (created) {
          await this.state.documents(tx, submission.claimId, [
            { position: 0, sha256: submission.documentHash, receiptKey: submission.receiptKey, file: submission.file, by: 'api' },
          ]);
          await this.replaceIdentifiers(tx, submission.claimId, submission.identifiers);
          return { ...created, isNew: true, status: 'received' };
        }
        const existing = await tx.query<{ request_number: string; seq: string; status: string }>(
          'SELECT request_number, seq, status FROM claims WHERE id = $1',
          [submission.claimId],
        );
        return existing[0]
          ? { requestNumber: existing[0].request_number, seq: Number(existing[0].seq), isNew: false, status: existing[0].status }
          : null;
      });
      // null: the drawn request number was taken; draw again.
      if (outcome) return outcome;
    }
  }

  async submitted(claimId: string): Promise<SubmittedClaim | null> {
    const rows = await this.db.query<{
      id: string;
      seq: string;
      request_number: string;
      file: string | null;
      form: Record<string, unknown> | null;
      receipt_key: string | null;
      document_hash: string | null;
      status: string;
      tenant: string | null;
      documents: string;
    }>(
      `SELECT id, seq, request_number, file, form, receipt_key, document_hash, status, tenant,
              (SELECT count(*) FROM claim_documents d WHERE d.claim_id = claims.id) AS documents
         FROM claims WHERE id = $1`,
      [claimId],
    );
    const r = rows[0];
    return r
      ? {
          claimId: r.id,
          seq: Number(r.seq),
          requestNumber: r.request_number,
          file: r.file,
          form: r.form ?? {},
          receiptKey: r.receipt_key,
          documentHash: r.document_hash,
          status: r.status,
          tenant: r.tenant,
          documents: Number(r.documents),
        }
      : null;
  }

  /** The id of the claim quoted by this request number; null when there is none. */
  async idByRequestNumber(requestNumber: string): Promise<string | null> {
    const rows = await this.db.query<{ id: string }>('SELECT id FROM claims WHERE request_number = $1', [requestNumber]);
    return rows[0]?.id ?? null;
  }

  /** The claim's documents in the order they were added. */
  async documents(claimId: string): Promise<ClaimDocument[]> {
    const rows = await this.db.query<DocumentRow>(
      'SELECT position, sha256, receipt_key, file, added_by, added_at FROM claim_documents WHERE claim_id = $1 ORDER BY position',
      [claimId],
    );
    return rows.map(documentOf);
  }

  /** Records the documents a claim came with (embedded mode: a manifest line's files); known ones stay as they are. */
  async recordDocuments(claimId: string, documents: NewDocument[]): Promise<void> {
    await this.db.transaction((tx) => this.state.documents(tx, claimId, documents));
  }

  /**
   * Adds a document to a claim while its status is one of `accepting`, in one transaction with the
   * claim's row locked: the document, its bytes' hash registered for duplicate look-ups, a
   * 'document_added' event, and the claim sent back to reading where it was past it (see
   * ClaimStateWriter.addDocument). A deadline closing the claim or a reviewer deciding it at the
   * same moment is serialised by the lock: whichever commits first wins, the other sees the new status.
   */
  async addDocument(claimId: string, document: Omit<NewDocument, 'position'>, accepting: ReadonlySet<string>): Promise<DocumentAddition> {
    return this.db.transaction(async (tx): Promise<DocumentAddition> => {
      const claim = await tx.query<{ status: string }>('SELECT status FROM claims WHERE id = $1 FOR UPDATE', [claimId]);
      if (!claim[0]) return { kind: 'no_claim' };
      const { status } = claim[0];
      const existing = await tx.query<DocumentRow>(
        `SELECT position, sha256, receipt_key, file, added_by, added_at FROM claim_documents WHERE claim_id = $1 AND sha256 = $2`,
        [claimId, document.sha256],
      );
      if (existing[0]) return { kind: 'known', document: documentOf(existing[0]), status };
      if (!accepting.has(status)) return { kind: 'refused', status };
      const count = await tx.query<{ count: string }>('SELECT count(*) AS count FROM claim_documents WHERE claim_id = $1', [claimId]);
      const added: NewDocument = { ...document, position: Number(count[0]!.count) };
      const now = await this.state.addDocument(tx, claimId, status, added);
      // A reviewer who has the claim open decides on what they saw: that is no longer the claim.
      if (now !== status) await tx.query('DELETE FROM review_leases WHERE claim_id = $1', [claimId]);
      await tx.query(`INSERT INTO claim_identifiers (kind, value, claim_id) VALUES ('receipt_hash', $1, $2) ON CONFLICT DO NOTHING`, [
        document.sha256,
        claimId,
      ]);
      const stored = await tx.query<DocumentRow>(
        'SELECT position, sha256, receipt_key, file, added_by, added_at FROM claim_documents WHERE claim_id = $1 AND position = $2',
        [claimId, added.position],
      );
      return { kind: 'added', document: documentOf(stored[0]!), status: now };
    });
  }

  /** Whether a claim keeps a document in object storage under this hash (objects are shared by content, across claims). */
  async receiptInUse(documentHash: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM claim_documents WHERE sha256 = $1 AND receipt_key IS NOT NULL LIMIT 1', [documentHash]);
    return rows.length > 0;
  }

  /**
   * Stores stage outputs and moves the claim from `from` to `to`, with an audit event, in one
   * transaction; false (and nothing written) when the claim is no longer in `from`. With
   * `documents`, the outputs cover that many documents: when the claim has more by now (one came in
   * meanwhile), the outputs are stored but the claim stays in `from` (false), for the rest to be read.
   */
  async recordStages(claimId: string, stages: StageOutput[], from: string, to: string, documents?: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const previous = await tx.query<{ status: string; documents: string }>(
        `SELECT status, (SELECT count(*) FROM claim_documents d WHERE d.claim_id = claims.id) AS documents
           FROM claims WHERE id = $1 FOR UPDATE`,
        [claimId],
      );
      if (!previous[0]) throw new Error(`claim ${claimId} was not reserved`);
      if (previous[0].status !== from) return false;
      await this.upsertStages(tx, claimId, stages);
      if (documents !== undefined && Number(previous[0].documents) !== documents) return false;
      await this.state.advance(tx, claimId, from, to, stages);
      return true;
    });
  }

  /**
   * A stage's stored output, validated against its schema (InvalidStageOutputError when it does not
   * match); null when none. `document`: which document's, for a per-document stage.
   */
  async stageOutput<S extends RecordedStage>(claimId: string, stage: S, document = 0): Promise<StoredStageOutput<S> | null> {
    const rows = await this.db.query<{ stage_version: string; input_hash: string; output: unknown }>(
      'SELECT stage_version, input_hash, output FROM stage_outputs WHERE claim_id = $1 AND stage = $2 AND document = $3',
      [claimId, stage, document],
    );
    const r = rows[0];
    return r ? { stageVersion: r.stage_version, inputHash: r.input_hash, output: parseStageOutput(claimId, stage, r.output) } : null;
  }

  /** What each read document of the claim contributes to its decision, from the stored outputs, in order. */
  async documentEvidence(claimId: string): Promise<DocumentEvidence[]> {
    const [intakes, extractions, signals] = await Promise.all([
      this.documentOutputs(claimId, 'intake'),
      this.documentOutputs(claimId, 'extract'),
      this.documentOutputs(claimId, 'signals'),
    ]);
    return [...intakes].map(([document, intake]) => ({
      document,
      doc: intake.output,
      extraction: extractions.get(document)?.output ?? null,
      signals: signals.get(document)?.output ?? null,
    }));
  }

  /** A per-document stage's stored outputs, by document, validated; a document without one is absent. */
  async documentOutputs<S extends RecordedStage>(claimId: string, stage: S): Promise<Map<number, StoredStageOutput<S>>> {
    const rows = await this.db.query<{ document: number; stage_version: string; input_hash: string; output: unknown }>(
      'SELECT document, stage_version, input_hash, output FROM stage_outputs WHERE claim_id = $1 AND stage = $2 ORDER BY document',
      [claimId, stage],
    );
    return new Map(
      rows.map((r) => [
        Number(r.document),
        { stageVersion: r.stage_version, inputHash: r.input_hash, output: parseStageOutput(claimId, stage, r.output) },
      ]),
    );
  }

  async countByStatus(): Promise<Array<{ status: string; count: number }>> {
    const rows = await this.db.query<{ status: string; count: string }>('SELECT status, count(*) AS count FROM claims GROUP BY status');
    return rows.map((r) => ({ status: r.status, count: Number(r.count) }));
  }

  /**
   * Claims still in one of `statuses` and untouched for `idleMs`: work a lost, failed or stuck job
   * left behind. In arrival order, `limit` at a time after `afterSeq`, so a sweep reaches them all.
   */
  async idleClaims(
    statuses: string[],
    idleMs: number,
    afterSeq: number,
    limit: number,
  ): Promise<Array<{ claimId: string; seq: number; status: string; documents: number }>> {
    const rows = await this.db.query<{ id: string; seq: string; status: string; documents: string }>(
      `SELECT id, seq, status, (SELECT count(*) FROM claim_documents d WHERE d.claim_id = claims.id) AS documents FROM claims
        WHERE status = ANY($1::text[]) AND updated_at < now() - make_interval(secs => $2::double precision / 1000) AND seq > $3
        ORDER BY seq LIMIT $4`,
      [statuses, idleMs, afterSeq, limit],
    );
    return rows.map((r) => ({ claimId: r.id, seq: Number(r.seq), status: r.status, documents: Number(r.documents) }));
  }

  /** Claims that arrived before `seq` and share one of these identifiers. */
  async findEarlier(seq: number, identifiers: ClaimIdentifier[]): Promise<EarlierClaim[]> {
    if (identifiers.length === 0) return [];
    const rows = await this.db.query<{
      kind: IdentifierKind;
      value: string;
      claim_id: string;
      request_number: string;
      file: string | null;
    }>(
      `SELECT i.kind, i.value, c.id AS claim_id, c.request_number, c.file
         FROM claim_identifiers i JOIN claims c ON c.id = i.claim_id
        WHERE c.seq < $1 AND (i.kind, i.value) IN (SELECT * FROM unnest($2::text[], $3::text[]))
        ORDER BY c.seq`,
      [seq, identifiers.map((i) => i.kind), identifiers.map((i) => i.value)],
    );
    return rows.map((r) => ({ kind: r.kind, value: r.value, claimId: r.claim_id, requestNumber: r.request_number, file: r.file }));
  }

  /**
   * Stores a decision, its stage outputs and identifiers in one transaction, with an audit event;
   * with the options, also the receipt's fingerprint and the re-checks the decision calls for, so
   * nothing a later claim relies on can be lost between the commit and a crash.
   * With `onlyFrom`, writes only while the claim is still in that status and says whether it did:
   * of two workers finishing the same claim, one records it. Never writes over a reviewer's
   * decision (`decided_by` set): then false and nothing written.
   */
  async saveResult(
    result: ClaimResult,
    identifiers: ClaimIdentifier[],
    stages: StageOutput[],
    options: SaveOptions = {},
  ): Promise<boolean> {
    const { onlyFrom } = options;
    return this.db.transaction(async (tx) => {
      const previous = await tx.query<{ status: string; result: unknown; decided_by: string | null; seq: string }>(
        'SELECT status, result, decided_by, seq FROM claims WHERE id = $1 FOR UPDATE',
        [result.claimId],
      );
      if (!previous[0]) throw new Error(`claim ${result.claimId} was not reserved`);
      if (onlyFrom !== undefined && previous[0].status !== onlyFrom) return false;
      // A reviewer's decision stands: a machine run never writes over a human-decided claim.
      if (previous[0].decided_by !== null) return false;
      // The same decision again (a re-check that found nothing new) is not a new event.
      if (onlyFrom !== undefined && isDeepStrictEqual(previous[0].result, JSON.parse(JSON.stringify(result)))) return false;
      await this.state.decide(tx, result, previous[0].status);
      await this.replaceIdentifiers(tx, result.claimId, identifiers);
      if (options.fingerprint !== undefined) await this.replaceFingerprint(tx, result.claimId, options.fingerprint);
      await this.upsertStages(tx, result.claimId, stages);
      if (options.recheckLater) await this.requestRechecksOfLater(tx, result.claimId, Number(previous[0].seq));
      return true;
    });
  }

  /**
   * Claims that arrived after this one, are already decided and share an identifier or a receipt
   * blocking key with it were decided without seeing it (in distributed mode a later claim can be
   * decided first): each gets a re-check through the outbox (job_outbox, relayed by OutboxRelay).
   */
  private async requestRechecksOfLater(tx: Queryable, claimId: string, seq: number): Promise<void> {
    await tx.query(
      `INSERT INTO job_outbox (kind, claim_id, cause_id)
       SELECT 'recheck', c.id, $1 FROM claims c
        WHERE c.seq > $2 AND c.status = ANY($3::text[]) AND c.id IN (
          SELECT other.claim_id FROM claim_identifiers mine JOIN claim_identifiers other USING (kind, value) WHERE mine.claim_id = $1
          UNION
          SELECT other.claim_id FROM receipt_blocks mine JOIN receipt_blocks other USING (block) WHERE mine.claim_id = $1)
        ORDER BY c.seq`,
      [claimId, seq, [...DECIDED_STATUSES]],
    );
  }

  /** Replaces the receipt fingerprint later claims are compared with, and its blocking keys. */
  private async replaceFingerprint(tx: Queryable, claimId: string, entry: FingerprintEntry | null): Promise<void> {
    await tx.query('DELETE FROM receipt_blocks WHERE claim_id = $1', [claimId]);
    await tx.query('DELETE FROM receipt_fingerprints WHERE claim_id = $1', [claimId]);
    if (!entry) return;
    await tx.query('INSERT INTO receipt_fingerprints (claim_id, fingerprint) VALUES ($1, $2)', [
      claimId,
      JSON.stringify(entry.fingerprint),
    ]);
    if (entry.blocks.length > 0) {
      await tx.query(`INSERT INTO receipt_blocks (block, claim_id) SELECT b, $1 FROM unnest($2::text[]) AS t(b) ON CONFLICT DO NOTHING`, [
        claimId,
        entry.blocks,
      ]);
    }
  }

  private async upsertStages(tx: Queryable, claimId: string, stages: StageOutput[]): Promise<void> {
    for (const s of stages) {
      await tx.query(
        `INSERT INTO stage_outputs (claim_id, stage, document, stage_version, input_hash, output) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (claim_id, stage, document) DO UPDATE
           SET stage_version = EXCLUDED.stage_version, input_hash = EXCLUDED.input_hash, output = EXCLUDED.output, created_at = now()`,
        [claimId, s.stage, s.document ?? 0, s.stageVersion, s.inputHash, JSON.stringify(s.output)],
      );
    }
  }

  private async replaceIdentifiers(tx: Queryable, claimId: string, identifiers: ClaimIdentifier[]): Promise<void> {
    await tx.query('DELETE FROM claim_identifiers WHERE claim_id = $1', [claimId]);
    if (identifiers.length === 0) return;
    await tx.query(
      `INSERT INTO claim_identifiers (kind, value, claim_id)
       SELECT k, v, $1 FROM unnest($2::text[], $3::text[]) AS t(k, v) ON CONFLICT DO NOTHING`,
      [claimId, identifiers.map((i) => i.kind), identifiers.map((i) => i.value)],
    );
  }

  async get(claimId: string): Promise<StoredClaim | null> {
    const rows = await this.db.query<{ id: string; request_number: string; status: string; result: ClaimResult }>(
      'SELECT id, request_number, status, result FROM claims WHERE id = $1',
      [claimId],
    );
    const row = rows[0];
    return row ? { id: row.id, requestNumber: row.request_number, status: row.status, result: row.result } : null;
  }

  async history(claimId: string): Promise<Array<{ kind: string; data: unknown; at: string }>> {
    const rows = await this.db.query<{ kind: string; data: unknown; created_at: Date }>(
      'SELECT kind, data, created_at FROM claim_events WHERE claim_id = $1 ORDER BY id',
      [claimId],
    );
    return rows.map((r) => ({ kind: r.kind, data: r.data, at: new Date(r.created_at).toISOString() }));
  }
}

interface DocumentRow {
  position: number;
  sha256: string;
  receipt_key: string | null;
  file: string | null;
  added_by: 'api' | 'cli';
  added_at: Date;
}

const documentOf = (r: DocumentRow): ClaimDocument => ({
  position: Number(r.position),
  sha256: r.sha256,
  receiptKey: r.receipt_key,
  file: r.file,
  by: r.added_by,
  addedAt: new Date(r.added_at).toISOString(),
});
