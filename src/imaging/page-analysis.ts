/**
 * Geometry of a receipt on a small grayscale copy of the image: where the paper is, how skewed its
 * text lines are, and how tall they are. Pure arithmetic on pixels, so it is cheap and testable.
 */
export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface PageGeometry {
  /** Paper bounds in the small image's pixels; the whole image when no background is visible. */
  paper: { left: number; top: number; width: number; height: number };
  paperLevel: number;
  /** Angle (degrees, clockwise positive) the text lines are turned by; rotate by its negative. */
  skewDegrees: number;
  /** Median height of a text line in the small image's pixels, or null when no lines were found. */
  lineHeight: number | null;
  /** Gray levels of the darkest 0.5% and the brightest 2% of pixels: how much there is to read at all. */
  range: { dark: number; bright: number };
}

/** The gray level below which a share `p` of a histogram's `total` pixels lie. */
export function percentile(hist: Uint32Array, total: number, p: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen >= total * p) return v;
  }
  return 255;
}

/** Pixels either side of a point a brightness step is measured across (the analysis copy is 600 px wide). */
const STEP_REACH = 2;
/** Steps are capped so one sharp line of print cannot outweigh a whole soft edge. */
const MAX_STEP = 80;
/** Half-width of the window a step profile is smoothed over: a few letters at the analysis scale. */
const STEP_WINDOW = 7;
/** Mean step per pixel along a line that marks a paper edge; print alone stays near 1. */
const MIN_EDGE_STEP = 1.8;
/** Share of its peak step a slanted edge keeps over its width. */
const EDGE_SPREAD = 0.35;

/** Signed brightness steps summed along columns (`across` = 'columns') or rows, per pixel of that line, smoothed. */
function stepProfile(img: GrayImage, along: 'columns' | 'rows'): Float64Array {
  const { data, width, height } = img;
  const length = along === 'columns' ? width : height;
  const stride = along === 'columns' ? 1 : width;
  const sums = new Float64Array(length);
  for (let y = STEP_REACH; y < height - STEP_REACH; y++) {
    for (let x = STEP_REACH; x < width - STEP_REACH; x++) {
      const i = y * width + x;
      const step = data[i + STEP_REACH * stride]! - data[i - STEP_REACH * stride]!;
      sums[along === 'columns' ? x : y]! += Math.max(-MAX_STEP, Math.min(MAX_STEP, step));
    }
  }
  // A letter steps down on its left and up on its right a few pixels apart: over a window of a
  // few letters' width it cancels out, where a paper's edge steps one way all along.
  const across = along === 'columns' ? height : width;
  return sums.map((_, i) => {
    let sum = 0;
    let count = 0;
    for (let j = Math.max(0, i - STEP_WINDOW); j <= Math.min(length - 1, i + STEP_WINDOW); j++) {
      sum += sums[j]!;
      count++;
    }
    return sum / count / across;
  });
}

/**
 * One edge of the paper: the outermost strong step the given way (+1 up into the paper from the
 * start, -1 down out of it towards the end) within the range, widened outward over the whole
 * slanted edge (a turned page's edge spreads over many columns). The outermost, not the strongest:
 * a bold line of print inside can step as hard as a dimly lit edge, but only the paper's edge
 * comes before all print. Null when no step stands out from the print's.
 */
function paperEdge(profile: Float64Array, from: number, to: number, sign: 1 | -1): number | null {
  const value = (i: number) => sign * profile[i]!;
  let strongest = 0;
  for (let i = from; i < to; i++) strongest = Math.max(strongest, value(i));
  if (strongest < MIN_EDGE_STEP) return null;
  const inward = sign;
  let edge = sign === 1 ? from : to - 1;
  while (value(edge) < strongest / 4) edge += inward;
  let peak = edge;
  while (peak + inward >= from && peak + inward < to && value(peak + inward) > value(peak)) peak += inward;
  while (edge - inward >= 0 && edge - inward < profile.length && value(edge - inward) >= value(peak) * EDGE_SPREAD) edge -= inward;
  return edge;
}

/**
 * The paper's box from its edges: where brightness steps up into it and down out of it along whole
 * columns and rows. Unlike one brightness threshold it holds under uneven light, where the table
 * near the lamp is brighter than the paper in the shade (a threshold then cut the shaded half of
 * the page away). A side with no clear edge (the paper runs off the picture) stays at the border.
 */
function paperByEdges(img: GrayImage): PageGeometry['paper'] {
  const { width, height } = img;
  const columns = stepProfile(img, 'columns');
  const rows = stepProfile(img, 'rows');
  const left = paperEdge(columns, 0, Math.round(width * 0.6), 1) ?? 0;
  const right = paperEdge(columns, Math.round(width * 0.4), width, -1) ?? width - 1;
  const top = paperEdge(rows, 0, Math.round(height * 0.6), 1) ?? 0;
  const bottom = paperEdge(rows, Math.round(height * 0.4), height, -1) ?? height - 1;
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

function findPaper(img: GrayImage): { box: PageGeometry['paper']; paperLevel: number } {
  const { data, width, height } = img;
  const hist = new Uint32Array(256);
  for (const v of data) hist[v]!++;
  const paperLevel = percentile(hist, data.length, 0.9);

  // The frame's median tells a photo's background from a scan's white margin.
  const frame = new Uint32Array(256);
  let frameCount = 0;
  const band = Math.max(1, Math.round(Math.min(width, height) * 0.03));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x < band || y < band || x >= width - band || y >= height - band) {
        frame[data[y * width + x]!]!++;
        frameCount++;
      }
    }
  }
  const backgroundLevel = percentile(frame, frameCount, 0.5);
  const whole = { left: 0, top: 0, width, height };
  if (paperLevel - backgroundLevel < 25) return { box: whole, paperLevel };
  const box = paperByEdges(img);
  // A "paper" much smaller than the image is more likely a bright object than the receipt.
  if (box.width * box.height < width * height * 0.15) return { box: whole, paperLevel };
  return { box, paperLevel };
}

