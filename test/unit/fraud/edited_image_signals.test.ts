import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Box, Page } from '../../../src/domain/text-layer.js';
import { glyphForensics, imageForensics } from '../../../src/fraud/image-forensics.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { asJpeg, DATE_LINE, DATE_WORD, patchDate, renderSlip, SLIP, slipPage, wordBox } from './slip-fixture.js';

const fraud = loadPolicy('2026.2').fraud!;
const page = slipPage();
const geometry = { crop: null, skewDegrees: 0, paperLevel: SLIP.paper, width: page.width };
const maxPixels = 60_000_000;
const dateBox = wordBox(DATE_LINE, DATE_WORD);
const fields = [
  { field: 'purchaseDate' as const, box: dateBox },
  { field: 'serial' as const, box: wordBox(7, 1) },
];
const toPng = (image: Buffer) => sharp(image).png().toBuffer();

describe('pixels around a key field', () => {
  it('a date on a flat white patch stands out from the grainy paper around it; the untouched slip does not', async () => {
    const clean = await renderSlip();
    const [before] = (await imageForensics({ original: clean, type: 'png', maxPixels, page, geometry, fields })).fields;
    const [after, serial] = (await imageForensics({ original: await patchDate(clean), type: 'png', maxPixels, page, geometry, fields }))
      .fields;
    expect(before!.background).toBeLessThan(fraud.background.threshold);
    expect(after!.background).toBeGreaterThanOrEqual(fraud.background.threshold);
    expect(serial!.background).toBeLessThan(fraud.background.threshold);
  });

  it('a date pasted into a saved JPEG and saved again has a higher error level than the other words', async () => {
    const saved = await asJpeg(await renderSlip());
    const [before] = (await imageForensics({ original: saved, type: 'jpeg', maxPixels, page, geometry, fields })).fields;
    const edited = await asJpeg(await patchDate(await toPng(saved)));
    const [after, serial] = (await imageForensics({ original: edited, type: 'jpeg', maxPixels, page, geometry, fields })).fields;
    expect(before!.errorLevel).toBeLessThan(fraud.errorLevel.threshold);
    expect(after!.errorLevel).toBeGreaterThanOrEqual(fraud.errorLevel.threshold);
    expect(serial!.errorLevel).toBeLessThan(fraud.errorLevel.threshold);
  });

  it('the heat map is hottest where the date was pasted', async () => {
    const edited = await asJpeg(await patchDate(await toPng(await asJpeg(await renderSlip()))));
    const { heatmap } = await imageForensics({ original: edited, type: 'jpeg', maxPixels, page, geometry, fields });
    const hottest = Math.max(...heatmap.rows.flatMap((r) => [...r].map(Number)));
    const cell = heatmap.cellSize;
    const hot = heatmap.rows.flatMap((r, y) => [...r].flatMap((v, x) => (Number(v) === hottest ? [[x * cell, y * cell]] : [])));
    expect(hottest).toBeGreaterThanOrEqual(5);
    for (const [x, y] of hot) {
      expect(x! + cell).toBeGreaterThan(dateBox[0] - cell);
      expect(x!).toBeLessThan(dateBox[2] + cell);
      expect(y! + cell).toBeGreaterThan(dateBox[1] - cell);
      expect(y!).toBeLessThan(dateBox[3] + cell);
    }
  });
});

