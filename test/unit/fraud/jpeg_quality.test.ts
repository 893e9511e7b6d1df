import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegQuality } from '../../../src/fraud/jpeg-quality.js';

describe('the quality a JPEG was saved at', () => {
  it.each([50, 75, 83, 95])('reads quality %i back from the quantisation table', async (quality) => {
    const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#808080' } })
      .jpeg({ quality })
      .toBuffer();
    expect(jpegQuality(jpeg)).toBe(quality);
  });

  it('says nothing for a file without tables', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect(jpegQuality(png)).toBeNull();
  });
});
