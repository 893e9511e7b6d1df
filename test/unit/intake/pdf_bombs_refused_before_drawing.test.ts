import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../src/errors/input-rejected-error.js';
import { intakeDocument } from '../../../src/intake/intake.js';
import { giantImagePdf, metadataBombPdf, tallPagePdf, whiteDatePdf } from '../../support/hostile-pdfs.js';

const limits = { maxFileBytes: 5 * 1024 * 1024, maxPixels: 60_000_000, maxPdfPages: 10 };

async function refusal(bytes: Uint8Array): Promise<InputRejectedError> {
  const error = await intakeDocument(bytes, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputRejectedError);
  return error as InputRejectedError;
}

/** The door prices a PDF in pixels before anything draws it: each page, the whole document, each embedded image. */
describe('PDF bombs at the door', () => {
  it('refuses a 576-byte PDF whose one page would draw to hundreds of megapixels', async () => {
    const error = await refusal(await tallPagePdf(100, 14_400));
    expect(error.code).toBe('UNREADABLE_DOCUMENT');
    expect(error.evidence).toMatchObject({ limit: 'page_pixels', page: 1, maxPixels: limits.maxPixels });
    expect(error.message).toMatch(/page 1/i);
    expect(error.message).toMatch(/megapixels/);
  });

  it('refuses a page that cannot be drawn even when the other pages are fine', async () => {
    const error = await refusal(await whiteDatePdf([40, 14_400]));
    expect(error.evidence).toMatchObject({ limit: 'page_pixels', page: 2 });
  });

  it('refuses pages that each fit but together exceed the budget of a document', async () => {
    const pdf = await PDFDocument.create();
    // 1500×15000 px each at the reading width: 22.5 megapixels, three of them 67.5.
    for (let i = 0; i < 3; i++) pdf.addPage([100, 1000]);
    const error = await refusal(await pdf.save());
    expect(error.evidence).toMatchObject({ limit: 'document_pixels', maxPixels: limits.maxPixels });
  });

  it('refuses an embedded image of 20000×20000 pixels by its declared size, without decoding it', async () => {
    const bytes = await giantImagePdf(20_000);
    expect(bytes.byteLength).toBeLessThan(200_000);
    const error = await refusal(bytes);
    expect(error.evidence).toMatchObject({ limit: 'image_pixels', width: 20_000, height: 20_000 });
  });

  it('refuses a metadata stream that inflates far beyond any real one, without inflating it whole', async () => {
    const error = await refusal(await metadataBombPdf(64 * 1024 * 1024));
    expect(error.evidence).toMatchObject({ limit: 'metadata_bytes' });
  });

  it('accepts the real invoices it prices', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage([595, 842]);
    pdf.addPage([227, 1800]);
    const doc = await intakeDocument(await pdf.save(), limits);
    expect(doc.pageCount).toBe(2);
  });
});
