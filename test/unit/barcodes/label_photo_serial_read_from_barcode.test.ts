import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../../pipelines/claim-stages.js';
import { PDF_RENDER_WIDTH } from '../../../src/documents/pdf-document.js';
import { labelPng, planLabel } from '../../../tools/corpus/label.js';
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

  it('decodes a barcode printed on a text PDF page, boxed on the page as drawn, without failing the render check', async () => {
    const plan = planLabel(18_010, { symbology: 'code128' });
    const pdf = await PDFDocument.create();
    const page = pdf.addPage([595, 842]);
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    page.drawText('Lieferschein 4711 - Samsung Galaxy', { x: 50, y: 780, size: 14, font });
    page.drawText(`Modell: ${plan.model}`, { x: 50, y: 750, size: 11, font });
    // The device label, pasted into the delivery note as an image: 354 pt wide, its top at 700 pt.
    page.drawImage(await pdf.embedPng(await labelPng(18_010, plan)), { x: 50, y: 532, width: 354, height: 168 });
    const reading = await readDocument(await pdf.save(), { ocr, limits });
    expect(reading.text.source).toBe('pdf-text');
    expect(reading.extraction.serial).toMatchObject({ value: plan.serial, via: 'barcode' });
    expect(reading.extraction.imei).toMatchObject({ value: plan.imei, via: 'barcode' });
    // Drawn 1500 px wide, the label's serial code (left 70 of 1180 label pixels) starts near x = (50 + 21) × 1500 / 595.
    const [x0, y0] = reading.extraction.serial.location!.box;
    const scale = PDF_RENDER_WIDTH / 595;
    expect(Math.abs(x0 - 71 * scale)).toBeLessThan(25);
    expect(Math.abs(y0 - (842 - 700 + 105) * scale)).toBeLessThan(25);
    expect(reading.signals.renderChecks.filter((c) => !c.visible)).toEqual([]);
  });
});
