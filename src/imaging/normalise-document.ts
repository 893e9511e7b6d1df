import type { IntakeDocument } from '../intake/intake.js';
import type { PdfDocument } from '../ocr/pdf-document.js';
import { normalisePage, type NormalisedPage } from './normalise.js';

/** A page is either exact text from a PDF text layer or an image prepared for OCR. */
export type PreparedPage = { number: number; kind: 'text'; text: string } | ({ number: number; kind: 'image' } & NormalisedPage);

export interface NormaliseOptions {
  maxPixels: number;
}

/** Fewer characters than this on a PDF page means a scan inside a PDF, not a text layer. */
const MIN_TEXT_LAYER_CHARS = 20;

/**
 * The normalise stage: text-layer PDF pages pass through as text (no OCR needed); image pages
 * and image-only PDF pages become OCR-ready images. The original bytes are never changed. `pdf` is
 * the document intake opened (null for an image).
 */
export async function normaliseDocument(
  doc: IntakeDocument,
  bytes: Uint8Array,
  pdf: PdfDocument | null,
  options: NormaliseOptions,
): Promise<PreparedPage[]> {
  if (doc.type !== 'pdf') return [{ number: 1, kind: 'image', ...(await normalisePage(bytes, options.maxPixels)) }];
  if (!pdf) throw new Error('a PDF is normalised from the document intake opened');
  // Intake has already checked the page count; this is the only place text is extracted.
  const pageTexts = await pdf.pageTexts();
  const pages: PreparedPage[] = [];
  for (const [i, text] of pageTexts.entries()) {
    const number = i + 1;
    if (text.replace(/\s/g, '').length >= MIN_TEXT_LAYER_CHARS) pages.push({ number, kind: 'text', text });
    // One page drawn at a time: one canvas is held, not one per page.
    else pages.push({ number, kind: 'image', ...(await normalisePage(await pdf.renderPage(number), options.maxPixels)) });
  }
  return pages;
}
