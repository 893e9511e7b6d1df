import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../src/errors/input-rejected-error.js';
import { assertIntactImage } from '../../../src/intake/image-structure.js';
import { intakeDocument } from '../../../src/intake/intake.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../../samples');
const limits = { maxFileBytes: 5 * 1024 * 1024, maxPixels: 40_000_000, maxPdfPages: 10 };

/** A noisy page, so the compressed data is long and a cut lands inside it. */
const noisy = () => {
  const pixels = Buffer.alloc(300 * 200 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 251;
  return sharp(pixels, { raw: { width: 300, height: 200, channels: 3 } });
};

async function check(bytes: Buffer): Promise<InputRejectedError | null> {
  const doc = await intakeDocument(bytes, limits);
  try {
    assertIntactImage(doc, bytes);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(InputRejectedError);
    return error as InputRejectedError;
  }
}

describe('image structure at the door', () => {
  it('passes whole images: baseline and progressive JPEG, PNG, the shipped photo and scan', async () => {
    expect(await check(await noisy().jpeg().toBuffer())).toBeNull();
    expect(await check(await noisy().jpeg({ progressive: true }).toBuffer())).toBeNull();
    expect(await check(await noisy().png().toBuffer())).toBeNull();
    expect(await check(await readFile(path.join(SAMPLES, 'photo-receipt.jpg')))).toBeNull();
    expect(await check(await readFile(path.join(SAMPLES, 'scan-receipt.png')))).toBeNull();
  });

  it('refuses a JPEG cut off inside its image data', async () => {
    const jpeg = await noisy().jpeg().toBuffer();
    const error = await check(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
    expect(error?.code).toBe('UNREADABLE_DOCUMENT');
    expect(error?.evidence).toMatchObject({ detail: 'the JPEG ends inside its image data' });
    expect((await check(await readFile(path.join(SAMPLES, 'corrupt.jpg'))))?.code).toBe('UNREADABLE_DOCUMENT');
  });

  it('refuses a PNG cut short or with a changed byte', async () => {
    const png = await noisy().png().toBuffer();
    expect((await check(png.subarray(0, png.length - 20)))?.evidence).toMatchObject({ detail: 'the PNG ends before its IEND chunk' });
    const flipped = Buffer.from(png);
    flipped[Math.floor(png.length / 2)]! ^= 0x10;
    expect((await check(flipped))?.evidence).toMatchObject({ detail: expect.stringMatching(/^PNG chunk IDAT at byte \d+ fails its CRC$/) });
  });
});
