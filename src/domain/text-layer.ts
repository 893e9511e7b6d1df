import { z } from 'zod';

/** Pixel box on the normalised page image, [x0, y0, x1, y1]. */
export const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type Box = z.infer<typeof Box>;

/** The smallest box holding all of `boxes`; null for none. */
export function unionBox(boxes: Box[]): Box | null {
  if (boxes.length === 0) return null;
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

export const Word = z.object({
  text: z.string(),
  /** 0..1 */
  confidence: z.number().min(0).max(1),
  box: Box.nullable(),
});
export type Word = z.infer<typeof Word>;

export const Line = z.object({
  text: z.string(),
  confidence: z.number().min(0).max(1),
  box: Box.nullable(),
  words: z.array(Word),
});
export type Line = z.infer<typeof Line>;

/**
 * How big the print on a page is in the picture the customer sent (its pixels before normalising):
 * the median core height of its lines (x-height, or cap height on all-capital lines) and line height.
 */
export const TextSize = z.object({ xHeight: z.number().nonnegative(), lineHeight: z.number().nonnegative() });
export type TextSize = z.infer<typeof TextSize>;

export const Page = z.object({
  number: z.number().int().positive(),
  /**
   * Set on a page read from a PDF's text layer: its boxes are on the page as drawn for the reader
   * and the reviewer (`PDF_RENDER_WIDTH` wide), not on a normalised image; absent on OCR pages.
   */
  source: z.literal('pdf-text').optional(),
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
  lines: z.array(Line),
  /** On OCR pages whose lines could be measured; absent on text-layer pages and in outputs read before it was measured. */
  textSize: TextSize.optional(),
});
export type Page = z.infer<typeof Page>;

/**
 * A barcode decoded on a page: its symbology, its payload as decoded (checked by the symbology's
 * own error detection), and where it is, in the page coordinates of that page's words.
 */
export const Barcode = z.object({
  /** "Code 128", "DataMatrix", "QR code", "Code 39", "EAN-13"… */
  format: z.string(),
  text: z.string(),
  page: z.number().int().positive(),
  box: Box,
});
export type Barcode = z.infer<typeof Barcode>;

/**
 * What the read-text stage saw. `source` tells whether the words came from a PDF text layer
 * (exact, confidence 1) or from OCR (with tesseract's confidences and boxes).
 */
export const TextLayer = z.object({
  source: z.enum(['pdf-text', 'ocr']),
  pages: z.array(Page),
  /** Mean word confidence over the document, 0..1. */
  confidence: z.number().min(0).max(1),
  /** Barcodes decoded on the pages; absent in outputs read before barcodes were decoded, and where a document has none. */
  barcodes: z.array(Barcode).optional(),
});
export type TextLayer = z.infer<typeof TextLayer>;

/** A text layer from exact text (a PDF text layer, or a test's fixture): one line per text line. */
export function textLayerFromText(pagesText: string[], source: TextLayer['source'] = 'pdf-text'): TextLayer {
  const pages = pagesText.map((text, i) => ({
    number: i + 1,
    width: 0,
    height: 0,
    lines: text
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .map((l) => ({
        text: l,
        confidence: 1,
        box: null,
        words: l
          .split(/\s+/)
          .filter(Boolean)
          .map((w) => ({ text: w, confidence: 1, box: null })),
      })),
  }));
  return { source, pages, confidence: 1 };
}