describe('a photo several times the size of its OCR page', () => {
  // The slip photographed at four times the page's resolution, with a margin of table around it
  // that the page's crop removes: the maps are shrunk before they are aligned with the page.
  const SCALE = 4;
  const MARGIN = 120;
  const photographed = async (slip: Buffer) =>
    sharp(slip)
      .resize({ width: SLIP.width * SCALE })
      .extend({ top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, background: { r: 90, g: 90, b: 90 } })
      .png()
      .toBuffer();
  const datePatch = async (photo: Buffer) => {
    const [x0, y0, x1, y1] = dateBox.map((v) => MARGIN + v * SCALE) as Box;
    const { width, height } = await sharp(photo).metadata();
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect x="${x0 - 16}" y="${y0 - 16}" width="${x1 - x0 + 32}" height="${y1 - y0 + 32}" fill="#fff"/>
<text x="${x0}" y="${y1}" font-family="DejaVu Sans" font-size="${(SLIP.fontSize - 2) * SCALE}" fill="#222">02.03.2025</text></svg>`;
    return sharp(photo)
      .composite([{ input: Buffer.from(svg) }])
      .png()
      .toBuffer();
  };

  it('finds a pasted date where the page says it is, through the crop and the shrinking', async () => {
    const photo = await asJpeg(await photographed(await renderSlip()));
    const { height } = await sharp(photo).metadata();
    const cropped = {
      crop: { left: MARGIN, top: MARGIN, width: SLIP.width * SCALE, height: height - 2 * MARGIN },
      skewDegrees: 0,
      paperLevel: SLIP.paper,
      width: page.width,
    };
    const [before] = (await imageForensics({ original: photo, type: 'jpeg', maxPixels, page, geometry: cropped, fields })).fields;
    const edited = await asJpeg(await datePatch(await toPng(photo)));
    const [after, serial] = (await imageForensics({ original: edited, type: 'jpeg', maxPixels, page, geometry: cropped, fields })).fields;
    expect(before!.errorLevel).toBeLessThan(fraud.errorLevel.threshold);
    expect(after!.errorLevel).toBeGreaterThanOrEqual(fraud.errorLevel.threshold);
    expect(serial!.errorLevel).toBeLessThan(fraud.errorLevel.threshold);
    expect(after!.background).toBeGreaterThanOrEqual(fraud.background.threshold);
  });
});

describe('the heat map of a slip photographed on a table', () => {
  /** The slip laid on a darker, grainy table, `at` pixels from its top left corner. */
  const at = 37;
  async function onTable(slip: Buffer): Promise<{ image: Buffer; width: number; height: number }> {
    const { width, height } = await sharp(slip).metadata();
    const table = { width: width + 2 * at, height: height + 2 * at };
    const data = Buffer.alloc(table.width * table.height);
    let seed = 11;
    for (let i = 0; i < data.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      data[i] = 90 + (seed % 40);
    }
    const image = await sharp(data, { raw: { ...table, channels: 1 } })
      .composite([{ input: slip, left: at, top: at }])
      .png()
      .toBuffer();
    return { image, ...table };
  }
  const shifted = (box: Box): Box => [box[0] + at, box[1] + at, box[2] + at, box[3] + at];

  it('is quiet off the paper and along its edges, and hottest where the date was pasted', async () => {
    // Photographed and saved, then the date pasted in and saved again.
    const table = await onTable(await renderSlip());
    const saved = await toPng(await asJpeg(table.image));
    const [x0, y0, x1, y1] = dateBox.map(Math.round) as Box;
    const cut = { left: x0 - 4, top: y0 - 4, width: x1 - x0 + 8, height: y1 - y0 + 8 };
    const patch = await sharp(await patchDate(await renderSlip()))
      .extract(cut)
      .toBuffer();
    const edited = await sharp(saved)
      .composite([{ input: patch, left: cut.left + at, top: cut.top + at }])
      .png()
      .toBuffer();
    const { heatmap } = await imageForensics({
      original: await asJpeg(edited),
      type: 'jpeg',
      maxPixels,
      page: { ...page, width: table.width, height: table.height, lines: [] },
      geometry: { crop: null, skewDegrees: 0, paperLevel: SLIP.paper, width: table.width },
      fields: [{ field: 'purchaseDate', box: shifted(dateBox) }],
    });
    const cell = heatmap.cellSize;
    const cells = heatmap.rows.flatMap((r, y) =>
      [...r].map((v, x) => ({ level: Number(v), box: [x * cell, y * cell, (x + 1) * cell, (y + 1) * cell] })),
    );
    // The table, and the cells across the paper's edge against it, always stand out.
    const onPaper = (b: number[]) => b[0]! >= at && b[1]! >= at && b[2]! <= table.width - at && b[3]! <= table.height - at;
    expect(cells.filter((c) => !onPaper(c.box) && c.level > 0)).toEqual([]);
    const hottest = Math.max(...cells.map((c) => c.level));
    expect(hottest).toBeGreaterThanOrEqual(5);
    const date = shifted(dateBox);
    for (const { box } of cells.filter((c) => c.level === hottest)) {
      expect(box[2]!).toBeGreaterThan(date[0] - cell);
      expect(box[0]!).toBeLessThan(date[2] + cell);
      expect(box[3]!).toBeGreaterThan(date[1] - cell);
      expect(box[1]!).toBeLessThan(date[3] + cell);
    }
  });
});

describe('glyph geometry of a key field', () => {
  const withDateBox = (box: Box): Page => ({
    ...page,
    lines: page.lines.map((l, i) => (i === DATE_LINE ? { ...l, words: l.words.map((w, k) => (k === DATE_WORD ? { ...w, box } : w)) } : l)),
  });

  it('a date retyped much larger than the printed digits around it is flagged; the printed one is not', () => {
    const [x0, , x1, y1] = dateBox;
    const printed = glyphForensics(page, [{ field: 'purchaseDate', box: dateBox }])[0]!;
    const tall: Box = [x0, y1 - 2 * (y1 - dateBox[1]), x1, y1];
    const retyped = glyphForensics(withDateBox(tall), [{ field: 'purchaseDate', box: tall }])[0]!;
    expect(printed.glyphGeometry).toBeLessThan(fraud.glyphGeometry.threshold);
    expect(retyped.glyphGeometry).toBeGreaterThanOrEqual(fraud.glyphGeometry.threshold);
  });

  it('a date sitting most of a line off the baseline of its neighbours is flagged', () => {
    const h = dateBox[3] - dateBox[1];
    const dropped: Box = [dateBox[0], dateBox[1] + 0.8 * h, dateBox[2], dateBox[3] + 0.8 * h];
    const [shifted] = glyphForensics(withDateBox(dropped), [{ field: 'purchaseDate', box: dropped }]);
    expect(shifted!.glyphGeometry).toBeGreaterThanOrEqual(fraud.glyphGeometry.threshold);
  });
});
