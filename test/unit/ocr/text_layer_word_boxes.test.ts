import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PDF_RENDER_WIDTH, withPdfDocument } from '../../../src/documents/pdf-document.js';
import { TextLayer, textLayerFromText, type Box } from '../../../src/domain/text-layer.js';
import { FIELD_NAMES } from '../../../src/domain/extraction.js';
import { extract } from '../../../src/extract/extract.js';
import { textLayerPage } from '../../../src/ocr/text-layer-page.js';

const MAX_PIXELS = 60_000_000;

/** The sample invoice's text layer read with its words placed, and its first page drawn as a reviewer sees it. */
async function placedInvoice() {
  return withPdfDocument(readFileSync('samples/invoice-text.pdf'), MAX_PIXELS, async (pdf) => {
    const [text] = await pdf.pageTexts();
    const layer: TextLayer = { source: 'pdf-text', pages: [textLayerPage(1, text!, await pdf.placedText(1))], confidence: 1 };
    const drawn = await sharp(await pdf.renderPage(1))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { text: text!, layer, drawn };
  });
}

/** Dark pixels of the drawn page inside a box (rounded outward). */
function ink(drawn: { data: Buffer; info: { width: number } }, [x0, y0, x1, y1]: Box): number {
  let count = 0;
  for (let y = Math.floor(y0); y < Math.ceil(y1); y++)
    for (let x = Math.floor(x0); x < Math.ceil(x1); x++) if (drawn.data[y * drawn.info.width + x]! < 128) count++;
  return count;
}

describe('a PDF text layer read with its words placed on the drawn page', () => {
  it('reads the same fields as the bare text, now each with where it is printed', async () => {
    const { text, layer } = await placedInvoice();
    expect(TextLayer.parse(layer)).toEqual(layer);
    const placed = extract(layer);
    const bare = extract(textLayerFromText([text]));
    for (const name of FIELD_NAMES) {
      const { location, ...rest } = placed[name];
      expect({ ...rest, location: bare[name].location }).toEqual(bare[name]);
      if (bare[name].value !== null) expect(location?.page).toBe(1);
    }
    expect(layer.pages[0]).toMatchObject({ source: 'pdf-text', width: PDF_RENDER_WIDTH });
  });

  it('boxes the serial tightly: its glyphs are inside, the gap before and after it is blank', async () => {
    const { layer, drawn } = await placedInvoice();
    const serial = extract(layer).serial;
    expect(serial.value).toBe('0TQ43HCT900517W');
    const [x0, y0, x1, y1] = serial.location!.box;
    // The glyphs reach within a few pixels of each side...
    expect(ink(drawn, [x0, y0, x0 + 4, y1])).toBeGreaterThan(0);
    expect(ink(drawn, [x1 - 4, y0, x1, y1])).toBeGreaterThan(0);
    // ...and, past the few pixels a drawn glyph may overhang its advance, neither the label before
    // it nor anything after it is inside a strip just outside.
    expect(ink(drawn, [x0 - 6, y0, x0 - 3, y1])).toBe(0);
    expect(ink(drawn, [x1 + 3, y0, x1 + 6, y1])).toBe(0);
    // Nothing of the glyphs lies more than a pixel above or below it.
    expect(ink(drawn, [x0, y0 - 4, x1, y0 - 1])).toBe(0);
    expect(ink(drawn, [x0, y1 + 1, x1, y1 + 4])).toBe(0);
  });

  it('gives no box where pdf.js could not measure a glyph, so the stored layer still parses', () => {
    const glyph = (char: string, x: number): { char: string; box: Box } => ({ char, box: [x, 10, x + 8, 22] });
    const placed = {
      width: 100,
      height: 50,
      glyphs: [glyph('A', 0), glyph('B', 10), { char: 'C', box: [Number.NaN, 10, Number.NaN, 22] as Box }, glyph('D', 40)],
    };
    const page = textLayerPage(1, 'AB C D', placed);
    const words = page.lines[0]!.words;
    expect(words.map((w) => w.box)).toEqual([[0, 10, 18, 22], null, [40, 10, 48, 22]]);
    const layer: TextLayer = { source: 'pdf-text', pages: [page], confidence: 1 };
    expect(TextLayer.parse(JSON.parse(JSON.stringify(layer)))).toEqual(layer);
  });
});
