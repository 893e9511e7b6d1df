import sharp from 'sharp';
import type { Box, Page } from '../../../src/domain/text-layer.js';

/**
 * A till slip rendered like a scan (DejaVu Sans Mono on grainy grey paper), with the word boxes of
 * its layout: the real pixels the forensics read, without OCR's run time in a unit test.
 */
export const SLIP = { width: 640, fontSize: 20, left: 30, lineHeight: 30, paper: 232 } as const;
const CHAR = SLIP.fontSize * 0.602;
const LINES = [
  'ELKJOP LAMBERTSETER 1150 OSLO',
  'ORG.NR. NO 981 216 458 MVA',
  'DATO: 02.03.2023 KL. 09:30',
  'KASSE 24 KVITT.NR. 6116 OP 410',
  '4179918 WW90T534DAW/S2 6590,00',
  'TOTALT NOK 6880,00',
  'TERMINAL 69035063 TRACE 773273',
  'SERIENR. 2D6A3AKW048526V',
];
export const DATE_LINE = 2;
export const DATE_WORD = 1;

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** Baseline y of a line; glyph boxes run from cap height to baseline. */
const baseline = (line: number) => 40 + line * SLIP.lineHeight;
const height = () => 40 + LINES.length * SLIP.lineHeight;

export function wordBox(line: number, word: number): Box {
  const words = LINES[line]!.split(' ');
  const start = words.slice(0, word).reduce((n, w) => n + w.length + 1, 0);
  const y = baseline(line);
  return [SLIP.left + start * CHAR, y - 0.73 * SLIP.fontSize, SLIP.left + (start + words[word]!.length) * CHAR, y];
}

export function slipPage(): Page {
  return {
    number: 1,
    width: SLIP.width,
    height: height(),
    lines: LINES.map((text, l) => ({
      text,
      confidence: 0.95,
      box: null,
      words: text.split(' ').map((w, i) => ({ text: w, confidence: 0.95, box: wordBox(l, i) })),
    })),
  };
}

/** Deterministic paper grain (±6 grey levels), so a flat patch stands out as it would on a scan. */
async function grain(): Promise<Buffer> {
  const data = Buffer.alloc(SLIP.width * height());
  let seed = 7;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    data[i] = SLIP.paper - 6 + (seed % 13);
  }
  return sharp(data, { raw: { width: SLIP.width, height: height(), channels: 1 } })
    .png()
    .toBuffer();
}

export async function renderSlip(): Promise<Buffer> {
  const text = LINES.map((t, l) => `<text x="${SLIP.left}" y="${baseline(l)}" xml:space="preserve">${xml(t)}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SLIP.width}" height="${height()}"><g font-family="DejaVu Sans Mono" font-size="${SLIP.fontSize}" fill="#222">${text}</g></svg>`;
  return sharp(await grain())
    .composite([{ input: Buffer.from(svg) }])
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** The date word covered by a flat white patch and retyped in another font, as a quick edit would. */
export async function patchDate(slip: Buffer, text = '02.03.2025'): Promise<Buffer> {
  const [x0, y0, x1, y1] = wordBox(DATE_LINE, DATE_WORD);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SLIP.width}" height="${height()}">
<rect x="${x0 - 4}" y="${y0 - 4}" width="${x1 - x0 + 8}" height="${y1 - y0 + 8}" fill="#fff"/>
<text x="${x0}" y="${y1}" font-family="DejaVu Sans" font-size="${SLIP.fontSize - 2}" fill="#222">${text}</text></svg>`;
  return sharp(slip)
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toBuffer();
}

/** The same slip as a phone would save it, edited afterwards and saved again at the same quality. */
export async function asJpeg(image: Buffer, quality = 80): Promise<Buffer> {
  return sharp(image).jpeg({ quality }).toBuffer();
}
