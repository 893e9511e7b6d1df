import { describe, expect, it } from 'vitest';
import { heatRegions, offersHeatMap, printAreaOf } from '../../../../src/services/review/heat-regions.js';

describe("the heat map's regions shown to a reviewer", () => {
  const page = (rows: string[]) => ({ page: 1, cellSize: 10, columns: rows[0]!.length, rows });
  const wholePage: [number, number, number, number] = [0, 0, 1000, 1000];

  it('merge touching hot cells, at a side or a corner, into one outlined box with its hottest cell and size', () => {
    const heatmap = page(['000000', '045000', '006000', '000000']);
    expect(heatRegions(heatmap, wholePage)).toEqual([{ box: [10, 10, 30, 30], level: 6, cells: 3 }]);
  });

  it('rank separate regions by their hottest cell, then by size', () => {
    const heatmap = page(['4000500', '4000000', '0090004', '0000000', '5500000']);
    expect(heatRegions(heatmap, wholePage)).toEqual([
      { box: [20, 20, 30, 30], level: 9, cells: 1 },
      { box: [0, 40, 20, 50], level: 5, cells: 2 },
      { box: [40, 0, 50, 10], level: 5, cells: 1 },
      { box: [0, 0, 10, 20], level: 4, cells: 2 },
      { box: [60, 20, 70, 30], level: 4, cells: 1 },
    ]);
  });

  it("are none where more than a few stand out: that is the page's texture, not an edit", () => {
    const heatmap = page(['4000500', '4000000', '0090004', '0000000', '5500000']);
    expect(heatRegions(heatmap, wholePage, 5)).toHaveLength(5);
    expect(heatRegions(heatmap, wholePage, 4)).toEqual([]);
  });

  it('leave out cells beyond the print, even when they touch a region inside it', () => {
    const heatmap = page(['9900', '0990', '0000']);
    expect(heatRegions(heatmap, [10, 0, 40, 30])).toEqual([{ box: [10, 0, 30, 20], level: 9, cells: 3 }]);
  });

  it('are none on a page where nothing stands out', () => {
    expect(heatRegions(page(['0123', '3210']), wholePage)).toEqual([]);
  });

  it('are offered only on a claim where a tampering signal was raised', () => {
    expect(offersHeatMap([{ code: 'SERIAL_MISMATCH' }, { code: 'DUPLICATE_RECEIPT' }])).toBe(false);
    expect(offersHeatMap([{ code: 'SERIAL_MISMATCH' }, { code: 'POSSIBLE_TAMPERING' }])).toBe(true);
  });

  it("are looked for where the page's surely read lines lie: a line read off the paper's edge does not widen it", () => {
    const line = (box: [number, number, number, number], confidence: number) => ({ text: 'x', confidence, box, words: [] });
    const text = {
      source: 'ocr' as const,
      confidence: 0.9,
      pages: [
        {
          number: 1,
          width: 500,
          height: 800,
          lines: [line([2, 0, 480, 20], 0.3), line([40, 100, 400, 120], 0.9), line([60, 700, 300, 720], 0.8)],
        },
      ],
    };
    expect(printAreaOf(text, 1)).toEqual([40, 100, 400, 720]);
  });
});
