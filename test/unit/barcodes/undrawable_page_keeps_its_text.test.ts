import { describe, expect, it } from 'vitest';
import { documentBarcodes } from '../../../src/barcodes/page-barcodes.js';
import { documentPages } from '../../../src/documents/document-pages.js';
import { PdfDocument } from '../../../src/documents/pdf-document.js';
import { normaliseDocument } from '../../../src/imaging/normalise-document.js';
import type { IntakeDocument } from '../../../src/intake/intake.js';
import { whiteDatePdf } from '../../support/hostile-pdfs.js';

const maxPixels = 60_000_000;

describe('looking for barcodes on a text PDF page too large to draw', () => {
  it('finds none there and still reads the document, leaving the page to the render check to name', async () => {
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
    try {
      const pages = await normaliseDocument(await documentPages(doc, bytes, pdf), { maxPixels });
      expect(await documentBarcodes(pages, maxPixels)).toEqual([]);
      // The page drawn for the barcodes is the one the render check gets: drawn once.
      const [first] = pages;
      if (first?.kind !== 'text') throw new Error('a text page');
      expect(await first.source.image()).toBe(await first.source.image());
    } finally {
      await pdf.destroy();
    }
  });
});
