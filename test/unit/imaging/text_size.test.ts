import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { measureTextSize, pageTextSize } from '../../../src/imaging/text-size.js';

/** DejaVu Sans's x-height and capital height as shares of its font size (1120 and 1493 of 2048 units). */
const X_HEIGHT_SHARE = 1120 / 2048;
const CAP_HEIGHT_SHARE = 1493 / 2048;

const MIXED_CASE = ['Kaufdatum und Filiale', 'Summe inklusive Steuer', 'Seriennummer des Geraets', 'Vielen Dank fuer Ihren Einkauf'];

/** A page of receipt-like lines in DejaVu Sans at `fontSize` px, as a gray image. */
async function page(fontSize: number, lines: string[], options: { blurSigma?: number } = {}) {
  const gap = fontSize * 1.8;
  const rows = Array.from({ length: 12 }, (_, i) => lines[i % lines.length]!);
  const width = Math.round(fontSize * 18);
  const height = Math.round(gap * (rows.length + 1));
  const text = rows
    .map((t, i) => `<text x="${fontSize}" y="${Math.round(gap * (i + 1))}" font-family="DejaVu Sans" font-size="${fontSize}">${t}</text>`)
    .join('');
  let image = sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f4f4f4"/>${text}</svg>`,
    ),
  ).toColourspace('b-w');
  if (options.blurSigma) image = image.blur(options.blurSigma);
  const raw = await image.raw().toBuffer({ resolveWithObject: true });
  return { data: raw.data, width: raw.info.width, height: raw.info.height };
}

describe('measuring the text size of a page', () => {
  it.each([10, 16, 24, 40])('measures the x-height of %s px mixed-case print within a pixel or 12%', async (fontSize) => {
    const size = measureTextSize(await page(fontSize, MIXED_CASE))!;
    const expected = fontSize * X_HEIGHT_SHARE;
    expect(Math.abs(size.xHeight - expected)).toBeLessThanOrEqual(Math.max(1, expected * 0.12));
    // Ascenders (this text has few descenders) make the whole line taller than its core.
    expect(size.lineHeight).toBeGreaterThan(size.xHeight);
  });

  it('takes the capital height as the core of all-capital lines, the size OCR sees there', async () => {
    const size = measureTextSize(await page(20, ['SUMME EUR 899,00', 'S/N R5CZ2S8B5ZQ', 'MEDIAMARKT BERLIN']))!;
    expect(Math.abs(size.xHeight - 20 * CAP_HEIGHT_SHARE)).toBeLessThanOrEqual(1.5);
  });

  it('grows in proportion when the same page is twice as large', async () => {
    const small = measureTextSize(await page(12, MIXED_CASE))!;
    const large = measureTextSize(await page(24, MIXED_CASE))!;
    expect(large.xHeight / small.xHeight).toBeGreaterThan(1.7);
    expect(large.xHeight / small.xHeight).toBeLessThan(2.3);
  });

  it('still measures soft print from a blurred photo', async () => {
    const size = measureTextSize(await page(24, MIXED_CASE, { blurSigma: 1.2 }))!;
    expect(Math.abs(size.xHeight - 24 * X_HEIGHT_SHARE)).toBeLessThanOrEqual(24 * X_HEIGHT_SHARE * 0.2);
  });

  it('says nothing about a page without lines of print', async () => {
    const blank = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#f4f4f4' } })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(measureTextSize({ data: blank.data, width: blank.info.width, height: blank.info.height })).toBeNull();
  });

  it('gives the size in the pixels of the customer’s picture, before the page was enlarged for OCR', async () => {
    const { data, width, height } = await page(24, MIXED_CASE);
    const png = await sharp(data, { raw: { width, height, channels: 1 } })
      .png()
      .toBuffer();
    const onPage = measureTextSize({ data, width, height })!;
    const inPicture = (await pageTextSize({ png, steps: { scale: 2.5 } }))!;
    expect(inPicture.xHeight).toBeCloseTo(onPage.xHeight / 2.5, 1);
    expect(inPicture.lineHeight).toBeCloseTo(onPage.lineHeight / 2.5, 1);
  });
});
