import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE_VERSIONS } from '../../../pipelines/claim-stages.js';
import { createLogger } from '../../../src/config/logger.js';
import type { ClaimResult } from '../../../src/domain/result.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { BatchRunner } from '../../../src/reprocess/batch-runner.js';
import { decisionChanges } from '../../../src/domain/claim-outcome.js';
import { summarise } from '../../../src/reprocess/reprocess-report.js';
import { parseFilter } from '../../../src/domain/selection-filter.js';
import { storeSyntheticClaims, stricterPolicy, syntheticClaims } from '../../../tools/harness/synthetic-claims.js';
import { ClaimsRepository } from '../../../src/store/claims-repository.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { FingerprintRepository } from '../../../src/store/fingerprint-repository.js';
import { ReprocessRepository, type BatchSpec, type FromStage } from '../../../src/store/reprocess-repository.js';
import { dropTestDatabase, TEST_DATABASES } from '../../support/test-databases.js';

const CURRENT = loadPolicy();
// A stricter table, as a policy change would bring.
const STRICT = stricterPolicy(CURRENT, '9999.1');
const policies = (version: string) => (version === STRICT.version ? STRICT : loadPolicy(version));

const spec = (where: string, policyVersion = CURRENT.version, fromStage: FromStage = 'assess', force = false): BatchSpec => ({
  fromStage,
  filter: parseFilter(where),
  policyVersion,
  force,
});

/** Everything a re-run could touch, as one comparable value. */
async function snapshot(db: Database): Promise<unknown> {
  const tables = [
    'claims',
    'claim_events',
    'stage_outputs',
    'claim_identifiers',
    'claim_result_versions',
    'reprocess_batches',
    'reprocess_batch_claims',
  ];
  const rows = await Promise.all(
    tables.map((t) =>
      db.query<{ digest: string; n: string }>(
        `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest, count(*) AS n FROM ${t} t`,
      ),
    ),
  );
  return Object.fromEntries(tables.map((t, i) => [t, rows[i]![0]]));
}

