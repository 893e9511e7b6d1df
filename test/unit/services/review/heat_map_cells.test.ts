import { describe, expect, it } from 'vitest';
import { hotCells } from '../../../../src/services/review/heat-regions.js';

describe("the heat map's cells shown to a reviewer", () => {
  const heatmap = { page: 1, cellSize: 24, columns: 4, rows: ['0130', '0094', '1000'] };

  const wholePage: [number, number, number, number] = [0, 0, 96, 72];

  it('are the cells at or above the level, in page pixels', () => {
    expect(hotCells(heatmap, wholePage)).toEqual([
      { box: [48, 24, 72, 48], level: 9 },
      { box: [72, 24, 96, 48], level: 4 },
    ]);
  });

  it('follow the level asked for', () => {
    expect(hotCells(heatmap, wholePage, 9)).toEqual([{ box: [48, 24, 72, 48], level: 9 }]);
    expect(hotCells(heatmap, wholePage, 1).map((c) => c.level)).toEqual([1, 3, 9, 4, 1]);
  });

  it('leave out what lies outside the print: paper edges and the table always stand out', () => {
    expect(hotCells(heatmap, [24, 0, 90, 72], 1).map((c) => c.box[0])).toEqual([24, 48, 48]);
  });
});
