import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../../pipelines/claim-stages.js';
import type { TesseractEngine } from '../../../src/ocr/tesseract-engine.js';
import { startTestOcr } from '../../support/ocr-engine.js';

const LABELS = path.resolve(import.meta.dirname, '../../../samples/labels');
const limits = { maxFileBytes: 5 * 1024 * 1024, maxPixels: 60_000_000, maxPdfPages: 10 };
const truthOf = async (file: string) =>
  (await readFile(path.join(LABELS, 'labels.ndjson'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { file: string; serial: string; imei: string })
    .find((t) => t.file === file)!;

describe('reading a photo of a device label', () => {
  let ocr: TesseractEngine;
  let stopOcr: () => Promise<void>;
  beforeAll(async () => {
    ({ ocr, stop: stopOcr } = await startTestOcr());
  });
  afterAll(() => stopOcr());

  it('takes the serial and IMEI from its QR code, keeps the barcodes in the read output, and leaves them out of glyph forensics', async () => {
    const { serial, imei } = await truthOf('label-qr-turned-photo.jpg');
    const reading = await readDocument(await readFile(path.join(LABELS, 'label-qr-turned-photo.jpg')), { ocr, limits });
    expect(reading.text.barcodes).toEqual([expect.objectContaining({ format: 'QR code', page: 1 })]);
    expect(reading.extraction.serial).toMatchObject({
      value: serial,
      via: 'barcode',
      location: { page: 1, box: reading.text.barcodes![0]!.box },
    });
    expect(reading.extraction.serial.source).toMatch(/^QR code barcode: /);
    expect(reading.extraction.imei).toMatchObject({ value: imei, via: 'barcode' });
    expect(reading.signals.fields.filter((f) => f.field === 'serial' || f.field === 'imei')).toEqual([]);
  });

  it('falls back to the printed text where the codes are scraped off', async () => {
    const { serial } = await truthOf('label-damaged-photo.jpg');
    const reading = await readDocument(await readFile(path.join(LABELS, 'label-damaged-photo.jpg')), { ocr, limits });
    expect(reading.text.barcodes).toBeUndefined();
    expect(reading.extraction.serial.via).toBeUndefined();
    // The OCR's reading, whatever it makes of the small print, is never reported as a barcode's.
    if (reading.extraction.serial.value !== null) expect(reading.extraction.serial.value).toHaveLength(serial.length);
  });
});
