import { FIELD_NAMES, type Extraction, type Field } from '../domain/extraction.js';
import type { Box, Line, Page, TextLayer } from '../domain/text-layer.js';
import { hasPurchaseDateLabel } from '../extract/date.js';
import { extract } from '../extract/extract.js';
import type { PreparedPage } from '../imaging/normalise-document.js';
import { paddedRegion, readRegion } from './read-region.js';
import type { TesseractEngine } from './tesseract-engine.js';

/** The fields whose small print OCR gets wrong most often, and that decide a claim. */
const KEY_FIELDS = ['serial', 'imei', 'purchaseDate'] as const;
type KeyField = (typeof KEY_FIELDS)[number];
/** A key field read less surely than this has its line read a second time. */
const REREAD_BELOW = 0.9;
/** Lines with a purchase-date label read again when no date was read: the first few, where receipts print it. */
const MAX_DATE_LABEL_LINES = 2;

/**
 * Core heights (x-height, cap height on all-capital lines) a re-read line is enlarged to, in turn.
 * Measured with this engine on JPEG-degraded lines of serials and dates: 6–12 px cores read 0–4 of
 * 6 serials right at their own size and up to 6 of 6 enlarged to 20 px; 28 px read one more
 * where 20 px missed one, and beyond that nothing more.
 */
const COMFORTABLE_CORE_HEIGHTS = [20, 28];
/** Nor less: at its own size a line read alone reads as it did on the page. */
const MIN_REREAD_SCALE = 1.5;
/** Nor more: past four times, resampling invents no more detail and OCR time grows with the area. */
const MAX_REREAD_SCALE = 4;
/**
 * The enlargement the re-read used before print was measured, read first wherever the print asks
 * for less: on a dev scan with comfortable print, 1.5× alone read a serial's 9 as a 0 more surely
 * than 2× had read it right; corpus scans whose 2× reading stayed unsure read right at 1.5×.
 */
const PROVEN_SCALE = 2;
/** Scales closer than this share of each other read alike: one of them is read. */
const DISTINCT_SCALES = 0.15;

/**
 * The enlargements a line is re-read at, in turn: each bringing the page's print (core height in
 * the normalised page's pixels) to one of the heights the engine reads best; where that asks for
 * less than 2×, 2× first. Unmeasured print is read at 2× alone.
 */
export function rereadScales(coreHeight: number | null): number[] {
  if (coreHeight === null || coreHeight <= 0) return [PROVEN_SCALE];
  const wanted = COMFORTABLE_CORE_HEIGHTS.map((target) => Math.min(MAX_REREAD_SCALE, Math.max(MIN_REREAD_SCALE, target / coreHeight)));
  const scales: number[] = [];
  for (const scale of wanted[0]! < PROVEN_SCALE ? [PROVEN_SCALE, ...wanted] : wanted) {
    if (scales.every((s) => Math.abs(s - scale) > s * DISTINCT_SCALES)) scales.push(Math.round(scale * 100) / 100);
  }
  return scales;
}

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

/** The line's band of the page read alone, enlarged `scale` times: the reading nearest the band's middle. */
async function rereadLine(page: ImagePage, box: Box, ocr: TesseractEngine, scale: number): Promise<Line | null> {
  const region = paddedRegion(page, box, Math.round((box[3] - box[1]) * 0.5));
  if (!region) return null;
  const middle = (region[1] + region[3]) / 2;
  const lines = (await readRegion(page, region, ocr, scale)).filter((l) => l.box !== null);
  return lines.sort((a, b) => Math.abs(centreY(a.box!) - middle) - Math.abs(centreY(b.box!) - middle))[0] ?? null;
}

function withLine(layer: TextLayer, at: LineRef, line: Line): TextLayer {
  const pages: Page[] = layer.pages.map((page, p) =>
    p === at.page ? { ...page, lines: page.lines.map((old, l) => (l === at.line ? line : old)) } : page,
  );
  return { ...layer, pages };
}

/** The new reading is kept only where it makes the field surer and costs no other field anything. */
function isBetter(name: KeyField, before: Extraction, after: Extraction): boolean {
  if (after[name].value === null || after[name].confidence <= before[name].confidence) return false;
  return FIELD_NAMES.every(
    (other) => other === name || after[other].value === before[other].value || after[other].confidence >= before[other].confidence,
  );
}

/**
 * The core height of a line's print in the normalised page's pixels: the page's, as the read stage
 * measured it, or the line's own where its box says it is printed smaller (serials are often set in
 * smaller type than the rest of a slip). Null when the page's print could not be measured.
 */
function coreHeightOf(layer: TextLayer, at: LineRef, page: ImagePage): number | null {
  const size = layer.pages[at.page]!.textSize;
  const box = layer.pages[at.page]!.lines[at.line]!.box;
  if (!size || size.lineHeight <= 0) return null;
  const pageCore = size.xHeight * page.steps.scale;
  const lineCore = box ? (box[3] - box[1]) * (size.xHeight / size.lineHeight) : pageCore;
  return Math.min(pageCore, lineCore);
}

const isSure = (field: Field) => field.value !== null && field.confidence >= REREAD_BELOW;

/**
 * The lines a key field needs read again: the one its low-confidence value came from; for a serial
 * or IMEI whose label was printed without a readable number, the label's line; for a purchase date
 * not read at all, the first lines with a purchase-date label.
 */
function linesToReread(layer: TextLayer, extraction: Extraction, name: KeyField): LineRef[] {
  const field = extraction[name];
  const lineAt = (location: Field['location']) => {
    const at = location ? lineOf(layer, location) : null;
    return at ? [at] : [];
  };
  if (field.value !== null) return field.confidence < REREAD_BELOW ? lineAt(field.location) : [];
  if (name !== 'purchaseDate') return lineAt(extraction.facts.unreadIdentifiers?.find((u) => u.kind === name)?.location);
  return layer.pages
    .flatMap((page, p) => page.lines.flatMap((line, l) => (line.box && hasPurchaseDateLabel(line.text) ? [{ page: p, line: l }] : [])))
    .slice(0, MAX_DATE_LABEL_LINES);
}

/**
 * A second, closer look at the lines the key fields came from: each key field read with low
 * confidence from an OCR page, each serial or IMEI label printed without a readable number, and a
 * purchase date not read at all (the lines with its label) has its line read again alone, enlarged
 * so the page's print reaches the heights the engine reads best, at one scale after another until
 * the field is read surely. A new reading replaces the line where it makes that field surer.
 * Text-layer PDF pages are exact and are left alone.
 */
export async function rereadKeyLines(pages: PreparedPage[], layer: TextLayer, ocr: TesseractEngine): Promise<TextLayer> {
  if (layer.source !== 'ocr') return layer;
  let current = layer;
  let extraction = extract(layer);
  for (const name of KEY_FIELDS) {
    for (const at of linesToReread(current, extraction, name)) {
      const page = pages.find((p): p is ImagePage => p.kind === 'image' && p.number === current.pages[at.page]!.number);
      if (!page) continue;
      const box = current.pages[at.page]!.lines[at.line]!.box!;
      for (const scale of rereadScales(coreHeightOf(current, at, page))) {
        const line = await rereadLine(page, box, ocr, scale);
        if (!line) continue;
        const candidate = withLine(current, at, line);
        const candidateExtraction = extract(candidate);
        if (isBetter(name, extraction, candidateExtraction)) {
          current = candidate;
          extraction = candidateExtraction;
        }
        if (isSure(extraction[name])) break;
      }
      if (isSure(extraction[name])) break;
    }
  }
  return current;
}
