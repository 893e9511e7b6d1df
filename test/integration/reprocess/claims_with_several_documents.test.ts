import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideClaim, sha256, stageOutput } from '../../../pipelines/claim-stages.js';
import { createLogger } from '../../../src/config/logger.js';
import { parseFilter } from '../../../src/domain/selection-filter.js';
import type { TextLayer } from '../../../src/domain/text-layer.js';
import { extract } from '../../../src/extract/extract.js';
import type { IntakeDocument } from '../../../src/intake/intake.js';
import { normaliseForm } from '../../../src/intake/form.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { BatchRunner } from '../../../src/reprocess/batch-runner.js';
import { ClaimsRepository } from '../../../src/store/claims-repository.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { FingerprintRepository } from '../../../src/store/fingerprint-repository.js';
import { ReprocessRepository } from '../../../src/store/reprocess-repository.js';

/** A receipt's text as a PDF text layer gives it, one line a row. */
function receiptText(lines: string[]): TextLayer {
  return {
    source: 'pdf-text',
    confidence: 1,
    pages: [
      {
        number: 1,
        width: 1500,
        height: 2000,
        lines: lines.map((text, i) => ({
          text,
          confidence: 1,
          box: [10, 10 + 40 * i, 900, 40 + 40 * i] as [number, number, number, number],
          words: [],
        })),
      },
    ],
  };
}

const pdf = (name: string): IntakeDocument => ({
  type: 'pdf',
  mediaType: 'application/pdf',
  sha256: sha256(name),
  byteLength: 1,
  pageCount: 1,
  pixels: null,
  metadata: { software: null, created: null, modified: null, incrementalUpdates: 0 },
});

describe('reprocessing a claim with several documents', () => {
  let db: Database;
  let claims: ClaimsRepository;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    claims = new ClaimsRepository(db);
    const policy = loadPolicy();
    const form = normaliseForm(
      {
        claimId: 'TWO-DOCS',
        imei: '350917642084132',
        model: 'SM-S921B/DS',
        purchaseDate: '2025-02-22',
        country: 'DE',
        claimDate: '2025-06-01',
      },
      { country: 'DE', today: '2025-06-01' },
    );
    const texts = [
      receiptText(['MediaMarkt E-Business GmbH', 'Rechnungsdatum: 22.02.2025', 'Samsung Galaxy S24 SM-S921B/DS 899,00 EUR']),
      receiptText([
        'MediaMarkt E-Business GmbH',
        'Rechnungsdatum: 14.03.2025',
        'Samsung Galaxy S24 SM-S921B/DS 899,00 EUR',
        'IMEI: 350917642084132',
      ]),
    ];
    const documents = texts.map((text, document) => ({ document, doc: pdf(`doc-${document}`), extraction: extract(text), signals: null }));
    const { seq } = await claims.reserve('TWO-DOCS', 'receipt.pdf');
    await claims.recordDocuments(
      'TWO-DOCS',
      documents.map((d) => ({
        position: d.document,
        sha256: d.doc.sha256,
        receiptKey: null,
        file: `doc-${d.document}.pdf`,
        by: 'cli' as const,
      })),
    );
    await decideClaim(
      { claimId: 'TWO-DOCS', seq, file: 'receipt.pdf', form, documents },
      { claims, fingerprints: new FingerprintRepository(db), policy },
      {
        stages: documents.flatMap((d, i) => [
          stageOutput.intake(d.doc, d.document),
          stageOutput.read({ doc: d.doc, text: texts[i]! }, d.document),
          stageOutput.extract(texts[i]!, d.extraction, d.document),
        ]),
      },
    );
  });

  afterAll(() => db?.close());

  it('merges the stored outputs of every document again, so an unchanged policy changes nothing', async () => {
    const before = (await claims.get('TWO-DOCS'))!.result;
    expect(before.flags.map((f) => f.code)).toContain('DOCUMENTS_DISAGREE');
    expect(before.fields.imei).toMatchObject({ value: '350917642084132', document: 1 });

    const runner = new BatchRunner({
      repo: new ReprocessRepository(db),
      fingerprints: new FingerprintRepository(db),
      policy: loadPolicy,
      ocrWorkers: 1,
      limits: { maxFileBytes: 5e6, maxPixels: 6e7, maxPdfPages: 10 },
      receipts: { byHash: async () => null },
      ocr: () => Promise.reject(new Error('a re-run from stored outputs must not start OCR')),
      logger: createLogger({ logLevel: 'silent' }),
    });
    for (const fromStage of ['assess', 'extract'] as const) {
      const [outcome] = await runner.dryRun({
        fromStage,
        filter: parseFilter('id = TWO-DOCS'),
        policyVersion: loadPolicy().version,
        force: true,
      });
      expect(outcome).toMatchObject({
        claimId: 'TWO-DOCS',
        outcome: 'unchanged',
        newStatus: 'needs_review',
        addedFlags: [],
        droppedFlags: [],
      });
    }
  });
});
