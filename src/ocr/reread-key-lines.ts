import { FIELD_NAMES, type Extraction, type Field } from '../domain/extraction.js';
import type { Box, Line, Page, TextLayer } from '../domain/text-layer.js';
import { extract } from '../extract/extract.js';
import type { PreparedPage } from '../imaging/normalise-document.js';
import { paddedRegion, readRegion } from './read-region.js';
import type { TesseractEngine } from './tesseract-engine.js';

/** The fields whose small print OCR gets wrong most often, and that decide a claim. */
const KEY_FIELDS = ['serial', 'imei', 'purchaseDate'] as const;
/** A key field read less surely than this has its line read a second time. */
const REREAD_BELOW = 0.9;

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

/** The line's band of the page read alone, enlarged: the reading nearest the band's middle. */
async function rereadLine(page: ImagePage, box: Box, ocr: TesseractEngine): Promise<Line | null> {
  const region = paddedRegion(page, box, Math.round((box[3] - box[1]) * 0.5));
  if (!region) return null;
  const middle = (region[1] + region[3]) / 2;
  const lines = (await readRegion(page, region, ocr)).filter((l) => l.box !== null);
  return lines.sort((a, b) => Math.abs(centreY(a.box!) - middle) - Math.abs(centreY(b.box!) - middle))[0] ?? null;
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
