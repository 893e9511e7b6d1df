import type { Box, Line } from '../domain/text-layer.js';
import { decodeOwn } from '../documents/untrusted-image.js';
import type { TesseractEngine } from './tesseract-engine.js';

/** A page image, as OCR reads it. */
export interface PageImage {
  number: number;
  png: Buffer;
  width: number;
  height: number;
}

/**
 * Twice the page scale: a serial set in small type sits at ~10 px per character on the page,
 * where tesseract confuses Z/2, S/5 and B/8; at twice the size it rarely does.
 */
const REGION_SCALE = 2;

/** The box grown by `pad` pixels (twice that sideways), kept on the page; null when nothing is left. */
export function paddedRegion(page: PageImage, box: Box, pad: number): Box | null {
  const region: Box = [
    Math.max(0, Math.floor(box[0] - 2 * pad)),
    Math.max(0, Math.floor(box[1] - pad)),
    Math.min(page.width, Math.ceil(box[2] + 2 * pad)),
    Math.min(page.height, Math.ceil(box[3] + pad)),
  ];
  return region[2] > region[0] && region[3] > region[1] ? region : null;
}

/** Reads one region of a page alone, scaled (enlarged by default); the lines come back with boxes in the page's pixels. */
export async function readRegion(page: PageImage, region: Box, ocr: TesseractEngine, scale = REGION_SCALE): Promise<Line[]> {
  const [left, top] = region;
  const width = region[2] - left;
  const height = region[3] - top;
  const scaled = Math.max(1, Math.round(width * scale));
  const crop = await decodeOwn(page.png)
    .extract({ left, top, width, height })
    .resize({ width: scaled, kernel: 'lanczos3' })
    .png({ compressionLevel: 1 })
    .toBuffer({ resolveWithObject: true });
  const read = await ocr.recognize(crop.data, page.number, { width: crop.info.width, height: crop.info.height });
  const factor = crop.info.width / width;
  const toPage = (b: Box): Box => [left + b[0] / factor, top + b[1] / factor, left + b[2] / factor, top + b[3] / factor];
  return read.lines.map((line) => ({
    ...line,
    box: line.box && toPage(line.box),
    words: line.words.map((w) => ({ ...w, box: w.box && toPage(w.box) })),
  }));
}
