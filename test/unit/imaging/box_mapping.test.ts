import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Box } from '../../../src/domain/text-layer.js';
import { boxOnOriginal, pointOnNormalised, pointOnOriginal } from '../../../src/imaging/box-mapping.js';
import { applyGeometry, normalisationGeometry } from '../../../src/imaging/normalise.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../../samples');

/** The bounding box of the dark pixels of a one-channel raw image. */
function darkBox(data: Buffer, width: number): Box {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let i = 0; i < data.length; i++) {
    if (data[i]! > 100) continue;
    const x = i % width,
      y = Math.floor(i / width);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + 1);
    y1 = Math.max(y1, y + 1);
  }
  return [x0, y0, x1, y1];
}

describe('boxes on the normalised page mapped back to the original photo', () => {
  it('land where the mark is on a cropped, deskewed and scaled photo', async () => {
    const geometry = await normalisationGeometry(await readFile(path.join(SAMPLES, 'photo-receipt.jpg')), 60_000_000);
    expect(geometry.cropped).toBe(true);
    expect(geometry.skewDegrees).not.toBe(0);
    // A mark at a known place on a blank page of the photo's size, put through the very operations
    // normalisePage applies with this geometry: where it ends up is where OCR would see it. One mark
    // sits in the crop's top-right corner, the part a rotation clipped to the crop's size would lose.
    const { crop } = geometry;
    const marks: Box[] = [
      [700, 1200, 780, 1240],
      [crop.left + crop.width - 110, crop.top + 30, crop.left + crop.width - 30, crop.top + 70],
    ];
    for (const mark of marks) {
      const page = await sharp({ create: { width: geometry.width, height: geometry.height, channels: 3, background: '#fff' } })
        .composite([{ input: { create: { width: 80, height: 40, channels: 3, background: '#000' } }, left: mark[0], top: mark[1] }])
        .png()
        .toBuffer();
      const pageGeometry = { crop, skewDegrees: geometry.skewDegrees, paperLevel: 255, width: geometry.targetWidth };
      const normalised = await (
        await applyGeometry(sharp(page), pageGeometry)
      )
        .toColourspace('b-w')
        .raw()
        .toBuffer({ resolveWithObject: true });
      const seen = darkBox(normalised.data, normalised.info.width);

      const mapped = boxOnOriginal(seen, geometry, { width: normalised.info.width, height: normalised.info.height });

      // The mark's axis-aligned box grows by its own rotation (80 px wide at 3.5° is ~5 px): allow that.
      for (let i = 0; i < 4; i++) expect(Math.abs(mapped[i]! - mark[i]!)).toBeLessThanOrEqual(8);
    }
  });

  it('only rescales a page that was neither cropped nor skewed', () => {
    const geometry = {
      width: 1000,
      height: 2000,
      crop: { left: 0, top: 0, width: 1000, height: 2000 },
      cropped: false,
      skewDegrees: 0,
      targetWidth: 800,
      range: { dark: 0, bright: 255 },
      paperLevel: 255,
    };
    expect(boxOnOriginal([80, 160, 160, 200], geometry, { width: 800, height: 1600 })).toEqual([100, 200, 200, 250]);
  });

  it('maps a point found on the original onto the normalised page, the inverse of mapping it back', () => {
    const crop = { left: 120, top: 340, width: 1800, height: 2600 };
    const normalised = { width: 1200, height: 1760 };
    for (const skew of [-6.5, 0, 3.5]) {
      for (const [x, y] of [
        [0, 0],
        [600, 900],
        [1199, 1759],
      ] as const) {
        const [ox, oy] = pointOnOriginal(x, y, crop, skew, normalised);
        const [nx, ny] = pointOnNormalised(ox, oy, crop, skew, normalised);
        expect(nx).toBeCloseTo(x, 6);
        expect(ny).toBeCloseTo(y, 6);
      }
    }
  });
});
