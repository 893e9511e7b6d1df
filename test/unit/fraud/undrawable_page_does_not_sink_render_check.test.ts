import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract } from '../../../src/extract/extract.js';
import { documentSignals } from '../../../src/fraud/document-signals.js';
import { normaliseDocument } from '../../../src/imaging/normalise-document.js';
import { documentPages } from '../../../src/documents/document-pages.js';
import type { IntakeDocument } from '../../../src/intake/intake.js';
import { PdfDocument } from '../../../src/documents/pdf-document.js';
import { readText } from '../../../src/ocr/read-text.js';
import type { TesseractEngine } from '../../../src/ocr/tesseract-engine.js';
import { whiteDatePdf } from '../../support/hostile-pdfs.js';
import { startTestOcr } from '../../support/ocr-engine.js';

const maxPixels = 60_000_000;

/**
 * The render check on its own, past the door (which refuses such a page since the fix): it must
 * hold even for a page it cannot draw, checking every other page and saying which it could not.
 */
describe('a text PDF with one page too large to draw', () => {
  let ocr: TesseractEngine;
  let stopOcr: () => Promise<void>;
  beforeAll(async () => {
    ({ ocr, stop: stopOcr } = await startTestOcr());
  });
  afterAll(() => stopOcr());

  it('still finds the white purchase date on the page it can draw, and names the page it could not', async () => {
    const bytes = await whiteDatePdf([40, 14_400]);
    const doc: IntakeDocument = {
      type: 'pdf',
      mediaType: 'application/pdf',
      sha256: '0'.repeat(64),
      byteLength: bytes.byteLength,
      pageCount: 2,
      pixels: null,
      metadata: { software: null, created: null, modified: null, incrementalUpdates: 0 },
    };
    const pdf = await PdfDocument.open(bytes, maxPixels);
    const pages = await normaliseDocument(await documentPages(doc, bytes, pdf), { maxPixels });
    expect(pages.map((p) => p.kind)).toEqual(['text', 'text']);
    const text = await readText(pages, ocr);
    const extraction = extract(text);
    expect(extraction.purchaseDate.value).toBe('2024-03-12');

    const signals = await documentSignals({ doc, pages, text, extraction, ocr, maxPixels });
    await pdf.destroy();
    expect(signals.renderChecks.find((c) => c.field === 'purchaseDate')).toMatchObject({ visible: false });
    expect(signals.unavailable).toEqual([expect.objectContaining({ check: 'pdf_render', page: 2 })]);
    expect(signals.unavailable[0]!.reason).toMatch(/megapixels/);
  });
});