describe.each(TEST_DATABASES)('batch reprocessing on %s', (_name, options) => {
  const opened = options();
  const seeded = syntheticClaims(120, { seed: 7 });
  let db: Database;
  let repo: ReprocessRepository;
  let claims: ClaimsRepository;
  let runner: BatchRunner;

  const stored = async (claimId: string) => (await claims.get(claimId))!;
  /** The state a workbench review leaves (see ReviewRepository.recordReview): decided_by set, a 'reviewed' event. */
  const reviewAsEligible = (claimId: string, reviewer: string) =>
    db.transaction(async (tx) => {
      await tx.query(`UPDATE claims SET status = 'eligible', decided_by = $2 WHERE id = $1`, [claimId, reviewer]);
      await tx.query(`INSERT INTO claim_events (claim_id, kind, data) VALUES ($1, 'reviewed', $2)`, [
        claimId,
        JSON.stringify({ status: 'eligible', reviewer }),
      ]);
    });
  const allResults = async () => await db.query<{ result: ClaimResult; id: string }>('SELECT id, result FROM claims ORDER BY seq');

  beforeAll(async () => {
    db = await openDatabase(opened);
    repo = new ReprocessRepository(db);
    claims = new ClaimsRepository(db);
    await storeSyntheticClaims(seeded, { claims, fingerprints: new FingerprintRepository(db), policy: CURRENT });
    runner = new BatchRunner({
      repo,
      fingerprints: new FingerprintRepository(db),
      policy: policies,
      chunkSize: 25,
      ocrWorkers: 1,
      limits: { maxFileBytes: 5e6, maxPixels: 6e7, maxPdfPages: 10 },
      receipts: { byHash: async () => null },
      ocr: () => Promise.reject(new Error('a re-run from stored outputs must not start OCR')),
      logger: createLogger({ logLevel: 'silent' }),
    });
  });

  afterAll(async () => {
    await db.close();
    await dropTestDatabase(opened);
  });

  it('selects claims with the filter language on the real database', async () => {
    const results = await allResults();
    const ids = (pick: (r: ClaimResult) => boolean) => results.filter((r) => pick(r.result)).map((r) => r.id);
    expect(await repo.select(parseFilter('id=SYN-000003,SYN-000001'))).toEqual(['SYN-000001', 'SYN-000003']);
    expect(await repo.select(parseFilter('status=eligible and family=phone'))).toEqual(
      ids((r) => r.status === 'eligible' && r.warranty?.family === 'phone'),
    );
    expect(await repo.select(parseFilter('family!=phone'))).toEqual(ids((r) => r.warranty?.family !== 'phone'));
    expect(await repo.select(parseFilter('flag=DUPLICATE_SERIAL,DUPLICATE_RECEIPT'))).toEqual(
      ids((r) => r.flags.some((f) => f.code === 'DUPLICATE_SERIAL' || f.code === 'DUPLICATE_RECEIPT')),
    );
    expect(await repo.select(parseFilter('retailer=mediamarkt'))).toEqual(ids((r) => r.fields.retailer.value === 'MediaMarkt'));
    const claimDates = new Map(seeded.map((c) => [c.claimId, c.form.claimDate]));
    expect(await repo.select(parseFilter('claimed<2024-01-01'))).toEqual(
      results.filter((r) => claimDates.get(r.id)! < '2024-01-01').map((r) => r.id),
    );
    expect(await repo.select(parseFilter('created<2020-01-01'))).toEqual([]);
    expect(await repo.select(parseFilter(`created<=2999-12-31 and policy=${CURRENT.version} and reviewed=no`))).toHaveLength(seeded.length);
  });

  it('re-assessing with the same policy and code changes nothing, duplicates included', async () => {
    const outcomes = await runner.dryRun(spec('created>2000-01-01'));
    expect(outcomes).toHaveLength(seeded.length);
    expect(outcomes.filter((o) => o.outcome !== 'unchanged')).toEqual([]);
    expect((await allResults()).some((r) => r.result.flags.some((f) => f.code === 'DUPLICATE_SERIAL'))).toBe(true);
  });

  it('a dry-run reports what a policy change would do and writes nothing', async () => {
    const before = await snapshot(db);
    const outcomes = await runner.dryRun(spec('family=phone', STRICT.version));
    expect(await snapshot(db)).toEqual(before);

    const summary = summarise(outcomes);
    expect(summary.statusChanges).toContainEqual(expect.objectContaining({ from: 'eligible', to: 'not_eligible' }));
    expect(summary.addedFlags.map((f) => f.code)).toContain('WARRANTY_EXPIRED');
    // Every re-assessed phone gets a new result (it names the new policy); some change their decision.
    expect(summary.byOutcome.updated).toBe(outcomes.length);
    expect(summary.changed.length).toBeGreaterThan(0);
    expect(summary.changed.every(decisionChanges)).toBe(true);
    for (const o of summary.changed) expect((await stored(o.claimId)).status).toBe(o.oldStatus);
  });

  it('keeps a reviewer decision and lists it for a second look where the machine now differs', async () => {
    const phones = await repo.select(parseFilter('family=phone and status=eligible'));
    const preview = await runner.dryRun(spec(`id=${phones.join(',')}`, STRICT.version));
    const willChange = preview.find((o) => o.newStatus !== o.oldStatus)!;
    const willStay = preview.find((o) => o.newStatus === o.oldStatus)!;
    await reviewAsEligible(willChange.claimId, 'anna');
    await reviewAsEligible(willStay.claimId, 'ben');
    const resultBefore = (await stored(willChange.claimId)).result;

    const { batch } = await runner.startBatch(spec(`id=${willChange.claimId},${willStay.claimId}`, STRICT.version));
    const outcomes = await runner.runBatch(batch);

    const expected = [
      { claimId: willChange.claimId, outcome: 'second_look', oldStatus: 'eligible', newStatus: 'not_eligible', decidedBy: 'anna' },
      { claimId: willStay.claimId, outcome: 'unchanged', decidedBy: 'ben' },
    ].sort((a, b) => phones.indexOf(a.claimId) - phones.indexOf(b.claimId));
    expect(outcomes).toEqual(expected.map((e) => expect.objectContaining(e)));
    expect((await stored(willChange.claimId)).result).toEqual(resultBefore);
    expect((await claims.history(willChange.claimId)).map((h) => h.kind)).toEqual(['received', 'decided', 'reviewed', 'second_look']);
    expect(summarise(outcomes).changed.map((o) => o.claimId)).toEqual([willChange.claimId]);
    const versions = await db.query('SELECT 1 FROM claim_result_versions WHERE claim_id = ANY($1::text[])', [
      [willChange.claimId, willStay.claimId],
    ]);
    expect(versions).toEqual([]);
  });

  it('apply writes what the dry-run predicted as a new version and keeps the old result', async () => {
    const where = 'family=phone and reviewed=no';
    const predicted = await runner.dryRun(spec(where, STRICT.version));
    const oldResults = new Map((await allResults()).map((r) => [r.id, r.result]));

    const { batch, resumed } = await runner.startBatch(spec(where, STRICT.version));
    expect(resumed).toBe(false);
    const applied = await runner.runBatch(batch);
    expect(applied).toEqual(predicted);

    const updated = applied.filter((o) => o.outcome === 'updated');
    expect(updated.length).toBeGreaterThan(0);
    for (const o of updated) {
      const now = await stored(o.claimId);
      expect(now.status).toBe(o.newStatus);
      expect(now.result.policyVersion).toBe(STRICT.version);
      const versions = await db.query<{ result: ClaimResult; replaced_by: string }>(
        'SELECT result, replaced_by FROM claim_result_versions WHERE claim_id = $1',
        [o.claimId],
      );
      expect(versions).toEqual([{ result: oldResults.get(o.claimId), replaced_by: batch.id }]);
      expect((await claims.history(o.claimId)).at(-1)).toMatchObject({
        kind: 'reprocessed',
        data: { batch: batch.id, from: o.oldStatus, to: o.newStatus },
      });
      const assessed = await db.query<{ stage_version: string }>(
        "SELECT stage_version FROM stage_outputs WHERE claim_id = $1 AND stage = 'assess'",
        [o.claimId],
      );
      expect(assessed).toEqual([{ stage_version: STRICT.version }]);
    }
    expect(await repo.getBatch(batch.id)).toMatchObject({ finished: true, done: predicted.length, total: predicted.length });
    // Applied once, the same re-run has nothing left to change.
    expect((await runner.dryRun(spec(where, STRICT.version))).filter((o) => o.outcome !== 'unchanged')).toEqual([]);
  });

  it("re-extracts only where the stored extraction is not the current code's, from the stored text", async () => {
    const [target] = await repo.select(parseFilter('family=tv'));
    // An extraction made by an older extractor that missed the model.
    await db.query(
      `UPDATE stage_outputs SET stage_version = 'extract-0', output = jsonb_set(output, '{model}', '{"value": null, "confidence": 0, "source": null}')
        WHERE claim_id = $1 AND stage = 'extract'`,
      [target],
    );
    const fromAssess = await runner.dryRun(spec(`id=${target}`, CURRENT.version, 'assess'));
    expect(fromAssess[0]).toMatchObject({ outcome: 'updated' });

    const fromExtract = await runner.dryRun(spec(`id=${target}`, CURRENT.version, 'extract'));
    expect(fromExtract[0]).toMatchObject({ outcome: 'unchanged' });
    const { batch } = await runner.startBatch(spec(`id=${target}`, CURRENT.version, 'extract'));
    await runner.runBatch(batch);
    const extractStage = await db.query<{ stage_version: string; output: { model: { value: string } } }>(
      "SELECT stage_version, output FROM stage_outputs WHERE claim_id = $1 AND stage = 'extract'",
      [target],
    );
    expect(extractStage[0]).toMatchObject({ stage_version: STAGE_VERSIONS.extract, output: { model: { value: 'QE55Q80CATXZG' } } });
  });

  it('a re-run from the OCR stage fails claims whose receipt was not kept, and changes nothing for them', async () => {
    const [target] = await repo.select(parseFilter('family=audio'));
    const before = await stored(target!);
    const { batch } = await runner.startBatch(spec(`id=${target}`, CURRENT.version, 'read', true));
    const [outcome] = await runner.runBatch(batch);
    expect(outcome).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('not in the receipt store') });
    expect(await stored(target!)).toEqual(before);
  });
});
