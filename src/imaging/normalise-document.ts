import type { DocumentPage, PicturePage, TextLayerPage } from '../documents/document-pages.js';
import { normalisePage, type NormalisedPage } from './normalise.js';

/**
 * A page is either exact text from a PDF text layer or an image prepared for OCR; `source` is the
 * document's page it was prepared from.
 */
export type PreparedPage =
  | { number: number; kind: 'text'; text: string; source: TextLayerPage }
  | ({ number: number; kind: 'image'; source: PicturePage } & NormalisedPage);

export interface NormaliseOptions {
  maxPixels: number;
}

/**
 * The normalise stage: text-layer PDF pages pass through as text (no OCR needed); image pages
 * and image-only PDF pages become OCR-ready images. The original bytes are never changed.
 */
export async function normaliseDocument(pages: DocumentPage[], options: NormaliseOptions): Promise<PreparedPage[]> {
  const prepared: PreparedPage[] = [];
  for (const page of pages) {
    const { number } = page;
    if (page.kind === 'text') prepared.push({ number, kind: 'text', text: page.text, source: page });
    // One page drawn at a time: one canvas is held, not one per page.
    else prepared.push({ number, kind: 'image', source: page, ...(await normalisePage(await page.image(), options.maxPixels)) });
  }
  return prepared;
}
