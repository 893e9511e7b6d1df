import { InputRejectedError } from '../errors/input-rejected-error.js';
import { drawnSize, pageTooLarge, withPdfDocument, type PdfDocument, type PdfInfo } from '../documents/pdf-document.js';
import type { IntakeLimits } from '../domain/document.js';
import { checkPdfStructure } from './pdf-structure.js';

/** How intake learns a PDF's facts: in this thread from a document it keeps open, or off the thread. */
export type PdfInspector = (bytes: Uint8Array, limits: IntakeLimits) => Promise<PdfInfo>;

/**
 * The door for a PDF: its page count, what drawing its pages at the reading width would cost (each
 * page, and all of them: a PDF may cost no more to draw than the largest photo accepted), its
 * embedded images and metadata stream, all priced before anything is drawn or inflated; then its
 * facts. Cheap checks first, so a hostile file costs little.
 */
export async function inspectPdf(pdf: PdfDocument, bytes: Uint8Array, limits: IntakeLimits): Promise<PdfInfo> {
  const pageCount = pdf.pageCount;
  if (pageCount > limits.maxPdfPages) {
    throw new InputRejectedError(
      'UNREADABLE_DOCUMENT',
      `The PDF has ${pageCount} pages; a receipt may have at most ${limits.maxPdfPages}.`,
      {
        pages: pageCount,
        maxPages: limits.maxPdfPages,
      },
    );
  }
  let pixels = 0;
  for (const [i, size] of (await pdf.pageSizes()).entries()) {
    const drawn = drawnSize(size);
    if (drawn.pixels > limits.maxPixels) throw pageTooLarge(i + 1, size, limits.maxPixels);
    pixels += drawn.pixels;
  }
  if (pixels > limits.maxPixels) {
    throw new InputRejectedError(
      'UNREADABLE_DOCUMENT',
      `The PDF's ${pageCount} pages, drawn for reading, would have ${Math.round(pixels / 1e6)} megapixels together; ` +
        `at most ${limits.maxPixels / 1e6} megapixels are accepted.`,
      { limit: 'document_pixels', pixels, maxPixels: limits.maxPixels },
    );
  }
  await checkPdfStructure(bytes, limits, pageCount);
  return { pageCount, ...(await pdf.info()) };
}

/** Opens the PDF for the inspection alone. */
export const inspectPdfOnce: PdfInspector = (bytes, limits) =>
  withPdfDocument(bytes, limits.maxPixels, (pdf) => inspectPdf(pdf, bytes, limits));
