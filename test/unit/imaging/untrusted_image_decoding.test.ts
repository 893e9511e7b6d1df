import { readFileSync } from 'node:fs';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeUntrusted, untrustedImageSize, type UntrustedDecoding } from '../../../src/documents/untrusted-image.js';

const photo = readFileSync('samples/photo-receipt.jpg');
const ocrPage: UntrustedDecoding = { maxPixels: 60_000_000, autoOrient: true, failOn: 'truncated' };
const forensics: UntrustedDecoding = { ...ocrPage, failOn: 'warning' };

const outcome = (image: Sharp) =>
  image
    .raw()
    .toBuffer()
    .then(
      () => 'decoded',
      (error: Error) => error.message,
    );

/** The photo with a stray marker in its entropy-coded data: libjpeg warns of corrupt data and reads on. */
function withCorruptData(): Buffer {
  const bytes = Buffer.from(photo);
  const at = bytes.indexOf(Buffer.from([0xff, 0xda])) + 5000;
  bytes[at] = 0xff;
  bytes[at + 1] = 0xd3;
  return bytes;
}

/** An 80×30 image whose EXIF says to turn it a quarter clockwise (orientation 6). */
const sideways = () =>
  sharp({ create: { width: 80, height: 30, channels: 3, background: '#fff' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();

describe('decoding a customer image', () => {
  it('refuses an image over the configured pixel limit, whatever sharp itself would allow', async () => {
    const bytes = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect(await outcome(decodeUntrusted(bytes, { ...ocrPage, maxPixels: 100_000 }))).toMatch(/pixel limit/);
    expect(await outcome(decodeUntrusted(bytes, { ...ocrPage, maxPixels: 120_000 }))).toBe('decoded');
  });

  it('refuses a file cut short for every reader', async () => {
    const cut = photo.subarray(0, Math.floor(photo.length * 0.6));
    expect(await outcome(decodeUntrusted(cut, ocrPage))).toMatch(/premature end/);
    expect(await outcome(decodeUntrusted(cut, forensics))).toMatch(/premature end/);
  });

  it('reads through corrupt data for the OCR page; pixel forensics stops at the warning', async () => {
    const corrupt = withCorruptData();
    expect(await outcome(decodeUntrusted(corrupt, ocrPage))).toBe('decoded');
    expect(await outcome(decodeUntrusted(corrupt, forensics))).toMatch(/Corrupt JPEG data/);
  });

  it('turns the pixels by the EXIF orientation only when asked', async () => {
    const bytes = await sideways();
    const upright = await decodeUntrusted(bytes, ocrPage).raw().toBuffer({ resolveWithObject: true });
    const asStored = await decodeUntrusted(bytes, { ...ocrPage, autoOrient: false })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([upright.info.width, upright.info.height]).toEqual([30, 80]);
    expect([asStored.info.width, asStored.info.height]).toEqual([80, 30]);
    expect(await untrustedImageSize(bytes)).toEqual({ width: 30, height: 80 });
  });

  it('reads only the header for the size, so the door can refuse a bomb before it is decoded', async () => {
    const header = photo.subarray(0, photo.indexOf(Buffer.from([0xff, 0xda])) + 20);
    expect(await untrustedImageSize(header)).toEqual({ width: 1400, height: 2400 });
  });

  it('gives both readers the very pixels their own sharp calls decoded before', async () => {
    const gray = (image: Sharp) => image.toColourspace('b-w').raw().toBuffer();
    const ocrBefore = await gray(sharp(photo, { failOn: 'truncated', limitInputPixels: ocrPage.maxPixels }).autoOrient());
    const forensicsBefore = await gray(sharp(photo).autoOrient());
    expect((await gray(decodeUntrusted(photo, ocrPage))).equals(ocrBefore)).toBe(true);
    expect((await gray(decodeUntrusted(photo, forensics))).equals(forensicsBefore)).toBe(true);
  });
});
