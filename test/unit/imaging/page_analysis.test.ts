import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { analysePage } from '../../../src/imaging/page-analysis.js';

/** A page of dark text-like bars on light paper, turned by `degrees`, on a grey table when `onTable`. */
async function syntheticPage(degrees: number, onTable: boolean) {
  const bars = Array.from(
    { length: 30 },
    (_, i) => `<rect x="60" y="${60 + i * 28}" width="${300 + (i % 5) * 40}" height="12" fill="#222"/>`,
  ).join('');
  const page = await sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="520" height="940"><rect width="100%" height="100%" fill="#eee"/>${bars}</svg>`,
    ),
  )
    .rotate(degrees, { background: onTable ? '#777' : '#eee' })
    .extend(onTable ? { top: 60, bottom: 60, left: 60, right: 60, background: '#777' } : { top: 0, bottom: 0, left: 0, right: 0 })
    .resize({ width: 600 })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: page.data, width: page.info.width, height: page.info.height };
}

describe('page analysis', () => {
  it.each([-7, -2.5, 0, 4, 9])('measures a skew of %s degrees within half a degree', async (degrees) => {
    const geometry = analysePage(await syntheticPage(degrees, false));
    expect(Math.abs(geometry.skewDegrees - degrees)).toBeLessThanOrEqual(0.5);
  });

  it('finds the paper on a darker table and leaves a scan whole', async () => {
    const photo = await syntheticPage(3, true);
    const onTable = analysePage(photo);
    expect(onTable.paper.left).toBeGreaterThan(20);
    expect(onTable.paper.width).toBeLessThan(photo.width - 40);
    const scan = await syntheticPage(0, false);
    expect(analysePage(scan).paper).toEqual({ left: 0, top: 0, width: scan.width, height: scan.height });
  });

  it('keeps the far end of a receipt that uneven light made darker than the table near the lamp', async () => {
    const bars = Array.from(
      { length: 30 },
      (_, i) => `<rect x="60" y="${60 + i * 28}" width="${300 + (i % 5) * 40}" height="12" fill="#222"/>`,
    ).join('');
    const shade =
      '<linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#999"/></linearGradient>';
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="1060"><defs>${shade}</defs><rect width="100%" height="100%" fill="#b4b4b4"/>` +
      `<g transform="translate(60 60)"><rect width="520" height="940" fill="#f0f0f0"/>${bars}</g><rect width="100%" height="100%" fill="url(#g)" style="mix-blend-mode:multiply"/></svg>`;
    const page = await sharp(Buffer.from(svg)).resize({ width: 600 }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const { paper } = analysePage({ data: page.data, width: page.info.width, height: page.info.height });
    const scale = 600 / 640;
    expect(paper.top).toBeLessThan(75 * scale);
    expect(paper.top + paper.height).toBeGreaterThan(985 * scale);
    expect(paper.left).toBeGreaterThan(40 * scale);
  });

  it('finds the whole paper when the table by the lamp is brighter than the paper in the shade', async () => {
    // Light falls from the right: the table runs from #3c3c3c to #e6e6e6, the paper from #808080 to #fafafa.
    const bars = Array.from(
      { length: 24 },
      (_, i) => `<rect x="40" y="${60 + i * 30}" width="${260 + (i % 4) * 40}" height="10" fill="#222"/>`,
    ).join('');
    const light = (id: string, from: string, to: string) =>
      `<linearGradient id="${id}" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient>`;
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="1000"><defs>${light('table', '#3c3c3c', '#e6e6e6')}${light('paper', '#808080', '#fafafa')}</defs>` +
      `<rect width="100%" height="100%" fill="url(#table)"/><g transform="translate(150 100)"><rect width="500" height="800" fill="url(#paper)"/>${bars}</g></svg>`;
    const page = await sharp(Buffer.from(svg)).resize({ width: 600 }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const { paper } = analysePage({ data: page.data, width: page.info.width, height: page.info.height });
    const scale = 600 / 800;
    expect(paper.left).toBeLessThanOrEqual(150 * scale + 2);
    expect(paper.left).toBeGreaterThan(130 * scale);
    expect(paper.left + paper.width).toBeGreaterThanOrEqual(650 * scale - 2);
    expect(paper.left + paper.width).toBeLessThan(680 * scale);
    expect(paper.top).toBeLessThanOrEqual(100 * scale + 2);
    expect(paper.top + paper.height).toBeGreaterThanOrEqual(900 * scale - 2);
  });

  it('reads the ink level from the print, not from dark torn ends at the edge of the scan', async () => {
    // Faint thermal print (#999) on a scan whose top and bottom are the black lid behind torn paper.
    const bars = Array.from(
      { length: 30 },
      (_, i) => `<rect x="60" y="${90 + i * 26}" width="${300 + (i % 5) * 40}" height="10" fill="#999"/>`,
    ).join('');
    const torn = (y: number, dir: number) =>
      `<polygon fill="#111" points="0,${y} 520,${y} ${Array.from({ length: 27 }, (_, i) => `${520 - i * 20},${y + dir * (30 + (i % 3) * 12)}`).join(' ')}"/>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="520" height="940"><rect width="100%" height="100%" fill="#f5f5f5"/>${bars}${torn(0, 1)}${torn(940, -1)}</svg>`;
    const page = await sharp(Buffer.from(svg)).resize({ width: 600 }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const { range } = analysePage({ data: page.data, width: page.info.width, height: page.info.height });
    expect(range.dark).toBeGreaterThan(130);
    expect(range.bright).toBeGreaterThan(235);
  });

  it('measures the text line height', async () => {
    const geometry = analysePage(await syntheticPage(0, false));
    // Bars are 12 px tall on a 520 px page scaled to 600 px.
    expect(geometry.lineHeight).toBeGreaterThanOrEqual(12);
    expect(geometry.lineHeight).toBeLessThanOrEqual(16);
  });
});

describe('image quality gate', () => {
  it('refuses a photo too dark to read, with a message the customer can act on', async () => {
    const { normalisePage } = await import('../../../src/imaging/normalise.js');
    const dark = await sharp({ create: { width: 400, height: 600, channels: 3, background: '#0c0c0c' } })
      .jpeg()
      .toBuffer();
    await expect(normalisePage(dark, 10_000_000)).rejects.toMatchObject({
      code: 'UNREADABLE_DOCUMENT',
      message: expect.stringMatching(/too dark/),
    });
  });

  it('refuses a blank page', async () => {
    const { normalisePage } = await import('../../../src/imaging/normalise.js');
    const blank = await sharp({ create: { width: 400, height: 600, channels: 3, background: '#f4f4f4' } })
      .png()
      .toBuffer();
    await expect(normalisePage(blank, 10_000_000)).rejects.toMatchObject({
      code: 'UNREADABLE_DOCUMENT',
      message: expect.stringMatching(/contrast/),
    });
  });
});
