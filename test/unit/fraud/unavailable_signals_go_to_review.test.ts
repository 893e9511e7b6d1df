import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDecision, type ClaimToDecide } from '../../../pipelines/claim-stages.js';
import type { DocumentSignals } from '../../../src/domain/fraud.js';
import type { IntakeDocument } from '../../../src/intake/intake.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { ClaimsRepository } from '../../../src/store/claims-repository.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { FingerprintRepository } from '../../../src/store/fingerprint-repository.js';
import { form, receipt } from '../policy/claim-builders.js';

/** A clean phone claim: eligible when every check ran and found nothing. */
const textPdf: IntakeDocument = {
  type: 'pdf',
  mediaType: 'application/pdf',
  sha256: 'a'.repeat(64),
  byteLength: 2048,
  pageCount: 2,
  pixels: null,
  metadata: { software: null, created: null, modified: null, incrementalUpdates: 0 },
};
const photo: IntakeDocument = {
  ...textPdf,
  type: 'jpeg',
  mediaType: 'image/jpeg',
  sha256: 'b'.repeat(64),
  pageCount: 1,
  pixels: { width: 900, height: 1600 },
};

function signals(unavailable: DocumentSignals['unavailable']): DocumentSignals {
  return { imageHash: null, numbers: [], fields: [], heatmap: null, renderChecks: [], unavailable };
}

describe('a check that could not run never counts as a check that passed', () => {
  let db: Database;
  let sources: Omit<Parameters<typeof computeDecision>[1], 'policy'>;
  let seq = 0;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    sources = { claims: new ClaimsRepository(db), fingerprints: new FingerprintRepository(db) };
  });
  afterAll(() => db?.close());

  function decide(doc: IntakeDocument, unavailable: DocumentSignals['unavailable'], policyVersion = '2026.3') {
    seq += 1;
    const claim: ClaimToDecide = {
      claimId: `C-${seq}`,
      seq,
      file: `c${seq}`,
      form: form(),
      documents: [
        { document: 0, doc: { ...doc, sha256: String(seq).padStart(64, '0') }, extraction: receipt(), signals: signals(unavailable) },
      ],
    };
    return computeDecision(claim, { ...sources, policy: loadPolicy(policyVersion) });
  }

  it('approves the clean claim when every check ran', async () => {
    expect((await decide(textPdf, [])).result.status).toBe('eligible');
  });

  it('sends a text PDF whose render check could not run to review, saying which check and why', async () => {
    const reason = 'Page 2 is 40×14400 pt: drawn 1500 px wide it would be 810 megapixels, over the 60 megapixel limit.';
    const { result } = await decide(textPdf, [{ check: 'pdf_render', reason }]);
    expect(result.status).toBe('needs_review');
    expect(result.flags).toContainEqual(
      expect.objectContaining({
        code: 'CHECK_UNAVAILABLE',
        evidence: expect.objectContaining({
          check: 'pdf_render',
          reasons: [reason],
          rule: 'fraud.pdf_text_render',
          policyVersion: '2026.3',
        }),
      }),
    );
  });

  it('sends a photo whose pixel forensics could not run to review', async () => {
    const { result } = await decide(photo, [{ check: 'image_forensics', reason: 'Input buffer contains unsupported image format' }]);
    expect(result.status).toBe('needs_review');
    expect(result.flags.map((f) => [f.code, f.evidence.check])).toContainEqual(['CHECK_UNAVAILABLE', 'image_forensics']);
  });

  it('sends a file whose metadata could not be read to review under every policy, the first included', async () => {
    for (const version of ['2026.1', '2026.3']) {
      const { result } = await decide(photo, [{ check: 'file_metadata', reason: 'Invalid TIFF header' }], version);
      expect(result.status).toBe('needs_review');
      expect(result.flags.map((f) => f.code)).toContain('CHECK_UNAVAILABLE');
    }
  });

  it('decides as before under a policy that has no rule for the missing check, and for a hint that never decides', async () => {
    // 2026.1 has no render check: its decisions never rested on one.
    expect((await decide(textPdf, [{ check: 'pdf_render', reason: 'canvas too large' }], '2026.1')).result.status).toBe('eligible');
    // The image hash only ever supports other evidence of a reused receipt.
    expect((await decide(photo, [{ check: 'image_hash', reason: 'decode failed' }])).result.status).toBe('eligible');
  });
});
