import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DECODER_WASM_PATH, readDecoderBinary } from '../../../src/barcodes/barcode-reader.js';
import { BarcodeDecoderUnavailableError } from '../../../src/errors/barcode-decoder-unavailable-error.js';
import { documentBarcodes } from '../../../src/barcodes/page-barcodes.js';
import type { Barcode } from '../../../src/domain/text-layer.js';
import { documentPages } from '../../../src/documents/document-pages.js';
import { boxOnOriginal } from '../../../src/imaging/box-mapping.js';
import { normalisationGeometry } from '../../../src/imaging/normalise.js';
import { normaliseDocument } from '../../../src/imaging/normalise-document.js';
import { intakeDocument } from '../../../src/intake/intake.js';

const LABELS = path.resolve(import.meta.dirname, '../../../samples/labels');
const limits = { maxFileBytes: 5 * 1024 * 1024, maxPixels: 60_000_000, maxPdfPages: 10 };

interface LabelTruth {
  file: string;
  serial: string;
  imei: string;
}
const truth = async (file: string): Promise<LabelTruth> =>
  (await readFile(path.join(LABELS, 'labels.ndjson'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LabelTruth)
    .find((t) => t.file === file)!;

async function barcodesOf(file: string): Promise<{ barcodes: Barcode[]; bytes: Buffer; page: { width: number; height: number } }> {
  const bytes = await readFile(path.join(LABELS, file));
  const doc = await intakeDocument(bytes, limits, () => Promise.reject(new Error('not a PDF')));
  const pages = await normaliseDocument(await documentPages(doc, bytes, null), limits);
  const page = pages[0]!;
  return { barcodes: await documentBarcodes(pages, limits.maxPixels), bytes, page: page.kind === 'image' ? page : { width: 0, height: 0 } };
}

describe('decoding the barcodes of device labels', () => {
  // Any attempt to fetch the decoder's binary from the CDN zxing-wasm defaults to fails the test.
  const fetched: string[] = [];
  beforeAll(() => {
    vi.stubGlobal('fetch', (url: unknown) => {
      fetched.push(String(url));
      return Promise.reject(new Error('no network in this test'));
    });
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it('loads the decoder from the binary installed in node_modules, never from the network', async () => {
    expect(DECODER_WASM_PATH).toMatch(/node_modules\/zxing-wasm\/.*zxing_reader\.wasm$/);
    expect((await stat(DECODER_WASM_PATH)).size).toBeGreaterThan(100_000);
    const { barcodes } = await barcodesOf('label-code128.png');
    expect(barcodes.length).toBeGreaterThan(0);
    expect(fetched).toEqual([]);
  });

  it('fails loudly, naming the file, when the binary is not installed', () => {
    const missing = path.join(path.dirname(DECODER_WASM_PATH), 'missing.wasm');
    expect(() => readDecoderBinary(missing)).toThrow(BarcodeDecoderUnavailableError);
    expect(() => readDecoderBinary(missing)).toThrow(/missing\.wasm cannot be read.*reinstall zxing-wasm/);
  });

  it('reads the serial and IMEI Code 128s of a flat label, boxed where the reviewer sees them on the upload', async () => {
    const { serial, imei } = await truth('label-code128.png');
    const { barcodes, bytes, page } = await barcodesOf('label-code128.png');
    expect(barcodes.map((b) => [b.format, b.text]).sort()).toEqual(
      [
        ['Code 128', imei],
        ['Code 128', serial],
      ].sort(),
    );
    // The box is in the OCR page's coordinates: mapped back like a word's, it lands where the
    // generator drew the serial's code on the label (left 70, top 350).
    const onUpload = boxOnOriginal(
      barcodes.find((b) => b.text === serial)!.box,
      await normalisationGeometry(bytes, limits.maxPixels),
      page,
    );
    expect(onUpload[0]).toBeGreaterThan(60);
    expect(onUpload[0]).toBeLessThan(150);
    expect(onUpload[1]).toBeGreaterThan(340);
    expect(onUpload[1]).toBeLessThan(380);
  });

  it('reads a GS1 DataMatrix on a photographed label, with the serial in its (21) element', async () => {
    const { serial } = await truth('label-datamatrix-photo.jpg');
    const { barcodes, page } = await barcodesOf('label-datamatrix-photo.jpg');
    // (The IMEI's Code 128 under the phone's shadow, 1.8 px a bar after the messenger's scaling, is lost.)
    expect(barcodes.find((b) => b.format === 'DataMatrix')?.text).toMatch(new RegExp(`^\\(01\\)\\d{14}\\(21\\)${serial}$`));
    for (const { box } of barcodes) {
      expect(box[0]).toBeGreaterThanOrEqual(0);
      expect(box[2]).toBeLessThanOrEqual(page.width);
      expect(box[3]).toBeLessThanOrEqual(page.height);
    }
  });

  it('reads the QR code of a label photographed on its side', async () => {
    const { serial, imei } = await truth('label-qr-turned-photo.jpg');
    const { barcodes } = await barcodesOf('label-qr-turned-photo.jpg');
    expect(barcodes).toHaveLength(1);
    expect(barcodes[0]!.format).toBe('QR code');
    expect(barcodes[0]!.text).toContain(`SN:${serial}`);
    expect(barcodes[0]!.text).toContain(imei);
  });

  it('gives nothing for codes scraped past their error correction: no partial value, no guess', async () => {
    const { barcodes } = await barcodesOf('label-damaged-photo.jpg');
    expect(barcodes).toEqual([]);
  });
});
