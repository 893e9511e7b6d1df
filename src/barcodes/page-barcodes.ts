import type { Barcode, Box, TextLayer } from '../domain/text-layer.js';
import { decodeOwn, decodeUntrusted, type Sharp } from '../documents/untrusted-image.js';
import { pointOnNormalised } from '../imaging/box-mapping.js';
import type { PreparedPage } from '../imaging/normalise-document.js';
import { decodeSymbols, type Corners, type DecodedSymbol } from './barcode-reader.js';

/**
 * Pixels handed to the decoder per attempt (it holds them as RGBA: 24 MB). A Code 128 on a label
 * a third of a 12-megapixel photo wide has bars of 1.3 px at this size and none at 3 megapixels
 * (tools/corpus/labels.ts --on-box); the decoder scans large images downscaled first, so a page
 * without a barcode costs about as little at 6 as at 3 megapixels (tools/bench/barcodes.ts).
 */
export const BARCODE_PIXEL_BUDGET = 6_000_000;

/**
 * The barcodes of a document's pages, boxed in the coordinates of each page's words: an uploaded
 * image is decoded as normalised for OCR and as photographed (turned upright, scaled to the
 * budget); a PDF page as the pipeline drew it.
 */
export async function documentBarcodes(pages: PreparedPage[], maxPixels: number): Promise<Barcode[]> {
  const found: Barcode[] = [];
  // One page at a time: one page's pixels are held, not every page's.
  for (const page of pages) found.push(...(await pageBarcodes(page, maxPixels)));
  return found;
}

/** `text` with the document's barcodes added; the layer unchanged when there are none, as before barcodes were read. */
export function withBarcodes(text: TextLayer, barcodes: Barcode[]): TextLayer {
  return barcodes.length === 0 ? text : { ...text, barcodes };
}

async function pageBarcodes(page: PreparedPage, maxPixels: number): Promise<Barcode[]> {
  const on = (symbols: DecodedSymbol[], toPage: (x: number, y: number) => readonly [number, number]) =>
    symbols.map((s): Barcode => ({ format: s.format, text: s.text, page: page.number, box: boxAround(s.corners, toPage) }));

  // A PDF text-layer page: its words are boxed on the page as drawn, so its barcodes are too. A
  // page that cannot be drawn keeps its text and shows no barcode; the render check, which draws
  // it too, names it as unchecked.
  if (page.kind === 'text') {
    const png = await page.source.image().catch(() => null);
    if (!png) return [];
    const drawn = await atBudget(decodeOwn(png));
    return on(drawn.symbols, (x, y) => [x / drawn.scale, y / drawn.scale]);
  }
  // The page the OCR read: deskewed and contrast-stretched, where a tilted linear code often reads
  // best; small (text lines scaled to 20 px), so cheap.
  const read = await atBudget(decodeOwn(page.png));
  const found = on(read.symbols, (x, y) => [x / read.scale, y / read.scale]);
  const { upload } = page.source;
  if (!upload) return found; // a drawn PDF page: the normalised page is all its pixels
  // The photo as taken, at more pixels than the normalised page keeps: small codes beside large text.
  const original = await atBudget(decodeUntrusted(upload.bytes, { maxPixels, autoOrient: true, failOn: 'truncated' }));
  const crop = page.geometry.crop ?? { left: 0, top: 0, width: original.width, height: original.height };
  const { scale } = original;
  const more = on(original.symbols, (x, y) => pointOnNormalised(x / scale, y / scale, crop, page.geometry.skewDegrees, page));
  return [...found, ...more.filter((m) => !found.some((f) => f.format === m.format && f.text === m.text))];
}

/**
 * The symbols of an image (after EXIF orientation) scaled down to the pixel budget when larger;
 * `scale` maps their corners back to the image's own size.
 */
async function atBudget(image: Sharp): Promise<{ symbols: DecodedSymbol[]; scale: number; width: number; height: number }> {
  const { width, height } = (await image.metadata()).autoOrient;
  const scale = Math.min(1, Math.sqrt(BARCODE_PIXEL_BUDGET / Math.max(1, width * height)));
  const scaled = scale === 1 ? image : image.resize({ width: Math.max(1, Math.round(width * scale)) });
  const { data, info } = await scaled.removeAlpha().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { symbols: await decodeSymbols({ data, width: info.width, height: info.height }), scale: info.width / width, width, height };
}

function boxAround(corners: Corners, toPage: (x: number, y: number) => readonly [number, number]): Box {
  const points = corners.map(([x, y]) => toPage(x, y));
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.round(Math.min(...xs)), Math.round(Math.min(...ys)), Math.round(Math.max(...xs)), Math.round(Math.max(...ys))];
}
