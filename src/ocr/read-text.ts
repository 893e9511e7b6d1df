import type { PreparedPage } from '../imaging/normalise-document.js';
import { pageTextSize } from '../imaging/text-size.js';
import type { Page, TextLayer } from '../domain/text-layer.js';
import type { TesseractEngine } from './tesseract-engine.js';
import { textLayerPage } from './text-layer-page.js';

type ImagePage = Extract<PreparedPage, { kind: 'image' }>;

/** An image page OCR'd, with the size of its print measured while the engine reads it. */
async function readImagePage(page: ImagePage, ocr: TesseractEngine): Promise<Page> {
  const [read, textSize] = await Promise.all([
    ocr.recognize(page.png, page.number, { width: page.width, height: page.height }),
    pageTextSize(page),
  ]);
  return textSize ? { ...read, textSize } : read;
}

/** The read-text stage: exact text where the PDF has it, OCR for every image page. */
export async function readText(pages: PreparedPage[], ocr: TesseractEngine): Promise<TextLayer> {
  const read: Page[] = await Promise.all(
    pages.map(async (page) =>
      page.kind === 'text'
        ? // The words' places only show the reviewer where a value is printed: a page pdf.js cannot
          // place is still read, without boxes, as before.
          textLayerPage(page.number, page.text, await page.source.placedText().catch(() => null))
        : readImagePage(page, ocr),
    ),
  );
  const words = read.flatMap((p) => p.lines.flatMap((l) => l.words));
  const confidence = words.length === 0 ? 0 : words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
  return {
    source: pages.every((p) => p.kind === 'text') ? 'pdf-text' : 'ocr',
    pages: read,
    confidence,
  };
}
