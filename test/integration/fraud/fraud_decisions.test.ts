import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedForm } from '../../../src/domain/assessment.js';
import type { Extraction } from '../../../src/domain/extraction.js';
import type { DocumentSignals } from '../../../src/domain/fraud.js';
import type { ClaimResult } from '../../../src/domain/result.js';
import { detectFraud } from '../../../src/fraud/detect-fraud.js';
import { assess } from '../../../src/policy/assess.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { ClaimsRepository } from '../../../src/store/claims-repository.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { FingerprintRepository } from '../../../src/store/fingerprint-repository.js';

const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const policy = loadPolicy('2026.2');
const field = (value: string | null) => ({ value, confidence: value ? 0.95 : 0, source: value });
const form: NormalisedForm = {
  serial: null,
  imei: null,
  model: null,
  purchaseDate: null,
  country: 'NO',
  claimDate: '2025-06-01',
  flags: [],
};

function receipt(over: Partial<Record<'purchaseDate' | 'retailer' | 'model' | 'serial', string | null>> = {}): Extraction {
  return {
    purchaseDate: field(over.purchaseDate ?? '2025-03-02'),
    retailer: field(over.retailer ?? 'Elkjøp'),
    model: field(over.model ?? 'WW90T534DAW/S2'),
    serial: field(over.serial ?? null),
    imei: field(null),
    facts: { extendedWarranty: false, otherDates: [] },
  };
}
const SLIP_NUMBERS = ['0930', '6116', '4179918', '659000', '688000', '69035063', '773273', '815000'];
const signals = (numbers: string[], over: Partial<DocumentSignals> = {}): DocumentSignals => ({
  imageHash: '0'.repeat(64),
  numbers,
  fields: [],
  heatmap: null,
  renderChecks: [],
  unavailable: [],
  ...over,
});

function stored(claimId: string, extraction: Extraction, status: ClaimResult['status']): ClaimResult {
  const { purchaseDate, retailer, model, serial, imei } = extraction;
  return {
    file: `${claimId}.jpg`,
    claimId,
    status,
    fields: { purchaseDate, retailer, model, serial, imei },
    warranty: null,
    flags: [],
    policyVersion: policy.version,
    documentHash: null,
  };
}

