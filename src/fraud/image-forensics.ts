import type { FieldForensics, Heatmap, KeyField } from '../domain/fraud.js';
import type { Box, Page, Word } from '../domain/text-layer.js';
import { pointOnOriginal } from '../imaging/box-mapping.js';
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
 * A cell whose paper (its brightest quarter) is darker than this share of the page's paper level
 * is no paper: the table, a hand or a shadow around the sheet.
 */
const PAPER_SHARE = 0.8;
/** Re-save quality when the file's own cannot be read from its tables. */
const DEFAULT_QUALITY = 90;
/**
 * Rows re-saved at a time for error level analysis: a multiple of the JPEG block height, so every
 * band holds whole blocks and the map equals the whole image's, without the encoder and decoder
 * each holding a full-size copy of a large photo.
 */
const ELA_BAND_ROWS = 512;
/** Maps are shrunk to at most this many times the OCR page's scale before they are aligned with it. */
const MAP_SCALE_OVER_PAGE = 2;
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
  return { fields, heatmap: heatmap(paper, errors, original, input.geometry, input.page.number) };
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

/**
 * A map on the original's grid given the OCR page's crop, deskew and scale. A photo far larger than
 * the page is first shrunk to twice the page's scale: turning a 35-megapixel map at full size held
 * several copies of it at once (400 MB for one photo), for detail the page-sized result cannot keep.
 */
async function aligned(image: Gray, geometry: PageGeometry): Promise<Gray> {
  const input = fromPixels(image.data, { width: image.width, height: image.height, channels: 1 });
  const factor = (MAP_SCALE_OVER_PAGE * geometry.width) / (geometry.crop?.width ?? image.width);
  if (factor >= 1) return raw((await applyGeometry(input, geometry)).toColourspace('b-w'));
  const reduced = await raw(input.resize({ width: Math.max(1, Math.round(image.width * factor)) }).toColourspace('b-w'));
  return raw(
    (
      await applyGeometry(fromPixels(reduced.data, { ...size(reduced), channels: 1 }), scaledGeometry(geometry, image, reduced))
    ).toColourspace('b-w'),
  );
}

const size = (image: Gray) => ({ width: image.width, height: image.height });

/** The page geometry for a copy of the original shrunk to `reduced`'s size: the crop scaled with it. */
function scaledGeometry(geometry: PageGeometry, original: Gray, reduced: Gray): PageGeometry {
  if (!geometry.crop) return geometry;
  const fx = reduced.width / original.width;
  const fy = reduced.height / original.height;
  const left = Math.min(reduced.width - 1, Math.floor(geometry.crop.left * fx));
  const top = Math.min(reduced.height - 1, Math.floor(geometry.crop.top * fy));
  return {
    ...geometry,
    crop: {
      left,
      top,
      width: Math.max(1, Math.min(reduced.width - left, Math.round(geometry.crop.width * fx))),
      height: Math.max(1, Math.min(reduced.height - top, Math.round(geometry.crop.height * fy))),
    },
  };
}

/**
 * Error level analysis: re-save at the file's own quality and take the difference. Pixels that
 * went through the same compression before barely change; a region pasted in after it changes more.
 */
