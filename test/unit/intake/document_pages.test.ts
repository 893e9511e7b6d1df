import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { documentPages, shownPage } from '../../../src/documents/document-pages.js';
import { intakeDocument } from '../../../src/intake/intake.js';
import { PDF_RENDER_WIDTH, withPdfDocument } from '../../../src/documents/pdf-document.js';

const limits = { maxFileBytes: 20 * 1024 * 1024, maxPixels: 60_000_000, maxPdfPages: 10 };
const sample = (name: string) => readFileSync(`samples/${name}`);

/** A PDF's pages, each drawn while the document is open, as the pipeline does. */
async function pdfPages(name: string) {
  const bytes = sample(name);
  const doc = await intakeDocument(bytes, limits);
  return withPdfDocument(bytes, limits.maxPixels, async (pdf) => {
    const pages = await documentPages(doc, bytes, pdf);
    return Promise.all(pages.map(async (page) => ({ page, image: await page.image() })));
  });
}

describe('the pages of a document', () => {
  it('an uploaded photo is one image page whose pixels are the upload itself', async () => {
    const bytes = sample('photo-receipt.jpg');
    const pages = await documentPages(await intakeDocument(bytes, limits), bytes, null);
    expect(pages).toHaveLength(1);
    const [page] = pages;
    expect(page).toMatchObject({ kind: 'image', number: 1, upload: { type: 'jpeg' } });
    expect(page!.kind === 'image' && page!.upload!.bytes).toBe(bytes);
    expect(await page!.image()).toBe(bytes);
  });

  it('a PDF page with a text layer comes as its text, and can be drawn at the reading width', async () => {
    const [first] = await pdfPages('invoice-text.pdf');
    expect(first!.page.kind).toBe('text');
    if (first!.page.kind !== 'text') return;
    expect(first!.page.text).toMatch(/SAMSUNG/);
    expect((await sharp(first!.image).metadata()).width).toBe(PDF_RENDER_WIDTH);
  });

  it('a scanned PDF page is an image page drawn at the reading width, not the upload’s own pixels', async () => {
    const [first] = await pdfPages('invoice-scan.pdf');
    expect(first!.page).toMatchObject({ kind: 'image', number: 1, upload: null });
    expect((await sharp(first!.image).metadata()).width).toBe(PDF_RENDER_WIDTH);
  });

  it('shows a photo as uploaded and a PDF page drawn, each in the pixels its highlights are given in', async () => {
    const photo = await intakeDocument(sample('photo-receipt.jpg'), limits);
    const pdf = await intakeDocument(sample('invoice-text.pdf'), limits);
    expect(shownPage(photo, 1)).toMatchObject({ mediaType: 'image/jpeg', width: 1400, drawn: false });
    const file = sample('photo-receipt.jpg');
    expect(await shownPage(photo, 1).image(file, limits.maxPixels)).toBe(file);
    expect(shownPage(pdf, 1)).toMatchObject({ mediaType: 'image/png', width: PDF_RENDER_WIDTH, drawn: true });
    const drawn = await shownPage(pdf, 1).image(sample('invoice-text.pdf'), limits.maxPixels);
    expect((await sharp(drawn).metadata()).width).toBe(PDF_RENDER_WIDTH);
  });
});