describe.each([
  ['embedded PGlite', () => ({ dataDir: 'memory://' })],
  ['PostgreSQL server', () => ({ url: POSTGRES_URL, schema: `test_${randomUUID().replace(/-/g, '')}` })],
])('fraud decisions against earlier claims on %s', (_name, options) => {
  let db: Database;
  let claims: ClaimsRepository;
  let fingerprints: FingerprintRepository;
  const opened = options();

  /** One claim through the decide step as the pipeline runs it: reserve, detect, assess, save with its fingerprint. */
  async function decide(claimId: string, extraction: Extraction, docSignals: DocumentSignals, sha = claimId.padEnd(64, '0')) {
    const { seq } = await claims.reserve(claimId, `${claimId}.jpg`);
    const doc = {
      type: 'jpeg' as const,
      mediaType: 'image/jpeg',
      sha256: sha,
      byteLength: 1,
      pageCount: 1,
      pixels: null,
      metadata: { software: null, created: null, modified: null, incrementalUpdates: 0 },
    };
    const fraud = await detectFraud({
      seq,
      claimId,
      form,
      documents: [{ document: 0, doc, extraction, signals: docSignals }],
      extraction,
      policy,
      claims,
      fingerprints,
    });
    const decision = assess({ form, extraction, signals: fraud.flags }, policy);
    await claims.saveResult(stored(claimId, extraction, decision.status), fraud.identifiers, [], { fingerprint: fraud.fingerprint });
    return decision;
  }

  beforeAll(async () => {
    db = await openDatabase(opened);
    claims = new ClaimsRepository(db);
    fingerprints = new FingerprintRepository(db);
    await decide('first', receipt(), signals(SLIP_NUMBERS));
  });

  afterAll(async () => {
    await db.close();
    if ('schema' in opened) {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${opened.schema} CASCADE`);
      await admin.end();
    }
  });

  it('a re-photographed copy (other bytes, a misread model) is DUPLICATE_RECEIPT naming the first claim, with score, threshold and policy', async () => {
    const decision = await decide('copy', receipt({ model: 'WW9OT534DAW/S2' }), signals([...SLIP_NUMBERS.slice(1), '09301']));
    const dup = decision.flags.find((f) => f.code === 'DUPLICATE_RECEIPT');
    expect(decision.status).toBe('needs_review');
    expect(dup?.evidence).toMatchObject({
      earlierClaimId: 'first',
      signal: 'reused_receipt',
      threshold: policy.fraud!.duplicateReceipt.minNumberOverlap,
      policyVersion: '2026.2',
    });
    expect(dup!.evidence.score).toBeGreaterThanOrEqual(policy.fraud!.duplicateReceipt.minNumberOverlap);
  });

  it('another purchase of the same model at the same shop that day, with an identical image hash, is not flagged', async () => {
    const decision = await decide(
      'neighbour',
      receipt(),
      signals(['1412', '6117', '4179918', '659000', '688000', '69035063', '901234', '815000']),
    );
    expect(decision.flags.map((f) => f.code)).not.toContain('DUPLICATE_RECEIPT');
    expect(decision.status).toBe('eligible');
  });

  it('the first claim processed again is not a duplicate of its own copy, nor of itself', async () => {
    const again = await decide('first', receipt(), signals(SLIP_NUMBERS));
    expect(again.flags).toEqual([]);
  });

  it('a key field whose pixels cross a threshold sends the claim to review with the box, score and heat map', async () => {
    const box: [number, number, number, number] = [100, 80, 220, 100];
    const heatmap = { page: 1, cellSize: 24, columns: 2, rows: ['09', '00'] };
    const edited = signals(['5555', '6666', '7777'], {
      fields: [{ field: 'purchaseDate', page: 1, box, errorLevel: 4.2, background: 0.5, glyphGeometry: 0.1 }],
      heatmap,
    });
    const decision = await decide('edited', receipt({ purchaseDate: '2025-04-01', retailer: 'Power' }), edited);
    expect(decision.status).toBe('needs_review');
    expect(decision.flags).toEqual([
      expect.objectContaining({
        code: 'POSSIBLE_TAMPERING',
        evidence: expect.objectContaining({
          signal: 'error_level',
          field: 'purchaseDate',
          score: 4.2,
          threshold: policy.fraud!.errorLevel.threshold,
          policyVersion: '2026.2',
          page: 1,
          box,
          heatmap,
        }),
      }),
    ]);
  });

  it('paper shade or glyph size alone does not flag a field (real slips vary); both together do', async () => {
    const box: [number, number, number, number] = [100, 80, 220, 100];
    const field = (background: number, glyphGeometry: number) =>
      signals(['8888', '9999'], { fields: [{ field: 'serial', page: 1, box, errorLevel: null, background, glyphGeometry }] });
    const shadeOnly = await decide('shade-only', receipt({ retailer: 'Saturn' }), field(9, 0.1));
    expect(shadeOnly.flags).toEqual([]);
    const both = await decide('shade-and-size', receipt({ retailer: 'Otto' }), field(9, 0.9));
    expect(both.flags.map((f) => f.evidence.signal)).toEqual(['background', 'glyph_geometry']);
  });

  it('a text-layer value the rendered page does not show is POSSIBLE_TAMPERING naming the value, even on an expired claim', async () => {
    const patched = signals(['1111', '2222'], {
      renderChecks: [
        { field: 'purchaseDate', textLayer: '02.03.2023', visible: false },
        { field: 'model', textLayer: 'WW90T534DAW/S2', visible: true },
      ],
    });
    const decision = await decide('patched', receipt({ retailer: 'MediaMarkt', purchaseDate: '2023-03-02' }), patched);
    expect(decision.status).toBe('needs_review');
    expect(decision.flags.filter((f) => f.code === 'POSSIBLE_TAMPERING')).toMatchObject([
      {
        evidence: {
          signal: 'pdf_text_not_rendered',
          hidden: [{ field: 'purchaseDate', textLayer: '02.03.2023' }],
          policyVersion: '2026.2',
        },
      },
    ]);
  });
});
