import { describe, expect, it } from 'vitest';
import { flattenIllumination } from '../../../src/imaging/illumination.js';
import type { GrayImage } from '../../../src/imaging/page-analysis.js';

const WIDTH = 400;
const HEIGHT = 420;

/**
 * Paper lit from the left (level 230 falling to 90 at the right edge), with print 40% as bright
 * as the paper under it in 20-px lines, and a dark table three cells deep along the bottom.
 */
function unevenlyLitPage(): { img: GrayImage; isInk: (x: number, y: number) => boolean; isTable: (y: number) => boolean } {
  const isInk = (x: number, y: number) => y % 40 >= 12 && y % 40 < 20 && x % 12 < 7 && y < 240;
  const isTable = (y: number) => y >= 300;
  const data = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const paper = 230 - (140 * x) / WIDTH;
      data[y * WIDTH + x] = isTable(y) ? 45 : Math.round(isInk(x, y) ? paper * 0.4 : paper);
    }
  }
  return { img: { data, width: WIDTH, height: HEIGHT }, isInk, isTable };
}

describe('illumination flattening', () => {
  it('makes print equally dark and paper equally light across a page lit from one side', () => {
    const { img, isInk } = unevenlyLitPage();
    // Before: the paper in the shade (90) is darker than the print near the lamp (92).
    const flat = flattenIllumination(img, 40)!;
    let brightestInk = 0;
    let darkestPaper = 255;
    // Away from the image's edges by a cell, where the paper's level is interpolated, not extrapolated.
    for (let y = 40; y < 240; y++) {
      for (let x = 40; x < WIDTH - 40; x++) {
        const value = flat[y * WIDTH + x]!;
        if (isInk(x, y)) brightestInk = Math.max(brightestInk, value);
        else darkestPaper = Math.min(darkestPaper, value);
      }
    }
    expect(brightestInk).toBeLessThan(110);
    expect(darkestPaper).toBeGreaterThan(200);
  });

  it('turns the dark table around the paper into paper-white, not rows of dark bars', () => {
    const { img, isTable } = unevenlyLitPage();
    const flat = flattenIllumination(img, 40)!;
    // Away from the paper's edge (two cells), the table reads as blank paper.
    const row = 410;
    expect(isTable(row)).toBe(true);
    const tableRow = Array.from({ length: WIDTH }, (_, x) => flat[row * WIDTH + x]!);
    expect(Math.min(...tableRow)).toBeGreaterThan(200);
  });

  it('leaves an evenly lit scan alone', () => {
    const data = new Uint8Array(WIDTH * HEIGHT).fill(240);
    for (let y = 100; y < 110; y++) for (let x = 50; x < 350; x += 2) data[y * WIDTH + x] = 20;
    expect(flattenIllumination({ data, width: WIDTH, height: HEIGHT }, 40)).toBeNull();
  });
});
