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

function percentile(hist: Uint32Array, total: number, p: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen >= total * p) return v;
  }
  return 255;
}

type Span = readonly [number, number];

function widestSpan(a: Span | null, b: Span | null): Span | null {
  if (!a || !b) return a ?? b;
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

/**
 * Rows where the paper's columns are clearly lighter than the background beside them. Under
 * uneven light the far end of a receipt can be darker than the table is near the lamp, so a single
 * threshold cut half the receipt away; beside each other in one row, paper is still the lighter.
 */
function rowsLitAboveBeside(img: GrayImage, cols: Span, minLift: number): Span | null {
  const { data, width, height } = img;
  const besideCount = cols[0] + (width - 1 - cols[1]);
  if (besideCount < width * 0.04) return null;
  const inside = new Uint32Array(256);
  const beside = new Uint32Array(256);
  let first = -1;
  let last = -1;
  for (let y = 0; y < height; y++) {
    inside.fill(0);
    beside.fill(0);
    for (let x = 0; x < width; x++) (x >= cols[0] && x <= cols[1] ? inside : beside)[data[y * width + x]!]!++;
    if (percentile(inside, width - besideCount, 0.5) - percentile(beside, besideCount, 0.5) >= minLift) {
      if (first < 0) first = y;
      last = y;
    }
  }
  return first < 0 ? null : [first, last];
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

  const threshold = (paperLevel + backgroundLevel) / 2;
  const rowBright = new Float64Array(height);
  const colBright = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x]! > threshold) {
        rowBright[y]!++;
        colBright[x]!++;
      }
    }
  }
  // Text darkens the paper, so a row or column counts as paper from a third bright on.
  const span = (counts: Float64Array, length: number, across: number) => {
    let first = -1;
    let last = -1;
    for (let i = 0; i < length; i++) {
      if (counts[i]! / across > 0.33) {
        if (first < 0) first = i;
        last = i;
      }
    }
    return first < 0 ? null : ([first, last] as const);
  };
  const cols = span(colBright, width, height);
  // A third of the paper's lead over the background, row by row, where one threshold saw none.
  const litRows = cols && rowsLitAboveBeside(img, cols, Math.max(8, (paperLevel - backgroundLevel) / 3));
  const rows = cols && widestSpan(span(rowBright, height, width), litRows);
  if (!rows || !cols) return { box: whole, paperLevel };
  const box = { left: cols[0], top: rows[0], width: cols[1] - cols[0] + 1, height: rows[1] - rows[0] + 1 };
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
