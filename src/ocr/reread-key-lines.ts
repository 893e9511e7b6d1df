import sharp from 'sharp';
import { FIELD_NAMES, type Extraction, type Field } from '../domain/extraction.js';
import type { Box, Line, Page, TextLayer } from '../domain/text-layer.js';
import { extract } from '../extract/extract.js';
import type { PreparedPage } from '../imaging/normalise-document.js';
import type { TesseractEngine } from './tesseract-engine.js';

/** The fields whose small print OCR gets wrong most often, and that decide a claim. */
const KEY_FIELDS = ['serial', 'imei', 'purchaseDate'] as const;
/** A key field read less surely than this has its line read a second time. */
const REREAD_BELOW = 0.9;
/**
 * Twice the page scale: a serial set in small type sits at ~10 px per character on the page,
 * where tesseract confuses Z/2, S/5 and B/8; at twice the size it rarely does.
 */
const REREAD_SCALE = 2;

type ImagePage = Extract<PreparedPage, { kind: 'image' }>;

/** Where a line is in the layer: page index and line index on it. */
interface LineRef {
  page: number;
  line: number;
}

const centreY = (box: Box) => (box[1] + box[3]) / 2;

/** The OCR line a field's words came from: the one whose band holds the words' vertical centre. */
function lineOf(layer: TextLayer, location: NonNullable<Field['location']>): LineRef | null {
  const page = layer.pages.findIndex((p) => p.number === location.page);
  if (page < 0) return null;
  const y = centreY(location.box);
  const line = layer.pages[page]!.lines.findIndex((l) => l.box !== null && l.box[1] <= y && y <= l.box[3]);
  return line < 0 ? null : { page, line };
}

/** The line's band of the page, padded, enlarged, read alone; the reading nearest the band's middle, in page pixels. */
async function rereadLine(page: ImagePage, box: Box, ocr: TesseractEngine): Promise<Line | null> {
  const pad = Math.round((box[3] - box[1]) * 0.5);
  const left = Math.max(0, box[0] - 2 * pad);
  const top = Math.max(0, box[1] - pad);
  const width = Math.min(page.width, box[2] + 2 * pad) - left;
  const height = Math.min(page.height, box[3] + pad) - top;
  if (width <= 0 || height <= 0) return null;
  const crop = await sharp(page.png)
    .extract({ left, top, width, height })
    .resize({ width: width * REREAD_SCALE, kernel: 'lanczos3' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  const read = await ocr.recognize(crop, page.number, { width: width * REREAD_SCALE, height: height * REREAD_SCALE });
  const toPage = (b: Box): Box => [
    left + b[0] / REREAD_SCALE, top + b[1] / REREAD_SCALE, left + b[2] / REREAD_SCALE, top + b[3] / REREAD_SCALE,
  ];
  const middle = (height * REREAD_SCALE) / 2;
  const nearest = read.lines
    .filter((l) => l.box !== null)
    .sort((a, b) => Math.abs(centreY(a.box!) - middle) - Math.abs(centreY(b.box!) - middle))[0];
  if (!nearest) return null;
  return { ...nearest, box: toPage(nearest.box!), words: nearest.words.map((w) => ({ ...w, box: w.box && toPage(w.box) })) };
}

function withLine(layer: TextLayer, at: LineRef, line: Line): TextLayer {
  const pages: Page[] = layer.pages.map((page, p) =>
    p === at.page ? { ...page, lines: page.lines.map((old, l) => (l === at.line ? line : old)) } : page,
  );
  return { ...layer, pages };
}

/** The new reading is kept only where it makes the field surer and costs no other field anything. */
function isBetter(name: (typeof KEY_FIELDS)[number], before: Extraction, after: Extraction): boolean {
  if (after[name].value === null || after[name].confidence <= before[name].confidence) return false;
  return FIELD_NAMES.every(
    (other) => other === name || after[other].value === before[other].value || after[other].confidence >= before[other].confidence,
  );
}

/**
 * A second, closer look at the lines the key fields came from: each key field read with low
 * confidence from an OCR page has its line read again alone at twice the scale, and the new
 * reading replaces the line where it makes that field surer. Text-layer PDF pages are exact and
 * are left alone.
 */
export async function rereadKeyLines(pages: PreparedPage[], layer: TextLayer, ocr: TesseractEngine): Promise<TextLayer> {
  if (layer.source !== 'ocr') return layer;
  let current = layer;
  let extraction = extract(layer);
  for (const name of KEY_FIELDS) {
    const field = extraction[name];
    if (field.value === null || !field.location || field.confidence >= REREAD_BELOW) continue;
    const page = pages.find((p): p is ImagePage => p.kind === 'image' && p.number === field.location!.page);
    const at = page && lineOf(current, field.location);
    if (!page || !at) continue;
    const line = await rereadLine(page, current.pages[at.page]!.lines[at.line]!.box!, ocr);
    if (!line) continue;
    const candidate = withLine(current, at, line);
    const candidateExtraction = extract(candidate);
    if (isBetter(name, extraction, candidateExtraction)) {
      current = candidate;
      extraction = candidateExtraction;
    }
  }
  return current;
}