/**
 * Dark areas that reach the image's edge: the table or scanner lid around the paper, a torn edge,
 * a shadow at the rim. They are never print, though darker than it: on a faint receipt with black
 * torn ends, taking them for ink left the faint text unstretched and the OCR read nothing.
 */
function edgeDarkness(img: GrayImage, paperLevel: number): Uint8Array {
  const { data, width, height } = img;
  const dark = paperLevel * 0.5;
  const mask = new Uint8Array(data.length);
  const stack: number[] = [];
  const visit = (i: number) => {
    if (mask[i] === 0 && data[i]! < dark) {
      mask[i] = 1;
      stack.push(i);
    }
  };
  for (let x = 0; x < width; x++) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width;
    if (x > 0) visit(i - 1);
    if (x < width - 1) visit(i + 1);
    if (i >= width) visit(i - width);
    if (i + width < data.length) visit(i + width);
  }
  return mask;
}

/** Ink and paper levels on the paper alone: a dark table around a receipt says nothing of its print. */
function levelRange(img: GrayImage, box: PageGeometry['paper'], edge: Uint8Array): PageGeometry['range'] {
  const hist = new Uint32Array(256);
  let total = 0;
  for (let y = box.top; y < box.top + box.height; y++) {
    for (let x = box.left; x < box.left + box.width; x++) {
      const i = y * img.width + x;
      if (edge[i]) continue;
      hist[img.data[i]!]!++;
      total++;
    }
  }
  // A page that is dark all over is all "edge": judge it whole, so the darkness gate sees it.
  if (total === 0) return levelRange(img, box, new Uint8Array(edge.length));
  // Sparse print can cover under 2% of a page, so the ink level is read at 0.5%.
  return { dark: percentile(hist, total, 0.005), bright: percentile(hist, total, 0.98) };
}

function inkPoints(img: GrayImage, box: PageGeometry['paper'], paperLevel: number, edge: Uint8Array): Float64Array {
  const { data, width } = img;
  const inset = Math.round(Math.min(box.width, box.height) * 0.04);
  const limit = paperLevel * 0.6;
  const points: number[] = [];
  for (let y = box.top + inset; y < box.top + box.height - inset; y++) {
    for (let x = box.left + inset; x < box.left + box.width - inset; x++) {
      const i = y * width + x;
      if (data[i]! < limit && !edge[i]) points.push(x, y);
    }
  }
  return Float64Array.from(points);
}

/** How sharply the ink falls into rows when the page is turned by `degrees`: high when lines are level. */
function rowProfile(points: Float64Array, degrees: number, height: number): Float64Array {
  const rad = (degrees * Math.PI) / 180;
  const sin = Math.sin(rad);
  const cos = Math.cos(rad);
  const pad = height;
  const rows = new Float64Array(height * 3);
  for (let i = 0; i < points.length; i += 2) {
    const y = Math.round(points[i + 1]! * cos - points[i]! * sin) + pad;
    if (y >= 0 && y < rows.length) rows[y]!++;
  }
  return rows;
}

function sharpness(rows: Float64Array): number {
  let score = 0;
  for (let i = 1; i < rows.length; i++) score += (rows[i]! - rows[i - 1]!) ** 2;
  return score;
}

function medianLineHeight(rows: Float64Array): number | null {
  const max = rows.reduce((m, v) => Math.max(m, v), 0);
  if (max === 0) return null;
  const runs: number[] = [];
  let run = 0;
  for (const v of rows) {
    if (v > max * 0.05) run++;
    else if (run > 0) {
      if (run >= 2) runs.push(run);
      run = 0;
    }
  }
  if (runs.length < 3) return null;
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}

export function analysePage(img: GrayImage, maxSkewDegrees = 12): PageGeometry {
  const { box, paperLevel } = findPaper(img);
  const edge = edgeDarkness(img, paperLevel);
  const range = levelRange(img, box, edge);
  const points = inkPoints(img, box, paperLevel, edge);
  if (points.length < 200) return { paper: box, paperLevel, skewDegrees: 0, lineHeight: null, range };

  const search = (from: number, to: number, step: number) => {
    let best = 0;
    let bestScore = -1;
    for (let a = from; a <= to + 1e-9; a += step) {
      const score = sharpness(rowProfile(points, a, img.height));
      if (score > bestScore) {
        bestScore = score;
        best = a;
      }
    }
    return best;
  };
  const coarse = search(-maxSkewDegrees, maxSkewDegrees, 1);
  const fine = Math.round(search(coarse - 0.9, coarse + 0.9, 0.1) * 10) / 10;
  return {
    paper: box,
    paperLevel,
    skewDegrees: fine,
    lineHeight: medianLineHeight(rowProfile(points, fine, img.height)),
    range,
  };
}
