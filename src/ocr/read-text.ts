import type { PreparedPage } from '../imaging/normalise-document.js';
import { textLayerFromText, type Page, type TextLayer } from '../domain/text-layer.js';
import type { TesseractEngine } from './tesseract-engine.js';

/** The read-text stage: exact text where the PDF has it, OCR for every image page. */
export async function readText(pages: PreparedPage[], ocr: TesseractEngine): Promise<TextLayer> {
  const read: Page[] = await Promise.all(
    pages.map(async (page) =>
      page.kind === 'text'
        ? { ...textLayerFromText([page.text]).pages[0]!, number: page.number }
        : ocr.recognize(page.png, page.number, { width: page.width, height: page.height }),
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
