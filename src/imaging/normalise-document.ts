import type { IntakeDocument } from '../intake/intake.js';
import { readPdfPageTexts, renderPdfPages } from '../ocr/pdf-document.js';
import { normalisePage, type NormalisedPage } from './normalise.js';

/** A page is either exact text from a PDF text layer or an image prepared for OCR. */
export type PreparedPage = { number: number; kind: 'text'; text: string } | ({ number: number; kind: 'image' } & NormalisedPage);

export interface NormaliseOptions {
  maxPixels: number;
}

/** Fewer characters than this on a PDF page means a scan inside a PDF, not a text layer. */
const MIN_TEXT_LAYER_CHARS = 20;
/** Render width for image-only PDF pages: A4 at ~180 dpi, enough for invoice print. Word boxes of such pages are in its pixels. */
export const PDF_RENDER_WIDTH = 1500;

/**
 * The normalise stage: text-layer PDF pages pass through as text (no OCR needed); image pages
 * and image-only PDF pages become OCR-ready images. The original bytes are never changed.
 */
export async function normaliseDocument(doc: IntakeDocument, bytes: Uint8Array, options: NormaliseOptions): Promise<PreparedPage[]> {
  if (doc.type !== 'pdf') {
    return [{ number: 1, kind: 'image', ...(await normalisePage(bytes, options.maxPixels)) }];
  }
  // Intake has already checked the page count; this is the only place text is extracted.
  const pageTexts = await readPdfPageTexts(bytes);
  const scanned = pageTexts
    .map((text, i) => ({ text, number: i + 1 }))
    .filter((p) => p.text.replace(/\s/g, '').length < MIN_TEXT_LAYER_CHARS)
    .map((p) => p.number);
  const rendered = scanned.length > 0 ? await renderPdfPages(bytes, scanned, PDF_RENDER_WIDTH) : [];
  const pages: PreparedPage[] = [];
  for (const [i, text] of pageTexts.entries()) {
    const number = i + 1;
    const at = scanned.indexOf(number);
    if (at < 0) pages.push({ number, kind: 'text', text });
    else pages.push({ number, kind: 'image', ...(await normalisePage(rendered[at]!, options.maxPixels)) });
  }
  return pages;
}
