import { decodeOwn } from '../documents/untrusted-image.js';
import type { TextSize } from '../domain/text-layer.js';
import { percentile, type GrayImage } from './page-analysis.js';

/** How big the print on a page is, in the pixels of the image it was measured on. */
export interface PrintSize {
  /** Median height of the lines' dense core: the x-height, or the cap height on all-capital lines. */
  xHeight: number;
  /** Median height of a line's ink, ascenders to descenders. */
  lineHeight: number;
  /** How many line pieces the medians were taken over. */
  lines: number;
}

/**
 * Vertical strips measured apart: a page-wide row profile smears lines that are not quite level, and
 * a two-column layout whose columns' baselines differ into lines taller than either.
 */
const STRIPS = 4;
/** A row belongs to a line from this share of the strip's inkiest row on. */
const LINE_ROW_SHARE = 0.05;
/**
 * The x-height band of a line is where most letters have ink: its first and last row carry the
 * letters' top and bottom strokes, ascenders and descenders only a few letters' stems.
 */
const CORE_ROW_SHARE = 0.4;
/** A "line" inked across most of a strip's width is a rule or a bar, not print. */
const RULE_SHARE = 0.6;
const MIN_LINES = 3;

/**
 * The text size of a deskewed page (the normalised page the OCR reads): median line and core heights
 * over the line pieces of a few vertical strips. Null when the page shows too few lines to say.
 */
export function measureTextSize(img: GrayImage): PrintSize | null {
  const ink = inkThreshold(img);
  const cores: number[] = [];
  const heights: number[] = [];
  const stripWidth = Math.floor(img.width / STRIPS);
  if (stripWidth < 8) return null;
  for (let s = 0; s < STRIPS; s++) {
    const rows = stripProfile(img, s * stripWidth, stripWidth, ink);
    for (const line of lineRuns(rows, stripWidth)) {
      heights.push(line.height);
      cores.push(line.core);
    }
  }
  if (heights.length < MIN_LINES) return null;
  return { xHeight: median(cores), lineHeight: median(heights), lines: heights.length };
}

/**
 * The print size of a normalised page in the pixels of the picture it was made from: what the
 * customer's camera or scanner caught, which no enlarging afterwards can add to.
 */
export async function pageTextSize(page: { png: Buffer; steps: { scale: number } }): Promise<TextSize | null> {
  const gray = await decodeOwn(page.png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const size = measureTextSize({ data: gray.data, width: gray.info.width, height: gray.info.height });
  if (!size) return null;
  const inPicture = (pixels: number) => Math.round((pixels / page.steps.scale) * 10) / 10;
  return { xHeight: inPicture(size.xHeight), lineHeight: inPicture(size.lineHeight) };
}

/** Midway between the print and the paper, as the darkest 1% and the brightest 10% of pixels show them. */
function inkThreshold(img: GrayImage): number {
  const hist = new Uint32Array(256);
  for (const v of img.data) hist[v]!++;
  return (percentile(hist, img.data.length, 0.01) + percentile(hist, img.data.length, 0.9)) / 2;
}

function stripProfile(img: GrayImage, left: number, width: number, ink: number): Uint32Array {
  const rows = new Uint32Array(img.height);
  for (let y = 0; y < img.height; y++) {
    const start = y * img.width + left;
    let count = 0;
    for (let x = start; x < start + width; x++) if (img.data[x]! < ink) count++;
    rows[y] = count;
  }
  return rows;
}

/** The strip's lines of print: runs of inked rows, each with its full height and its core's. */
function lineRuns(rows: Uint32Array, stripWidth: number): Array<{ height: number; core: number }> {
  const max = rows.reduce((m, v) => Math.max(m, v), 0);
  if (max === 0) return [];
  const runs: Array<{ height: number; core: number }> = [];
  let start = -1;
  for (let y = 0; y <= rows.length; y++) {
    const inked = y < rows.length && rows[y]! > max * LINE_ROW_SHARE;
    if (inked && start < 0) start = y;
    if (!inked && start >= 0) {
      const run = rows.subarray(start, y);
      const peak = run.reduce((m, v) => Math.max(m, v), 0);
      if (run.length >= 2 && peak < stripWidth * RULE_SHARE) runs.push({ height: run.length, core: coreHeight(run, peak) });
      start = -1;
    }
  }
  return runs;
}

function coreHeight(run: Uint32Array, peak: number): number {
  let first = -1;
  let last = -1;
  run.forEach((v, i) => {
    if (v >= peak * CORE_ROW_SHARE) {
      if (first < 0) first = i;
      last = i;
    }
  });
  return last - first + 1;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
