import type { FieldForensics, Heatmap, KeyField } from '../domain/fraud.js';
import type { Box, Page, Word } from '../domain/text-layer.js';
import { applyGeometry, type PageGeometry } from '../imaging/normalise.js';
import { decodeOwn, decodeUntrusted, fromPixels, type Sharp } from '../documents/untrusted-image.js';
import { jpegQuality } from './jpeg-quality.js';

/** A one-channel image as raw bytes. */
interface Gray {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface ForensicsInput {
  /** The uploaded image file itself. */
  original: Uint8Array;
  type: 'jpeg' | 'png';
  /** The configured pixel limit the upload is decoded under. */
  maxPixels: number;
  page: Page;
  geometry: PageGeometry;
  fields: Array<{ field: KeyField; box: Box }>;
}

/** Cells of the review heat map, in page pixels (text lines are ~20 px high there). */
const HEAT_CELL = 24;
/**
 * A cell whose paper (its brightest quarter) is at least this share of the page's paper level lies
 * on the sheet; the table, a hand or a shadow around it is darker.
 */
const PAPER_SHARE = 0.8;
/** Re-save quality when the file's own cannot be read from its tables. */
const DEFAULT_QUALITY = 90;
/** Words without lower-case letters have no x-height or descenders: their boxes compare directly. */
const FLAT_WORD = /^[0-9A-ZÆØÅÄÖÜ.,:/-]{3,}$/;

/**
 * Pixel evidence around the key fields of an image receipt: JPEG error level, the paper under the
 * field and the field's glyph geometry, each against the field's own neighbourhood, plus a heat map.
 * Maps are computed on the original's pixel grid, then given the OCR page's crop, deskew and scale,
 * so word boxes fall on them.
 */
export async function imageForensics(input: ForensicsInput): Promise<{ fields: FieldForensics[]; heatmap: Heatmap }> {
  // Turned upright like the OCR page, so the page's crop, deskew and word boxes fall on the same
  // pixels; stricter than the OCR page about damage: no evidence is drawn from damaged pixels.
  const decoding = { maxPixels: input.maxPixels, autoOrient: true, failOn: 'warning' } as const;
  const original = await raw(decodeUntrusted(input.original, decoding).toColourspace('b-w'));
  const errorMap = input.type === 'jpeg' ? await errorLevelMap(original, jpegQuality(input.original) ?? DEFAULT_QUALITY) : null;
  const paper = await aligned(original, input.geometry);
  const errors = errorMap ? await aligned(errorMap, input.geometry) : null;
  const words = boxedWords(input.page);

  const fields = input.fields.map(({ field, box }) => {
    const others = words.filter((w) => !overlaps(w.box, box));
    return {
      field,
      page: input.page.number,
      box,
      errorLevel: errors ? errorLevelRatio(errors, box, others) : null,
      background: backgroundDeviation(paper, box),
      glyphGeometry: glyphDeviation(input.page, box),
    };
  });
  const sheet = sheetCells(paper, input.geometry.paperLevel);
  return { fields, heatmap: heatmap(errors ?? paperDeviationMap(paper), sheet, input.page.number) };
}

/** Glyph geometry alone, for pages whose pixels are not the upload's own (rendered PDF scans). */
export function glyphForensics(page: Page, fields: ForensicsInput['fields']): FieldForensics[] {
  return fields.map(({ field, box }) => ({
    field,
    page: page.number,
    box,
    errorLevel: null,
    background: null,
    glyphGeometry: glyphDeviation(page, box),
  }));
}

function boxedWords(page: Page): Array<Word & { box: Box }> {
  return page.lines.flatMap((l) => l.words).filter((w): w is Word & { box: Box } => w.box !== null);
}

async function raw(image: Sharp): Promise<Gray> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one channel, got ${info.channels}`);
  return { data, width: info.width, height: info.height };
}

async function aligned(image: Gray, geometry: PageGeometry): Promise<Gray> {
  const input = fromPixels(image.data, { width: image.width, height: image.height, channels: 1 });
  return raw((await applyGeometry(input, geometry)).toColourspace('b-w'));
}

/**
 * Error level analysis: re-save at the file's own quality and take the difference. Pixels that
 * went through the same compression before barely change; a region pasted in after it changes more.
 */
async function errorLevelMap(image: Gray, quality: number): Promise<Gray> {
  const resaved = await fromPixels(image.data, { width: image.width, height: image.height, channels: 1 })
    .jpeg({ quality, chromaSubsampling: '4:4:4' })
    .toBuffer();
  const again = await raw(decodeOwn(resaved).toColourspace('b-w'));
  const data = new Uint8Array(image.data.length);
  // Amplified so the resampling onto the page keeps the differences apart from zero.
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, 8 * Math.abs(image.data[i]! - again.data[i]!));
  return { data, width: image.width, height: image.height };
}

function clampBox(box: Box, image: Gray): Box | null {
  const x0 = Math.max(0, Math.floor(box[0]));
  const y0 = Math.max(0, Math.floor(box[1]));
  const x1 = Math.min(image.width, Math.ceil(box[2]));
  const y1 = Math.min(image.height, Math.ceil(box[3]));
  return x1 - x0 >= 2 && y1 - y0 >= 2 ? [x0, y0, x1, y1] : null;
}

/** Gray levels of the pixels in `box` (less `exclude`) as a histogram: maps are 8-bit, so no pixel list is ever built or sorted. */
interface Histogram {
  counts: Uint32Array;
  total: number;
}

function histogram(image: Gray, box: Box, exclude?: Box): Histogram {
  const counts = new Uint32Array(256);
  let total = 0;
  const b = clampBox(box, image);
  if (b) {
    for (let y = b[1]; y < b[3]; y++) {
      const skipRow = !exclude || y < exclude[1] || y >= exclude[3];
      for (let x = b[0]; x < b[2]; x++) {
        if (!skipRow && x >= exclude[0] && x < exclude[2]) continue;
        counts[image.data[y * image.width + x]!]!++;
        total++;
      }
    }
  }
  return { counts, total };
}

function histogramMean(h: Histogram): number {
  let sum = 0;
  for (let v = 0; v < 256; v++) sum += v * h.counts[v]!;
  return sum / h.total;
}

/** The value of rank `k` (0-based) in sorted order. */
function valueAtRank(counts: Uint32Array, k: number): number {
  let seen = 0;
  for (let v = 0; v < counts.length; v++) {
    seen += counts[v]!;
    if (seen > k) return v;
  }
  return counts.length - 1;
}

function histogramMedian(counts: Uint32Array, total: number): number {
  const mid = total >> 1;
  return total % 2 ? valueAtRank(counts, mid) : (valueAtRank(counts, mid - 1) + valueAtRank(counts, mid)) / 2;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function overlaps(a: Box, b: Box): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

function grow(box: Box, by: number): Box {
  return [box[0] - by, box[1] - by, box[2] + by, box[3] + by];
}

/** Mean error level in the field's box over the median of the other words' (text against text). */
function errorLevelRatio(errors: Gray, box: Box, others: Array<{ box: Box }>): number | null {
  const reference = others
    .map((w) => histogram(errors, w.box))
    .filter((h) => h.total > 0)
    .map(histogramMean);
  const inField = histogram(errors, box);
  if (reference.length < 5 || inField.total === 0) return null;
  return round(histogramMean(inField) / Math.max(1, median(reference)));
}

/**
 * Paper level (median of the brightest quarter: print and its anti-aliasing stay below it even in
 * dense lines) and its noise (MAD of the same pixels).
 */
function paperStats(h: Histogram): { level: number; noise: number } | null {
  if (h.total < 20) return null;
  // The brightest quarter: the histogram less its darkest floor(0.75 n) pixels.
  const bright = h.counts.slice();
  let drop = Math.floor(0.75 * h.total);
  for (let v = 0; v < 256 && drop > 0; v++) {
    const taken = Math.min(bright[v]!, drop);
    bright[v]! -= taken;
    drop -= taken;
  }
  const count = h.total - Math.floor(0.75 * h.total);
  const level = histogramMedian(bright, count);
  // Deviations from a level that may end in .5: counted in half steps.
  const deviations = new Uint32Array(512);
  for (let v = 0; v < 256; v++) if (bright[v]) deviations[Math.round(2 * Math.abs(v - level))]! += bright[v]!;
  return { level, noise: (1.4826 * histogramMedian(deviations, count)) / 2 };
}

/**
 * How far the paper under the field lies from the paper around it (a ring one to two line heights
 * out), in units of the paper's own noise: a pasted patch brings another shade, or no grain at all.
 */
function backgroundDeviation(paper: Gray, box: Box): number | null {
  const h = box[3] - box[1];
  const inner = paperStats(histogram(paper, grow(box, Math.max(1, 0.15 * h))));
  const ring = paperStats(histogram(paper, grow(box, 1.5 * h), grow(box, 0.6 * h)));
  if (!inner || !ring) return null;
  const noise = Math.max(2, ring.noise);
  return round((Math.abs(inner.level - ring.level) + Math.abs(inner.noise - ring.noise)) / noise);
}

/**
 * Character height and baseline of the field's words against flat words (digits, capitals): height
 * against those within a few lines, baseline against the rest of its own OCR line. Retyped text
 * rarely matches the printer's size and line exactly.
 */
function glyphDeviation(page: Page, box: Box): number | null {
  const inside = (w: { box: Box }) => {
    const cx = (w.box[0] + w.box[2]) / 2;
    const cy = (w.box[1] + w.box[3]) / 2;
    return cx >= box[0] && cx <= box[2] && cy >= box[1] && cy <= box[3];
  };
  const flatLines = page.lines.map((l) => l.words.filter((w): w is Word & { box: Box } => w.box !== null && FLAT_WORD.test(w.text)));
  const own = flatLines.flat().filter(inside);
  if (own.length === 0) return null;
  const height = median(own.map((w) => w.box[3] - w.box[1]));
  const near = flatLines.flat().filter((w) => !inside(w) && Math.abs(w.box[1] - box[1]) <= 5 * height);
  if (near.length < 3) return null;
  const reference = median(near.map((w) => w.box[3] - w.box[1]));
  const sizeDeviation = Math.abs(height / reference - 1);
  const sameLine = flatLines
    .filter((l) => l.some(inside))
    .flat()
    .filter((w) => !inside(w));
  const baselineDeviation = sameLine.length
    ? Math.abs(median(own.map((w) => w.box[3])) - median(sameLine.map((w) => w.box[3]))) / reference
    : 0;
  return round(Math.max(sizeDeviation, baselineDeviation));
}

/** For images without JPEG history: each cell's paper level against the page's, in noise units. */
function paperDeviationMap(paper: Gray): Gray {
  const data = new Uint8Array(paper.data.length);
  const cells = cellValues(paper, (h) => paperStats(h)?.level ?? null);
  const levels = cells.values.filter((v): v is number => v !== null);
  const page = levels.length ? median(levels) : 0;
  const noise = Math.max(2, levels.length ? median(levels.map((v) => Math.abs(v - page))) : 2);
  cells.values.forEach((v, i) => {
    const value = v === null ? 0 : Math.min(255, (32 * Math.abs(v - page)) / noise);
    const cx = i % cells.columns;
    const cy = Math.floor(i / cells.columns);
    for (let y = cy * HEAT_CELL; y < Math.min(paper.height, (cy + 1) * HEAT_CELL); y++) {
      data.fill(value, y * paper.width + cx * HEAT_CELL, y * paper.width + Math.min(paper.width, (cx + 1) * HEAT_CELL));
    }
  });
  return { data, width: paper.width, height: paper.height };
}

function cellValues(image: Gray, value: (cell: Histogram) => number | null): { columns: number; values: Array<number | null> } {
  const columns = Math.ceil(image.width / HEAT_CELL);
  const rows = Math.ceil(image.height / HEAT_CELL);
  const values: Array<number | null> = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      values.push(value(histogram(image, [c * HEAT_CELL, r * HEAT_CELL, (c + 1) * HEAT_CELL, (r + 1) * HEAT_CELL])));
    }
  }
  return { columns, values };
}

/** The mean of each cell, in one pass over the map: a histogram per cell is not needed for a mean. */
function cellMeans(image: Gray): { columns: number; values: Array<number | null> } {
  const columns = Math.ceil(image.width / HEAT_CELL);
  const rows = Math.ceil(image.height / HEAT_CELL);
  const sums = new Float64Array(columns * rows);
  const counts = new Uint32Array(columns * rows);
  for (let y = 0; y < image.height; y++) {
    const rowStart = Math.floor(y / HEAT_CELL) * columns;
    for (let x = 0; x < image.width; x++) {
      const cell = rowStart + Math.floor(x / HEAT_CELL);
      sums[cell]! += image.data[y * image.width + x]!;
      counts[cell]!++;
    }
  }
  return { columns, values: Array.from(sums, (sum, i) => (counts[i] ? sum / counts[i] : null)) };
}

/**
 * Which cells lie inside the sheet of paper, away from its edges: the largest connected run of
 * paper-bright cells, filled from its left to its right end in each row (print and logos are not
 * holes in the paper), less its outermost cells. The paper's edge against the table and the table
 * itself always stand out in an error-level map and tell a reviewer nothing.
 */
function sheetCells(paper: Gray, paperLevel: number): boolean[] {
  const { columns, values } = cellValues(paper, (h) => paperStats(h)?.level ?? null);
  const rows = Math.ceil(values.length / columns);
  const bright = values.map((v) => v !== null && v >= PAPER_SHARE * paperLevel);
  const sheet = largestComponent(bright, columns);
  for (let r = 0; r < rows; r++) {
    const row = sheet.slice(r * columns, (r + 1) * columns);
    const first = row.indexOf(true);
    if (first >= 0) sheet.fill(true, r * columns + first, r * columns + row.lastIndexOf(true) + 1);
  }
  const at = (r: number, c: number) => r >= 0 && r < rows && c >= 0 && c < columns && sheet[r * columns + c]!;
  return sheet.map((on, i) => {
    const r = Math.floor(i / columns);
    const c = i % columns;
    return on && at(r - 1, c) && at(r + 1, c) && at(r, c - 1) && at(r, c + 1);
  });
}

/** The largest 4-connected group of set cells. */
function largestComponent(cells: boolean[], columns: number): boolean[] {
  const label = new Int32Array(cells.length).fill(-1);
  let best: number[] = [];
  cells.forEach((on, start) => {
    if (!on || label[start] !== -1) return;
    const members = [start];
    label[start] = start;
    for (let k = 0; k < members.length; k++) {
      const i = members[k]!;
      const c = i % columns;
      for (const j of [i - columns, i + columns, c > 0 ? i - 1 : -1, c < columns - 1 ? i + 1 : -1]) {
        if (j >= 0 && j < cells.length && cells[j] && label[j] === -1) {
          label[j] = start;
          members.push(j);
        }
      }
    }
    if (members.length > best.length) best = members;
  });
  const out = new Array<boolean>(cells.length).fill(false);
  for (const i of best) out[i] = true;
  return out;
}

/**
 * Cell means scaled so the sheet's typical cell is at most 1 and 9 is nine times that or more;
 * cells off the sheet or on its edge are 0 (see sheetCells).
 */
function heatmap(map: Gray, sheet: boolean[], page: number): Heatmap {
  const cells = cellMeans(map);
  const onSheet = cells.values.map((v, i) => (sheet[i] ? v : null));
  const present = onSheet.filter((v): v is number => v !== null);
  const typical = Math.max(1, present.length ? median(present) : 1);
  const digits = onSheet.map((v) => String(Math.min(9, Math.round((v ?? 0) / typical))));
  const rows: string[] = [];
  for (let i = 0; i < digits.length; i += cells.columns) rows.push(digits.slice(i, i + cells.columns).join(''));
  return { page, cellSize: HEAT_CELL, columns: cells.columns, rows };
}

const round = (v: number) => Math.round(v * 100) / 100;
