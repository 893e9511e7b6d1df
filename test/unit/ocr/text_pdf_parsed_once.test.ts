import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../../pipelines/claim-stages.js';
import type { TesseractEngine } from '../../../src/ocr/tesseract-engine.js';
import { startTestOcr } from '../../support/ocr-engine.js';

const INVOICE = path.resolve(import.meta.dirname, '../../../samples/invoice-text.pdf');
const limits = { maxFileBytes: 5 * 1024 * 1024, maxPixels: 60_000_000, maxPdfPages: 10 };

/** pdf.js numbers every document it loads ("d0", "d1", …): the number the next load gets. */
async function nextDocumentNumber(): Promise<number> {
  const loading = getDocument({ data: new Uint8Array(await readFile(INVOICE)), verbosity: 0 });
  await loading.promise;
  await loading.destroy();
  return Number(loading.docId.slice(1)) + 1;
}

describe('reading a text PDF', () => {
  let ocr: TesseractEngine;
  let stopOcr: () => Promise<void>;
  beforeAll(async () => {
    ({ ocr, stop: stopOcr } = await startTestOcr());
  });
  afterAll(() => stopOcr());

  it('parses it once: its facts, page texts, text positions and rendering come from one pdf.js document', async () => {
    const before = await nextDocumentNumber();
    const reading = await readDocument(await readFile(INVOICE), { ocr, limits });
    const after = await nextDocumentNumber();
    // The render check ran, so every step that needs the PDF did.
    expect(reading.signals.renderChecks.length).toBeGreaterThan(0);
    expect(after - before - 1).toBe(1);
  });
});
