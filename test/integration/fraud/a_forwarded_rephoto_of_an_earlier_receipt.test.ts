import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedForm } from '../../../src/domain/assessment.js';
import type { Extraction } from '../../../src/domain/extraction.js';
import type { DocumentSignals } from '../../../src/domain/fraud.js';
import { detectFraud } from '../../../src/fraud/detect-fraud.js';
import { assess } from '../../../src/policy/assess.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { ClaimsRepository } from '../../../src/store/claims-repository.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { FingerprintRepository } from '../../../src/store/fingerprint-repository.js';

const policy = loadPolicy('2026.7');
const field = (value: string | null) => ({ value, confidence: value ? 0.95 : 0, source: value });
const form = (serial: string): NormalisedForm => ({
  serial,
  imei: null,
  model: 'LS32BM700UPXEN',
  purchaseDate: '2023-05-19',
  country: 'CH',
  claimDate: '2025-03-26',
  flags: [],
});
const invoice = (model: string | null): Extraction => ({
  purchaseDate: field('2023-05-19'),
  retailer: field('Fust'),
  model: field(model),
  serial: field(null),
  imei: field(null),
  facts: { extendedWarranty: false, otherDates: [] },
});
const signals = (numbers: string[]): DocumentSignals => ({
  imageHash: null,
  numbers,
  fields: [],
  heatmap: null,
  renderChecks: [],
  unavailable: [],
});
const INVOICE_NUMBERS = ['03736', '0719997700', '19052023', '349529470', '3868349259', '45674', '49374', '72121992', '785214187', '9726'];

describe('a messenger-forwarded re-photo of an earlier claim’s invoice (policy 2026.7, embedded PGlite)', () => {
  let db: Database;
  let claims: ClaimsRepository;
  let fingerprints: FingerprintRepository;

  /** One claim through the decide step as the pipeline runs it: reserve, detect, assess, save with its fingerprint. */
  async function decide(claimId: string, serial: string, extraction: Extraction, docSignals: DocumentSignals) {
    const { seq } = await claims.reserve(claimId, `${claimId}.jpg`);
    const doc = {
      type: 'jpeg' as const,
      mediaType: 'image/jpeg',
      sha256: claimId.padEnd(64, '0'),
      byteLength: 1,
      pageCount: 1,
      pixels: null,
      metadata: { software: null, created: null, modified: null, incrementalUpdates: 0 },
    };
    const fraud = await detectFraud({
      seq,
      claimId,
      form: form(serial),
      documents: [{ document: 0, doc, extraction, signals: docSignals }],
      extraction,
      policy,
      claims,
      fingerprints,
    });
    const decision = assess({ form: form(serial), extraction, signals: fraud.flags }, policy);
    const { purchaseDate, retailer, model, imei } = extraction;
    await claims.saveResult(
      {
        file: `${claimId}.jpg`,
        claimId,
        status: decision.status,
        fields: { purchaseDate, retailer, model, serial: extraction.serial, imei },
        warranty: null,
        flags: [],
        policyVersion: policy.version,
        documentHash: null,
      },
      fraud.identifiers,
      [],
      { fingerprint: fraud.fingerprint },
    );
    return decision;
  }

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    claims = new ClaimsRepository(db);
    fingerprints = new FingerprintRepository(db);
    await decide('first', '7PCYGRX2466544L', invoice('LS32BM700UPXEN'), signals(INVOICE_NUMBERS));
  });

  afterAll(async () => {
    await db.close();
  });

  it('is DUPLICATE_RECEIPT naming the first claim, confirmed by the numbers its sparser reading holds', async () => {
    const decision = await decide(
      'forwarded',
      '0LF8EVY7716614A',
      invoice(null),
      signals(['19052023', '3868349259', '72121992', '785214187', '83736']),
    );
    expect(decision.status).toBe('needs_review');
    expect(decision.flags.find((f) => f.code === 'DUPLICATE_RECEIPT')?.evidence).toMatchObject({
      earlierClaimId: 'first',
      confirmedBy: 'numbers_held',
      numbersHeld: { judged: 4, held: 4 },
      score: 1,
      threshold: policy.fraud!.duplicateReceipt.minNumbersHeld,
      policyVersion: '2026.7',
    });
  });

  it('too blurred to judge, with the unit claimed twice: an unconfirmed match that keeps the repeated serial', async () => {
    const decision = await decide('blurred', '7PCYGRX2466544L', invoice(null), signals(['19052023']));
    expect(decision.status).toBe('needs_review');
    expect(decision.flags.map((f) => [f.code, f.evidence.earlierClaimId, f.evidence.confirmedBy])).toEqual(
      expect.arrayContaining([
        ['DUPLICATE_RECEIPT', 'first', 'unconfirmed'],
        ['DUPLICATE_SERIAL', 'first', undefined],
      ]),
    );
  });
});
