import type { Flag } from '../../domain/flags.js';
import type { Heatmap } from '../../domain/fraud.js';
import type { Highlight } from '../../domain/review.js';
import { unionBox, type TextLayer } from '../../domain/text-layer.js';

/**
 * Heat-map cells at least this many times the page's typical level are hot: print and paper
 * texture stay below it; a pasted or retyped patch rises above.
 */
const HOT_CELL_LEVEL = 4;

/** A reviewer is shown this many regions at most: a few places to look at, not a texture. */
export const MAX_HEAT_REGIONS = 5;

/** A group of touching hot cells, on the normalised page: its box, its hottest cell and its size. */
export interface HeatRegionOnPage {
  box: Highlight['box'];
  level: number;
  cells: number;
}

/**
 * The heat map means something only where the machine already suspects an edit: on a clean receipt
 * its hottest cells are print and paper texture, and showing them would send a reviewer hunting.
 */
export function offersHeatMap(flags: ReadonlyArray<Pick<Flag, 'code'>>): boolean {
  return flags.some((f) => f.code === 'POSSIBLE_TAMPERING');
}

/**
 * The cells of a heat map at or above `minLevel` that lie wholly inside `printArea`, in the
 * normalised page's pixels. Outside the print the paper's edge and the table around it always
 * stand out, and tell a reviewer nothing.
 */
export function hotCells(
  heatmap: Heatmap,
  printArea: Highlight['box'],
  minLevel = HOT_CELL_LEVEL,
): Array<{ box: Highlight['box']; level: number }> {
  const size = heatmap.cellSize;
  const [x0, y0, x1, y1] = printArea;
  return heatmap.rows.flatMap((row, r) =>
    [...row].flatMap((digit, c) => {
      const level = Number(digit);
      const box: Highlight['box'] = [c * size, r * size, (c + 1) * size, (r + 1) * size];
      const inside = box[0] >= x0 && box[1] >= y0 && box[2] <= x1 && box[3] <= y1;
      return level >= minLevel && inside ? [{ box, level }] : [];
    }),
  );
}

/**
 * Hot cells inside the print merged into regions (cells touching at a side or corner are one
 * region), the strongest first: by hottest cell, then by how many cells are hot. A page with more
 * than `max` regions has none: where much stands out, nothing does (texture, not an edit).
 */
export function heatRegions(
  heatmap: Heatmap,
  printArea: Highlight['box'],
  max = MAX_HEAT_REGIONS,
  minLevel = HOT_CELL_LEVEL,
): HeatRegionOnPage[] {
  const size = heatmap.cellSize;
  const hot = new Map(hotCells(heatmap, printArea, minLevel).map((c) => [`${c.box[0] / size},${c.box[1] / size}`, c]));
  const seen = new Set<string>();
  const regions: HeatRegionOnPage[] = [];
  for (const start of hot.keys()) {
    if (seen.has(start)) continue;
    seen.add(start);
    const members = [start];
    for (let k = 0; k < members.length; k++) {
      const [c, r] = members[k]!.split(',').map(Number) as [number, number];
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) {
          const key = `${c + dc},${r + dr}`;
          if (hot.has(key) && !seen.has(key)) {
            seen.add(key);
            members.push(key);
          }
        }
    }
    const cells = members.map((key) => hot.get(key)!);
    regions.push({
      box: unionBox(cells.map((cell) => cell.box))!,
      level: Math.max(...cells.map((cell) => cell.level)),
      cells: cells.length,
    });
  }
  return regions.length > max ? [] : regions.sort((a, b) => b.level - a.level || b.cells - a.cells);
}

/**
 * OCR lines read at least this surely are print; below it they are often the paper's edge or the
 * table read as text, and would stretch the print area over them.
 */
const PRINT_LINE_CONFIDENCE = 0.6;

/** Where the page's surely read OCR lines lie, together. */
export function printAreaOf(text: TextLayer | null, page: number): Highlight['box'] | null {
  const lines = text?.pages.find((p) => p.number === page)?.lines ?? [];
  return unionBox(lines.flatMap((l) => (l.box && l.confidence >= PRINT_LINE_CONFIDENCE ? [l.box] : [])));
}
