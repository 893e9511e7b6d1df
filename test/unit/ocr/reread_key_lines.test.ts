import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textLayerFromText } from '../../../src/domain/text-layer.js';
import { extract } from '../../../src/extract/extract.js';
import type { PreparedPage } from '../../../src/imaging/normalise-document.js';
import { readText } from '../../../src/ocr/read-text.js';
import { rereadKeyLines, rereadScales } from '../../../src/ocr/reread-key-lines.js';
import type { TesseractEngine } from '../../../src/ocr/tesseract-engine.js';
import { startTestOcr } from '../../support/ocr-engine.js';

const SERIAL = 'R5CZ2S8B5ZQ';
const WIDTH = 900;

/** A till slip whose serial is set in print half the size of the rest, as on many real slips. */
async function slipWithSmallSerial(): Promise<PreparedPage> {
  const lines: Array<[string, number]> = [
    ['MediaMarkt Berlin-Mitte', 30],
    ['Datum: 12.03.2024', 26],
    [`S/N: ${SERIAL}`, 14],
    ['Summe EUR 899,00', 26],
  ];
  let y = 20;
  const text = lines.map(([t, size]) => {
    y += size * 1.9;
    return `<text x="40" y="${y}" font-family="DejaVu Sans" font-size="${size}">${t}</text>`;
  });
  const height = Math.round(y + 40);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}"><rect width="100%" height="100%" fill="white"/>${text.join('')}</svg>`;
  const png = await sharp(Buffer.from(svg)).grayscale().png().toBuffer();
  return {
    number: 1,
    kind: 'image',
    source: { kind: 'image', number: 1, image: async () => png, upload: { type: 'png', bytes: png } },
    png,
    width: WIDTH,
    height,
    steps: { cropped: false, skewDegrees: 0, scale: 1 },
    geometry: { crop: null, skewDegrees: 0, paperLevel: 255, width: WIDTH },
  };
}

describe('the scales a line is re-read at', () => {
  it('enlarges small print to the core heights the engine reads best, 20 px then 28 px', () => {
    expect(rereadScales(8)).toEqual([2.5, 3.5]);
    expect(rereadScales(10)).toEqual([2, 2.8]);
  });

  it('caps the enlargement at four times: tiny print gains no detail past that', () => {
    expect(rereadScales(4)).toEqual([4]);
    expect(rereadScales(6)).toEqual([3.33, 4]);
  });

  it('reads print already comfortable at twice its size first, as before print was measured, then at 1.5×', () => {
    expect(rereadScales(16)).toEqual([2, 1.5]);
    expect(rereadScales(40)).toEqual([2, 1.5]);
  });

  it('falls back to twice the size where the print could not be measured', () => {
    expect(rereadScales(null)).toEqual([2]);
  });
});

describe('re-reading the lines of uncertain key fields', () => {
  let ocr: TesseractEngine;
  let stopOcr: () => Promise<void>;
  beforeAll(async () => {
    ({ ocr, stop: stopOcr } = await startTestOcr());
  });
  afterAll(() => stopOcr());

  it('reads small-print serials right and keeps their words where they are on the page', async () => {
    const page = await slipWithSmallSerial();
    const first = await readText([page], ocr);
    // At this size the page-wide reading takes the S for a 5; the line read alone gets it right.
    expect(extract(first).serial.value).not.toBe(SERIAL);
    const refined = await rereadKeyLines([page], first, ocr);
    expect(extract(refined).serial.value).toBe(SERIAL);
    // Boxes of re-read words are mapped back from the enlarged crop to page pixels.
    const line = refined.pages[0]!.lines.find((l) => l.text.includes(SERIAL.slice(0, 5)))!;
    const [x0, y0, x1, y1] = line.box!;
    expect(x0).toBeGreaterThanOrEqual(30);
    expect(x1).toBeLessThan(WIDTH / 2);
    expect(y1 - y0).toBeLessThan(30);
  });

  it('leaves a PDF text layer alone: it is exact', async () => {
    const layer = textLayerFromText(['MediaMarkt\nS/N: R5CX12ABCD']);
    const source = {
      kind: 'text' as const,
      number: 1,
      text: '',
      image: () => Promise.reject(new Error('not drawn')),
      lines: async () => [],
      placedText: () => Promise.reject(new Error('not placed')),
    };
    expect(await rereadKeyLines([{ number: 1, kind: 'text', text: '', source }], layer, ocr)).toBe(layer);
  });
});
