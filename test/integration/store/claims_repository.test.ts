import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimsRepository } from '../../../src/store/claims-repository.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { storedResult } from '../../support/claim-results.js';

const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// The same behaviour must hold on the embedded database and on a PostgreSQL server: one schema, one dialect.
describe.each([
  ['embedded PGlite', () => ({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'warranty-store-')) })],
  ['PostgreSQL server', () => ({ url: POSTGRES_URL, schema: `test_${randomUUID().replace(/-/g, '')}` })],
])('claims repository on %s', (_name, options) => {
  let db: Database;
  let repo: ClaimsRepository;
  const opened = options();

  beforeAll(async () => {
    db = await openDatabase(opened);
    repo = new ClaimsRepository(db);
  });

  afterAll(async () => {
    await db.close();
    if ('dataDir' in opened) rmSync(opened.dataDir, { recursive: true, force: true });
    if ('schema' in opened) {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${opened.schema} CASCADE`);
      await admin.end();
    }
  });

  it('gives a new claim a quotable request number and keeps it on re-processing', async () => {
    const first = await repo.reserve('claim-a', 'a.jpg');
    expect(first.isNew).toBe(true);
    expect(first.requestNumber).toMatch(/^WR-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    const again = await repo.reserve('claim-a', 'a.jpg');
    expect(again).toEqual({ ...first, isNew: false });
  });

  it('finds only earlier claims sharing an identifier, never the claim itself', async () => {
    const a = await repo.reserve('dup-a', null);
    await repo.saveResult(storedResult('dup-a'), [{ kind: 'serial', value: 'R5CT6073PQV' }], []);
    const b = await repo.reserve('dup-b', null);
    await repo.saveResult(storedResult('dup-b'), [{ kind: 'serial', value: 'R5CT6073PQV' }], []);

    const forB = await repo.findEarlier(b.seq, [{ kind: 'serial', value: 'R5CT6073PQV' }]);
    expect(forB.map((e) => e.claimId)).toEqual(['dup-a']);
    // The first claim, processed again, is not a duplicate of the later one.
    expect(await repo.findEarlier(a.seq, [{ kind: 'serial', value: 'R5CT6073PQV' }])).toEqual([]);
    expect(await repo.findEarlier(b.seq, [{ kind: 'serial', value: 'OTHER' }])).toEqual([]);
  });

  it('stores the decision with its stage outputs and an audit trail', async () => {
    const decision = { status: 'needs_review' as const, warranty: null, flags: [], policyVersion: '2026.1' };
    await repo.reserve('hist-a', 'h.jpg');
    await repo.saveResult(
      storedResult('hist-a', 'needs_review'),
      [],
      [{ stage: 'assess', stageVersion: '2026.1', inputHash: 'x', output: decision }],
    );
    await repo.saveResult(storedResult('hist-a', 'eligible'), [], []);
    const stored = await repo.get('hist-a');
    expect(stored?.status).toBe('eligible');
    expect(stored?.result.claimId).toBe('hist-a');
    const history = await repo.history('hist-a');
    expect(history.map((h) => h.kind)).toEqual(['received', 'decided', 'decided']);
    expect(history[2]!.data).toMatchObject({ from: 'needs_review', to: 'eligible' });
    const stages = await db.query<{ stage: string; output: unknown }>('SELECT stage, output FROM stage_outputs WHERE claim_id = $1', [
      'hist-a',
    ]);
    expect(stages).toEqual([{ stage: 'assess', output: decision }]);
    // Read back typed by its stage name, and validated against the stage's schema.
    expect(await repo.stageOutput('hist-a', 'assess')).toEqual({ stageVersion: '2026.1', inputHash: 'x', output: decision });
  });

  it('refuses to save a decision for a claim that was never reserved', async () => {
    await expect(repo.saveResult(storedResult('ghost'), [], [])).rejects.toThrow(/not reserved/);
    expect(await repo.get('ghost')).toBeNull();
  });

  it('stores a decision with its fingerprint and the re-checks it asks for in one transaction, or none of them', async () => {
    const fingerprint = {
      retailer: 'SATURN',
      purchaseDate: '2025-03-01',
      model: 'SM-S921B',
      unit: null,
      numbers: ['4711'],
      imageHash: null,
    };
    const entry = { fingerprint, blocks: ['rd:SATURN|2025-03-01'] };
    await repo.reserve('fp-early', 'early.jpg');
    await repo.reserve('fp-late', 'late.jpg');
    // The later claim was decided first, before the earlier one had registered its receipt.
    await repo.saveResult(storedResult('fp-late'), [], [], { fingerprint: entry });
    const outbox = () => db.query<{ claim_id: string; cause_id: string }>('SELECT claim_id, cause_id FROM job_outbox ORDER BY id');
    const fingerprintOf = async (id: string) => (await db.query('SELECT 1 FROM receipt_fingerprints WHERE claim_id = $1', [id])).length;

    // Refused (no longer in the status it was decided from): neither fingerprint nor re-check.
    expect(await repo.saveResult(storedResult('fp-early'), [], [], { onlyFrom: 'extracted', fingerprint: entry, recheckLater: true })).toBe(
      false,
    );
    expect(await fingerprintOf('fp-early')).toBe(0);
    expect(await outbox()).toEqual([]);

    expect(await repo.saveResult(storedResult('fp-early'), [], [], { onlyFrom: 'received', fingerprint: entry, recheckLater: true })).toBe(
      true,
    );
    expect(await fingerprintOf('fp-early')).toBe(1);
    expect(await outbox()).toEqual([{ claim_id: 'fp-late', cause_id: 'fp-early' }]);
  });

  it('applies each migration once, however often the database is opened', async () => {
    await db.close();
    db = await openDatabase(opened);
    repo = new ClaimsRepository(db);
    const applied = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    const files = readdirSync(path.resolve(import.meta.dirname, '../../../src/store/migrations'))
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(applied.map((m) => m.name)).toEqual(files);
    expect(new Set(files).size).toBe(files.length);
    expect((await repo.get('hist-a'))?.status).toBe('eligible');
  });
});
