import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../src/errors/input-rejected-error.js';
import { intakeDocument } from '../../../src/intake/intake.js';
import { sniffType } from '../../../src/intake/sniff.js';

const limits = { maxFileBytes: 5 * 1024 * 1024, maxPixels: 40_000_000, maxPdfPages: 10 };

async function refusal(bytes: Uint8Array, custom = limits): Promise<InputRejectedError> {
  const error = await intakeDocument(bytes, custom).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputRejectedError);
  return error as InputRejectedError;
}

const smallPng = () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();

describe('intake', () => {
  it('judges the type by the bytes, not the name', async () => {
    expect(sniffType(await smallPng())).toBe('png');
    expect(
      sniffType(
        await sharp(await smallPng())
          .jpeg()
          .toBuffer(),
      ),
    ).toBe('jpeg');
    expect(sniffType(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffType(Buffer.from('GIF89a......'))).toBeNull();
  });

  it('accepts a PNG and identifies it by its sha256', async () => {
    const doc = await intakeDocument(await smallPng(), limits);
    expect(doc).toMatchObject({ type: 'png', mediaType: 'image/png', pageCount: 1, pixels: { width: 40, height: 30 } });
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an empty file', async () => {
    expect((await refusal(new Uint8Array())).code).toBe('UNREADABLE_DOCUMENT');
  });

  it('refuses a file over the size limit before reading it', async () => {
    const big = new Uint8Array(limits.maxFileBytes + 1);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const error = await refusal(big);
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toMatch(/limit is 5 MB/);
  });

  it('refuses a GIF or a text file whatever its name', async () => {
    expect((await refusal(Buffer.from('GIF89a\x01\x00\x01\x00'))).code).toBe('UNSUPPORTED_FILE');
    expect((await refusal(Buffer.from('just some text, named receipt.jpg'))).code).toBe('UNSUPPORTED_FILE');
  });

  it('refuses a decompression bomb by its declared pixel count', async () => {
    const bomb = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#fff' } })
      .png({ palette: true })
      .toBuffer();
    expect(bomb.byteLength).toBeLessThan(limits.maxFileBytes);
    const error = await refusal(bomb);
    expect(error.code).toBe('UNREADABLE_DOCUMENT');
    expect(error.message).toMatch(/megapixels/);
  });

  it('refuses an image whose header is broken', async () => {
    const png = await smallPng();
    expect((await refusal(png.subarray(0, 20))).code).toBe('UNREADABLE_DOCUMENT');
  });

  it('refuses a corrupt PDF and one with too many pages', async () => {
    expect((await refusal(Buffer.from('%PDF-1.7\nthis is not a pdf body'))).code).toBe('UNREADABLE_DOCUMENT');
    const pdf = await PDFDocument.create();
    for (let i = 0; i < 3; i++) pdf.addPage();
    const error = await refusal(await pdf.save(), { ...limits, maxPdfPages: 2 });
    expect(error.message).toMatch(/3 pages/);
  });

  it('refuses a password-protected PDF, saying so', async () => {
    // Made with: qpdf --encrypt user-secret owner-secret 256 -- samples/invoice-text.pdf …
    const error = await refusal(readFileSync(new URL('../../fixtures/encrypted.pdf', import.meta.url)));
    expect(error.code).toBe('UNREADABLE_DOCUMENT');
    expect(error.message).toMatch(/password-protected/);
  });

  it('reads the software that saved an image, for tamper signals', async () => {
    const edited = await sharp(await smallPng())
      .jpeg()
      .withExif({ IFD0: { Software: 'Adobe Photoshop 25.0' } })
      .toBuffer();
    const doc = await intakeDocument(edited, limits);
    expect(doc.metadata.software).toBe('Adobe Photoshop 25.0');
  });
});
