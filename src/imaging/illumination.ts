import { percentile, type GrayImage } from './page-analysis.js';

/** Share of a cell's pixels darker than its paper level: print covers far less of any cell than this. */
const PAPER_PERCENTILE = 0.9;
/** Share of the flattened page's pixels at or below the ink level the contrast is stretched from. */
const INK_PERCENTILE = 0.005;
/**
 * Gray levels between a page's dimmer paper (a fifth of it is dimmer) and its brightest: scans,
 * faxes and screenshots measure 0, camera photos and forwarded photos 50 to 80.
 */
const MIN_UNEVENNESS = 24;

/** The paper's level in each cell of a grid of `cell`-pixel squares. */
function cellPaperLevels(img: GrayImage, cell: number): { levels: Float64Array; columns: number; rows: number } {
  const columns = Math.ceil(img.width / cell);
  const rows = Math.ceil(img.height / cell);
  const levels = new Float64Array(columns * rows);
  const hist = new Uint32Array(256);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      hist.fill(0);
      const x1 = Math.min(img.width, (column + 1) * cell);
      const y1 = Math.min(img.height, (row + 1) * cell);
      for (let y = row * cell; y < y1; y++) {
        for (let x = column * cell; x < x1; x++) hist[img.data[y * img.width + x]!]!++;
      }
      levels[row * columns + column] = percentile(hist, (x1 - column * cell) * (y1 - row * cell), PAPER_PERCENTILE);
    }
  }
  return { levels, columns, rows };
}

/**
 * Each cell's level replaced by the median of it and its neighbours: a dark logo or bar no wider
 * than a cell is not taken for shade, and the paper's edge against the table stays sharp (a
 * brightest-neighbour filter spread the paper's level a cell into the table, which came out as
 * dark bands the OCR read as rows of bars).
 */
function smoothLevels(levels: Float64Array, columns: number, rows: number): Float64Array {
  const out = new Float64Array(levels.length);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const values: number[] = [];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const [y, x] = [row + dy, column + dx];
          if (y >= 0 && y < rows && x >= 0 && x < columns) values.push(levels[y * columns + x]!);
        }
      }
      values.sort((a, b) => a - b);
      const middle = values.length / 2;
      // Along the image's edge the neighbourhood is even: the two middle values, averaged.
      out[row * columns + column] = Number.isInteger(middle) ? (values[middle - 1]! + values[middle]!) / 2 : values[Math.floor(middle)]!;
    }
  }
  return out;
}

/**
 * The page lit evenly: every pixel divided by the paper's level around it, then the contrast
 * stretched from the ink up. A phone photo is brighter near the lamp and darker in the hand's
 * shadow, and one threshold over such a page (the OCR engine's own) blacks out the dim part or
 * bleaches the bright one; divided by its local paper level, print is equally dark everywhere.
 * The table around the paper becomes paper-white too, so it is not read as rows of garbage.
 * `cell` should be a few text lines high, so no cell is all print. Null when the page is
 * lit evenly already (scans, faxes, screenshots): it is then left as it was.
 */
export function flattenIllumination(img: GrayImage, cell: number): Uint8Array | null {
  const { levels, columns, rows } = cellPaperLevels(img, cell);
  const paper = smoothLevels(levels, columns, rows);
  const sorted = [...paper].sort((a, b) => a - b);
  if (sorted[Math.floor(sorted.length * 0.95)]! - sorted[Math.floor(sorted.length * 0.2)]! < MIN_UNEVENNESS) return null;
  const flat = new Uint8Array(img.data.length);
  const hist = new Uint32Array(256);
  for (let y = 0; y < img.height; y++) {
    // Cell centres sit at (i + 0.5) * cell: interpolate between the two around each pixel.
    const fy = Math.min(rows - 1, Math.max(0, (y + 0.5) / cell - 0.5));
    const row0 = Math.floor(fy);
    const row1 = Math.min(rows - 1, row0 + 1);
    const wy = fy - row0;
    for (let x = 0; x < img.width; x++) {
      const fx = Math.min(columns - 1, Math.max(0, (x + 0.5) / cell - 0.5));
      const column0 = Math.floor(fx);
      const column1 = Math.min(columns - 1, column0 + 1);
      const wx = fx - column0;
      const top = paper[row0 * columns + column0]! * (1 - wx) + paper[row0 * columns + column1]! * wx;
      const bottom = paper[row1 * columns + column0]! * (1 - wx) + paper[row1 * columns + column1]! * wx;
      const level = Math.max(1, top * (1 - wy) + bottom * wy);
      const i = y * img.width + x;
      const value = Math.min(255, Math.round((img.data[i]! * 255) / level));
      flat[i] = value;
      hist[value]!++;
    }
  }
  const ink = Math.min(percentile(hist, flat.length, INK_PERCENTILE), 200);
  if (ink > 0) for (let i = 0; i < flat.length; i++) flat[i] = Math.max(0, Math.round(((flat[i]! - ink) * 255) / (255 - ink)));
  return flat;
}
