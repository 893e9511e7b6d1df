import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAKES_DOCUMENTS } from '../../../src/services/claim-submission-service.js';
import { ClaimsRepository } from '../../../src/store/claims-repository.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { ReviewRepository } from '../../../src/store/review-repository.js';
import { UsersRepository } from '../../../src/store/users-repository.js';
import { storedResult } from '../../support/claim-results.js';
import { dropTestDatabase, TEST_DATABASES } from '../../support/test-databases.js';

const hash = (n: number) => String(n).repeat(64).slice(0, 64);

/**
 * A claim's documents as the store keeps them: added under the claim's row lock and status, each
 * change of state through ClaimStateWriter with its event, stages moved on only with every document read.
 */
describe.each(TEST_DATABASES)("a claim's documents on %s", (_name, options) => {
  const opened = options();
  let db: Database;
  let claims: ClaimsRepository;

  /** A claim submitted over the API with its first document, then left in `status` by the machine (or a reviewer). */
  async function claimIn(claimId: string, status: string, decidedBy: string | null = null) {
    await claims.submit({
      claimId,
      file: 'receipt.pdf',
      form: {},
      receiptKey: `receipts/11/${hash(1)}`,
      documentHash: hash(1),
      tenant: 'shop',
      identifiers: [],
    });
    if (status === 'received') return;
    await claims.saveResult(
      { ...storedResult(claimId, status === 'awaiting_customer' ? 'needs_review' : (status as 'eligible')), documentHash: hash(1) },
      [],
      [],
    );
    await db.query('UPDATE claims SET status = $2, decided_by = $3 WHERE id = $1', [claimId, status, decidedBy]);
  }
  const added = (claimId: string, n: number) =>
    claims.addDocument(
      claimId,
      { sha256: hash(n), receiptKey: `receipts/xx/${hash(n)}`, file: `doc-${n}.jpg`, by: 'api' },
      TAKES_DOCUMENTS,
    );
  const row = async (claimId: string) =>
    (await db.query<{ status: string; decided_by: string | null }>('SELECT status, decided_by FROM claims WHERE id = $1', [claimId]))[0]!;

  beforeAll(async () => {
    db = await openDatabase(opened);
    claims = new ClaimsRepository(db);
  });

  afterAll(async () => {
    await db.close();
    await dropTestDatabase(opened);
  });

  it('keeps the first upload as document 0 and a later one after it; the same bytes again are the same document', async () => {
    await claimIn('D-REVIEW', 'needs_review');
    const rita = (await new UsersRepository(db).create('rita', 'not-a-hash', 'reviewer'))!;
    expect(await new ReviewRepository(db).takeLease('D-REVIEW', rita.id, rita.username, 300)).toMatchObject({ username: 'rita' });
    expect(await added('D-REVIEW', 1)).toMatchObject({ kind: 'known', document: { position: 0 }, status: 'needs_review' });
    expect(await added('D-REVIEW', 2)).toMatchObject({
      kind: 'added',
      document: { position: 1, file: 'doc-2.jpg', by: 'api' },
      status: 'received',
    });
    expect(await added('D-REVIEW', 2)).toMatchObject({ kind: 'known', document: { position: 1 } });
    expect((await claims.documents('D-REVIEW')).map((d) => d.sha256)).toEqual([hash(1), hash(2)]);
    // Out of the review queue, and out of the reviewer's hands, while it is read again; the document's bytes are an identifier at once.
    expect(await db.query('SELECT 1 FROM review_queue_flags WHERE claim_id = $1', ['D-REVIEW'])).toEqual([]);
    expect(await db.query('SELECT 1 FROM review_leases WHERE claim_id = $1', ['D-REVIEW'])).toEqual([]);
    expect(await claims.findEarlier(Number.MAX_SAFE_INTEGER, [{ kind: 'receipt_hash', value: hash(2) }])).toMatchObject([
      { claimId: 'D-REVIEW' },
    ]);
    const events = await claims.history('D-REVIEW');
    expect(events.filter((e) => e.kind === 'document_added').map((e) => e.data)).toEqual([
      { document: 1, sha256: hash(2), file: 'doc-2.jpg', by: 'api' },
    ]);
  });

  it("answers a reviewer's request: the claim is the machine's again, the result it had kept", async () => {
    await claimIn('D-ASKED', 'awaiting_customer', 'rita');
    expect(await added('D-ASKED', 3)).toMatchObject({ kind: 'added', status: 'received' });
    expect(await row('D-ASKED')).toEqual({ status: 'received', decided_by: null });
    const kept = await db.query<{ replaced_by: string }>('SELECT replaced_by FROM claim_result_versions WHERE claim_id = $1', ['D-ASKED']);
    expect(kept.map((k) => k.replaced_by)).toEqual([expect.stringMatching(/^document_added:\d+$/)]);
  });

  it('refuses a claim decided for good, and changes nothing of it', async () => {
    await claimIn('D-DONE', 'eligible', 'rita');
    expect(await added('D-DONE', 4)).toEqual({ kind: 'refused', status: 'eligible' });
    expect(await row('D-DONE')).toEqual({ status: 'eligible', decided_by: 'rita' });
    expect(await claims.documents('D-DONE')).toHaveLength(1);
    expect(await added('NO-SUCH', 4)).toEqual({ kind: 'no_claim' });
  });

  it('moves a claim on from reading only once every document is read', async () => {
    await claimIn('D-READING', 'received');
    // A read of the one document it had when the job began; a second came meanwhile.
    expect(await added('D-READING', 5)).toMatchObject({ kind: 'added', status: 'received' });
    expect(await claims.recordStages('D-READING', [], 'received', 'read', 1)).toBe(false);
    expect((await row('D-READING')).status).toBe('received');
    expect(await claims.recordStages('D-READING', [], 'received', 'read', 2)).toBe(true);
    // Past reading, a new document sends it back.
    expect(await added('D-READING', 6)).toMatchObject({ kind: 'added', status: 'received', document: { position: 2 } });
  });
});
