import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../../pipelines/claim-stages.js';
import { withPdfDocument } from '../../../src/documents/pdf-document.js';
import type { TesseractEngine } from '../../../src/ocr/tesseract-engine.js';
import { startTestOcr } from '../../support/ocr-engine.js';

const INVOICE = path.resolve(import.meta.dirname, '../../../samples/invoice-text.pdf');
const limits = { maxFileBytes: 5 * 1024 * 1024, maxPixels: 60_000_000, maxPdfPages: 10 };

describe("a text PDF's key values against its rendered page", () => {
  let ocr: TesseractEngine;
  let stopOcr: () => Promise<void>;
  beforeAll(async () => {
    ({ ocr, stop: stopOcr } = await startTestOcr());
  });
  afterAll(() => stopOcr());

  const signalsOf = (bytes: Uint8Array) => readDocument(bytes, { ocr, limits });
  const textLines = (bytes: Uint8Array) => withPdfDocument(bytes, limits.maxPixels, (pdf) => pdf.textLines([1]));

  it('finds the lines of the key fields where the text layer prints them', async () => {
    const [lines] = await textLines(await readFile(INVOICE));
    const { extraction } = await signalsOf(await readFile(INVOICE));
    const dateLine = lines!.find((l) => l.text.includes(extraction.purchaseDate.source!));
    expect(dateLine).toBeDefined();
    for (const v of dateLine!.box) expect(v).toBeGreaterThanOrEqual(0);
    expect(dateLine!.box[2]).toBeLessThanOrEqual(1);
    expect(dateLine!.box[3] - dateLine!.box[1]).toBeLessThan(0.05);
  });

  it('sees every key value of the unedited invoice on its page', async () => {
    const { signals } = await signalsOf(await readFile(INVOICE));
    expect(signals.renderChecks.map((c) => c.field)).toEqual(expect.arrayContaining(['purchaseDate', 'model']));
    expect(signals.renderChecks.every((c) => c.visible)).toBe(true);
  });

  it('reports the date a pdf-lib edit covered with a white box and wrote over', async () => {
    const original = await readFile(INVOICE);
    const { extraction } = await signalsOf(original);
    const source = extraction.purchaseDate.source!;
    const [lines] = await textLines(original);
    const line = lines!.find((l) => l.text.includes(source))!;
    const pdf = await PDFDocument.load(original, { updateMetadata: false });
    const page = pdf.getPage(0);
    const { width, height } = page.getSize();
    const [x0, y0, x1, y1] = [line.box[0] * width, line.box[1] * height, line.box[2] * width, line.box[3] * height];
    page.drawRectangle({ x: x0 - 1, y: height - y1 - 1, width: x1 - x0 + 2, height: y1 - y0 + 2, color: rgb(1, 1, 1) });
    const edited = line.text.replace(/20(\d\d)/, (_, yy: string) => `20${Number(yy) + 1}`);
    page.drawText(edited, {
      x: x0,
      y: height - y1 + 2,
      size: (y1 - y0) * 0.8,
      font: await pdf.embedFont(StandardFonts.Helvetica),
      color: rgb(0, 0, 0),
    });

    const { signals } = await signalsOf(await pdf.save());
    expect(signals.renderChecks.find((c) => c.field === 'purchaseDate')).toMatchObject({ textLayer: source, visible: false });
  });

  it('sees the model code of an unedited till slip set in Courier (drawn with its own font, not a serif stand-in)', async () => {
    const pdf = await PDFDocument.create();
    const page = pdf.addPage([226, 300]);
    const font = await pdf.embedFont(StandardFonts.Courier);
    const lines = ['MEDIAMARKT BERLIN', 'Datum: 12.03.2025', 'Samsung SSD 990 PRO', 'Modell: MZ-V9P2T0BW', 'Summe EUR 179,00'];
    lines.forEach((text, i) => page.drawText(text, { x: 10, y: 280 - 14 * i, size: 9, font }));

    const { extraction, signals } = await signalsOf(await pdf.save());
    expect(extraction.model.value).toBe('MZ-V9P2T0BW');
    expect(signals.renderChecks.find((c) => c.field === 'model')).toMatchObject({ visible: true });
    expect(signals.renderChecks.every((c) => c.visible)).toBe(true);
  });
});
