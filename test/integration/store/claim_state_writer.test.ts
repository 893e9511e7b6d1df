import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidStageOutputError } from '../../../src/errors/invalid-stage-output-error.js';
import type { ClaimOutcome } from '../../../src/domain/claim-outcome.js';
import { parseFilter } from '../../../src/domain/selection-filter.js';
import { customerRequest, responseDeadlines } from '../../../src/domain/customer-requests.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { ClaimsRepository } from '../../../src/store/claims-repository.js';
import { CustomerRequestsRepository } from '../../../src/store/customer-requests-repository.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { ReprocessRepository, type ClaimWrite } from '../../../src/store/reprocess-repository.js';
import { ReviewRepository } from '../../../src/store/review-repository.js';
import { UsersRepository } from '../../../src/store/users-repository.js';
import { seedClaimNeedingReview, storedResult } from '../../support/claim-results.js';
import { dropTestDatabase, TEST_DATABASES } from '../../support/test-databases.js';

/**
 * The claim's state has one writer (ClaimStateWriter), called by three repositories inside their
 * own transactions: whichever of them changes a claim, the review queue's flag index must say what
 * the claims' stored status and result say, and the change must leave its event.
 */
describe.each(TEST_DATABASES)('claim state on %s', (_name, options) => {
  const opened = options();
  let db: Database;
  let claims: ClaimsRepository;
  let reviews: ReviewRepository;
  let reprocess: ReprocessRepository;
  let reviewer: { id: number; username: string };

  beforeAll(async () => {
    db = await openDatabase(opened);
    claims = new ClaimsRepository(db);
    reviews = new ReviewRepository(db);
    reprocess = new ReprocessRepository(db);
    reviewer = (await new UsersRepository(db).create('rita', 'not-a-hash', 'reviewer'))!;
  });

  afterAll(async () => {
    await db.close();
    await dropTestDatabase(opened);
  });

  /** The flag codes the index holds for a claim. */
  const indexed = async (claimId: string) =>
    (await db.query<{ code: string }>('SELECT code FROM review_queue_flags WHERE claim_id = $1 ORDER BY code', [claimId])).map(
      (r) => r.code,
    );

  /** The whole index against the one it should be, derived afresh from every claim's stored status and result. */
  const expectIndexInStep = async () => {
    const rows = (sql: string) => db.query<{ code: string; at: string; seq: string; claim_id: string }>(`${sql} ORDER BY claim_id, code`);
    const derived = await rows(
      `SELECT DISTINCT f ->> 'code' AS code, c.created_at::text AS at, c.seq, c.id AS claim_id
         FROM claims c, jsonb_array_elements(c.result -> 'flags') AS f WHERE c.status = 'needs_review'`,
    );
    expect(await rows('SELECT code, created_at::text AS at, seq, claim_id FROM review_queue_flags')).toEqual(derived);
  };

  const kinds = async (claimId: string) => (await claims.history(claimId)).map((h) => h.kind);

  it('keeps the queue index in step with a machine decision, and with the next one', async () => {
    await claims.reserve('W-A', 'a.jpg');
    await claims.recordStages('W-A', [], 'received', 'read');
    expect(await indexed('W-A')).toEqual([]);
    await claims.saveResult(storedResult('W-A', 'needs_review', ['SERIAL_MISMATCH', 'LOW_CONFIDENCE', 'SERIAL_MISMATCH']), [], [], {
      onlyFrom: 'read',
    });
    expect(await indexed('W-A')).toEqual(['LOW_CONFIDENCE', 'SERIAL_MISMATCH']);
    await claims.saveResult(storedResult('W-A', 'needs_review', ['LOW_CONFIDENCE']), [], []);
    expect(await indexed('W-A')).toEqual(['LOW_CONFIDENCE']);
    expect(await kinds('W-A')).toEqual(['received', 'stage', 'decided', 'decided']);

    await claims.reserve('W-B', 'b.jpg');
    await claims.saveResult(storedResult('W-B', 'needs_review', ['DUPLICATE_SERIAL']), [], []);
    await claims.reserve('W-C', 'c.jpg');
    await claims.saveResult(storedResult('W-C', 'eligible', ['FORM_NORMALISED']), [], []);
    expect(await indexed('W-B')).toEqual(['DUPLICATE_SERIAL']);
    expect(await indexed('W-C')).toEqual([]);
    await expectIndexInStep();
  });

  it('takes a reviewed claim out of the index, with its reviewed event, in the lease-checking transaction', async () => {
    const stored = (await claims.get('W-A'))!;
    const review = {
      claimId: 'W-A',
      userId: reviewer.id,
      reviewer: reviewer.username,
      status: 'eligible',
      action: 'approve',
      reason: null,
      note: null,
      corrections: [],
      result: { ...stored.result, status: 'eligible' as const },
      extractVersion: null,
      request: null,
    };
    // Without the lease nothing is written: not the claim, not its event, not the index.
    expect(await reviews.recordReview(review)).toBe('lease_lost');
    expect(await indexed('W-A')).toEqual(['LOW_CONFIDENCE']);
    await reviews.takeLease('W-A', reviewer.id, reviewer.username, 60);
    expect(await reviews.recordReview(review)).toBe('recorded');
    expect(await indexed('W-A')).toEqual([]);
    expect((await reviews.claim('W-A'))!.decidedBy).toBe('rita');
    expect(await kinds('W-A')).toEqual(['received', 'stage', 'decided', 'decided', 'reviewed']);
    expect((await claims.history('W-A')).at(-1)!.data).toMatchObject({ from: 'needs_review', status: 'eligible', reviewer: 'rita' });

    // Asking the customer keeps the claim out of the queue too (its contract status stays needs_review).
    await reviews.takeLease('W-B', reviewer.id, reviewer.username, 60);
    const waiting = (await claims.get('W-B'))!;
    expect(
      await reviews.recordReview({
        ...review,
        claimId: 'W-B',
        status: 'awaiting_customer',
        action: 'request_info',
        result: waiting.result,
      }),
    ).toBe('recorded');
    expect(await indexed('W-B')).toEqual([]);
    await expectIndexInStep();
  });

  it('moves the index with a reprocessing chunk, keeping prior results and a reprocessed or second_look event each', async () => {
    await claims.reserve('W-D', 'd.jpg');
    await claims.saveResult(storedResult('W-D', 'needs_review', ['MISSING_SERIAL']), [], []);
    const batch = await reprocess.createBatch({
      fromStage: 'assess',
      filter: parseFilter('id=W-A,W-C,W-D'),
      policyVersion: '2026.1',
      force: false,
    });
    const outcome = (claimId: string, kind: ClaimOutcome['outcome'], oldStatus: string, newStatus: string): ClaimOutcome => ({
      claimId,
      requestNumber: '',
      outcome: kind,
      oldStatus,
      newStatus,
      addedFlags: [],
      droppedFlags: [],
      decidedBy: kind === 'second_look' ? 'rita' : null,
      reason: null,
    });
    const writes: ClaimWrite[] = [
      // Reviewer-decided: compared, never written.
      {
        outcome: outcome('W-A', 'second_look', 'eligible', 'needs_review'),
        result: null,
        identifiers: null,
        stages: [],
        proposed: storedResult('W-A', 'needs_review', ['LOW_CONFIDENCE']),
      },
      // Into the queue, and out of it.
      {
        outcome: outcome('W-C', 'updated', 'eligible', 'needs_review'),
        result: storedResult('W-C', 'needs_review', ['WARRANTY_EXPIRED', 'DATE_MISMATCH']),
        identifiers: null,
        stages: [],
        proposed: null,
      },
      {
        outcome: outcome('W-D', 'updated', 'needs_review', 'eligible'),
        result: storedResult('W-D', 'eligible', []),
        identifiers: null,
        stages: [],
        proposed: null,
      },
    ];
    await reprocess.applyChunk(batch.id, writes);

    expect(await indexed('W-A')).toEqual([]);
    expect(await indexed('W-C')).toEqual(['DATE_MISMATCH', 'WARRANTY_EXPIRED']);
    expect(await indexed('W-D')).toEqual([]);
    await expectIndexInStep();
    expect((await claims.get('W-A'))!.status).toBe('eligible');
    expect(await kinds('W-A')).toEqual(['received', 'stage', 'decided', 'decided', 'reviewed', 'second_look']);
    expect(await kinds('W-C')).toEqual(['received', 'decided', 'reprocessed']);
    expect((await claims.history('W-D')).at(-1)).toMatchObject({
      kind: 'reprocessed',
      data: { batch: batch.id, from: 'needs_review', to: 'eligible', flags: [] },
    });
    const versions = await db.query<{ claim_id: string; status: string; replaced_by: string }>(
      'SELECT claim_id, status, replaced_by FROM claim_result_versions ORDER BY claim_id',
    );
    expect(versions).toEqual([
      // The machine's results the reviews replaced, kept for an undo.
      { claim_id: 'W-A', status: 'needs_review', replaced_by: expect.stringMatching(/^reviewed:\d+$/) },
      { claim_id: 'W-B', status: 'needs_review', replaced_by: expect.stringMatching(/^reviewed:\d+$/) },
      { claim_id: 'W-C', status: 'eligible', replaced_by: batch.id },
      { claim_id: 'W-D', status: 'needs_review', replaced_by: batch.id },
    ]);
  });

  it('reads a stage output back typed by its stage, and refuses one that does not match its schema', async () => {
    const text = { source: 'pdf-text' as const, pages: [], confidence: 1 };
    await claims.reserve('W-E', 'e.pdf');
    await claims.recordStages('W-E', [{ stage: 'read', stageVersion: 'r1', inputHash: 'h', output: text }], 'received', 'read');
    const read = await claims.stageOutput('W-E', 'read');
    expect(read).toEqual({ stageVersion: 'r1', inputHash: 'h', output: text });
    // Typed as the read stage's TextLayer: no cast needed.
    expect(read!.output.source).toBe('pdf-text');
    expect(await claims.stageOutput('W-E', 'extract')).toBeNull();

    await db.query(`UPDATE stage_outputs SET output = '{"source":"fax"}'::jsonb WHERE claim_id = 'W-E' AND stage = 'read'`);
    await expect(claims.stageOutput('W-E', 'read')).rejects.toThrow(InvalidStageOutputError);

    // A stage name that no stage records does not compile.
    // @ts-expect-error: 'ocr' is not a recorded stage
    const wrongStage = () => claims.stageOutput('W-E', 'ocr');
    expect(typeof wrongStage).toBe('function');
  });

  it('opens a request with the asking decision, reminds it once and closes the claim, keeping the replaced result, while it waits', async () => {
    const requests = new CustomerRequestsRepository(db);
    await seedClaimNeedingReview(claims, 'W-R', ['MISSING_SERIAL']);
    await reviews.takeLease('W-R', reviewer.id, reviewer.username, 60);
    const askedAt = new Date('2026-03-01T09:00:00.000Z');
    const rule = loadPolicy('2026.6').customerResponse!;
    expect(
      await reviews.recordReview({
        claimId: 'W-R',
        userId: reviewer.id,
        reviewer: reviewer.username,
        status: 'awaiting_customer',
        action: 'request_info',
        reason: null,
        note: 'label please',
        corrections: [],
        result: (await claims.get('W-R'))!.result,
        extractVersion: null,
        request: {
          request: customerRequest(['SERIAL_LABEL_PHOTO'], 'label please'),
          askedAt,
          ...responseDeadlines(askedAt, rule),
          policyVersion: '2026.6',
          rule,
        },
      }),
    ).toBe('recorded');
    expect(await requests.open('W-R')).toMatchObject({
      askedAt: askedAt.toISOString(),
      deadline: '2026-03-15T09:00:00.000Z',
      remindedAt: null,
    });

    const day7 = new Date('2026-03-08T09:00:00.000Z');
    expect(await requests.reminderDue(day7, 10)).toEqual(['W-R']);
    expect([await requests.remind('W-R', day7), await requests.remind('W-R', day7)]).toEqual([true, false]);
    expect(await requests.close('W-R', day7)).toBe(false);
    const day14 = new Date('2026-03-15T09:00:00.000Z');
    expect(await requests.overdue(day14, 10)).toEqual(['W-R']);
    expect([await requests.close('W-R', day14), await requests.close('W-R', day14)]).toEqual([true, false]);
    expect((await claims.get('W-R'))!.status).toBe('closed');
    expect(await requests.open('W-R')).toBeNull();
    expect(await kinds('W-R')).toEqual(['received', 'decided', 'reviewed', 'reminded', 'closed']);
    const kept = await db.query<{ status: string; replaced_by: string }>(
      `SELECT status, replaced_by FROM claim_result_versions WHERE claim_id = 'W-R' ORDER BY id`,
    );
    expect(kept.map((k) => [k.status, k.replaced_by.split(':')[0]])).toEqual([
      ['needs_review', 'reviewed'],
      ['awaiting_customer', 'closed'],
    ]);
    expect(await indexed('W-R')).toEqual([]);
    await expectIndexInStep();
  });
});