async function errorLevelMap(image: Gray, quality: number): Promise<Gray> {
  const data = new Uint8Array(image.data.length);
  for (let top = 0; top < image.height; top += ELA_BAND_ROWS) {
    const band = image.data.subarray(top * image.width, Math.min(image.height, top + ELA_BAND_ROWS) * image.width);
    const resaved = await fromPixels(band, { width: image.width, height: band.length / image.width, channels: 1 })
      .jpeg({ quality, chromaSubsampling: '4:4:4' })
      .toBuffer();
    const again = await raw(decodeOwn(resaved).toColourspace('b-w'));
    // Amplified so the resampling onto the page keeps the differences apart from zero.
    for (let i = 0; i < band.length; i++) data[top * image.width + i] = Math.min(255, 8 * Math.abs(band[i]! - again.data[i]!));
  }
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

function cellValues<T>(image: Gray, value: (cell: Histogram) => T): { columns: number; values: T[] } {
  const columns = Math.ceil(image.width / HEAT_CELL);
  const rows = Math.ceil(image.height / HEAT_CELL);
  const values: T[] = [];
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
 * Which cells lie on the sheet of paper, away from its edges: inside the photo as cropped and turned
 * (not the canvas the turn added), less the darker cells (table, hand, shadow) connected to the
 * outside, less the outermost ring of what remains. The paper's edge against the table, the
 * crop's seam and the table itself always stand out in an error-level map and tell a reviewer nothing.
 */
function sheetCells(
  paper: Gray,
  { columns, values }: { columns: number; values: Array<number | null> },
  original: { width: number; height: number },
  geometry: PageGeometry,
): boolean[] {
  const rows = Math.ceil(values.length / columns);
  const inPhoto = photoArea(paper, original, geometry);
  const outside = values.map((_, i) => {
    const r = Math.floor(i / columns);
    const c = i % columns;
    const corners = [
      [c, r],
      [c + 1, r],
      [c, r + 1],
      [c + 1, r + 1],
    ].map(([x, y]) => [Math.min(paper.width, x! * HEAT_CELL), Math.min(paper.height, y! * HEAT_CELL)] as const);
    return !corners.every(([x, y]) => inPhoto(x, y));
  });
  const dark = values.map((v) => v === null || v < PAPER_SHARE * geometry.paperLevel);
  const onBorder = (i: number) => i < columns || i >= (rows - 1) * columns || i % columns === 0 || i % columns === columns - 1;
  // Off the sheet: outside the photo, and every darker cell reachable from there or from the border.
  const off = outside.slice();
  const queue = values.flatMap((_, i) => (outside[i] || (dark[i] && onBorder(i)) ? [i] : []));
  for (const i of queue) off[i] = true;
  for (let k = 0; k < queue.length; k++) {
    const i = queue[k]!;
    const c = i % columns;
    for (const j of [i - columns, i + columns, c > 0 ? i - 1 : -1, c < columns - 1 ? i + 1 : -1]) {
      if (j >= 0 && j < values.length && !off[j] && dark[j]) {
        off[j] = true;
        queue.push(j);
      }
    }
  }
  const on = (r: number, c: number) => r >= 0 && r < rows && c >= 0 && c < columns && !off[r * columns + c];
  return values.map((_, i) => {
    const r = Math.floor(i / columns);
    const c = i % columns;
    return on(r, c) && on(r - 1, c) && on(r + 1, c) && on(r, c - 1) && on(r, c + 1);
  });
}

/**
 * Whether a point of the aligned page shows the photo's crop rather than the canvas its deskew
 * added: the point taken back through the scale and the turn lands in the crop.
 */
function photoArea(page: Gray, original: { width: number; height: number }, geometry: PageGeometry): (x: number, y: number) => boolean {
  const crop = geometry.crop ?? { left: 0, top: 0, width: original.width, height: original.height };
  // Half a pixel of slack: the turned crop's corners land on the canvas's edges.
  return (x, y) => {
    const [ox, oy] = pointOnOriginal(x, y, crop, geometry.skewDegrees, page);
    return (
      Math.abs(ox - crop.left - crop.width / 2) <= crop.width / 2 + 0.5 &&
      Math.abs(oy - crop.top - crop.height / 2) <= crop.height / 2 + 0.5
    );
  };
}

/**
 * How far each cell's paper lies from the paper of the cells around it (up to four cells out, on the
 * sheet: wide enough that a patch a few cells long is not most of it), in units of that paper's
 * noise, as the key fields' background is judged: a pasted patch brings another shade, or no grain
 * at all. Against its own surroundings, so uneven light is no edit.
 */
function paperDeviations(
  cells: { columns: number; values: Array<{ level: number; noise: number } | null> },
  sheet: boolean[],
  paperLevel: number,
): Array<number | null> {
  const { columns } = cells;
  // A cell all ink (a barcode, a logo) shows no paper to judge.
  const values = cells.values.map((p) => (p && p.level >= PAPER_SHARE * paperLevel ? p : null));
  const rows = Math.ceil(values.length / columns);
  return values.map((own, i) => {
    if (!own || !sheet[i]) return null;
    const r = Math.floor(i / columns);
    const c = i % columns;
    const ring: Array<{ level: number; noise: number }> = [];
    for (let dr = -4; dr <= 4; dr++)
      for (let dc = -4; dc <= 4; dc++) {
        if (Math.max(Math.abs(dr), Math.abs(dc)) < 2 || r + dr < 0 || r + dr >= rows || c + dc < 0 || c + dc >= columns) continue;
        const j = (r + dr) * columns + c + dc;
        if (sheet[j] && values[j]) ring.push(values[j]);
      }
    if (ring.length < 12) return null;
    const level = median(ring.map((p) => p.level));
    const noise = Math.max(2, median(ring.map((p) => p.noise)));
    return (Math.abs(own.level - level) + Math.abs(own.noise - noise)) / noise;
  });
}

/** Values scaled so the sheet's typical cell is at most 1. */
function againstTypical(values: Array<number | null>): number[] {
  const present = values.filter((v): v is number => v !== null);
  const typical = Math.max(1, present.length ? median(present) : 1);
  return values.map((v) => (v ?? 0) / typical);
}

/**
 * The heat map: per cell, the JPEG error level (when the file has a JPEG history) and the paper's
 * deviation from its surroundings, each over the sheet's typical cell, whichever stands out more;
 * 9 is nine times typical or more. Cells off the sheet or on its edge are 0 (see sheetCells).
 */
function heatmap(
  paper: Gray,
  errors: Gray | null,
  original: { width: number; height: number },
  geometry: PageGeometry,
  page: number,
): Heatmap {
  const paperCells = cellValues(paper, paperStats);
  const { columns } = paperCells;
  const sheet = sheetCells(paper, { columns, values: paperCells.values.map((p) => p?.level ?? null) }, original, geometry);
  const onSheet = (values: Array<number | null>) => values.map((v, i) => (sheet[i] ? v : null));
  const paperHeat = againstTypical(paperDeviations(paperCells, sheet, geometry.paperLevel));
  const errorHeat = errors ? againstTypical(onSheet(cellMeans(errors).values)) : null;
  const digits = paperHeat.map((v, i) => String(Math.min(9, Math.round(Math.max(v, errorHeat?.[i] ?? 0)))));
  const rows: string[] = [];
  for (let i = 0; i < digits.length; i += columns) rows.push(digits.slice(i, i + columns).join(''));
  return { page, cellSize: HEAT_CELL, columns, rows };
}

const round = (v: number) => Math.round(v * 100) / 100;
