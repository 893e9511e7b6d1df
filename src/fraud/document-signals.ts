import { EMPTY_FIELD, type Extraction, type Field } from '../domain/extraction.js';
import { KEY_FIELDS, type DocumentSignals, type FieldForensics, type Heatmap, type RenderCheck } from '../domain/fraud.js';
import type { Box, Page, TextLayer } from '../domain/text-layer.js';
import { fold } from '../extract/text-spans.js';
import { extract } from '../extract/extract.js';
import type { PreparedPage } from '../imaging/normalise-document.js';
import { normalisePage } from '../imaging/normalise.js';
import { decodeOwn } from '../documents/untrusted-image.js';
import type { TextLayerPage } from '../documents/document-pages.js';
import type { IntakeDocument } from '../intake/intake.js';
import { paddedRegion, readRegion, type PageImage } from '../ocr/read-region.js';
import type { TesseractEngine } from '../ocr/tesseract-engine.js';
import { imageHash } from './image-hash.js';
import { glyphForensics, imageForensics } from './image-forensics.js';
import { receiptNumbers } from './receipt-numbers.js';
import { renderChecks } from './render-check.js';

export interface SignalSources {
  doc: IntakeDocument;
  /** The document's pages as normalised, each with the page it was prepared from. */
  pages: PreparedPage[];
  text: TextLayer;
  extraction: Extraction;
  ocr: TesseractEngine;
  maxPixels: number;
}

/**
 * Runs one check (on one page, if given); a check that fails is recorded as unavailable instead of
 * refusing a readable receipt, and the decision treats it as not run, never as passed.
 */
async function attempt<T>(
  check: string,
  unavailable: DocumentSignals['unavailable'],
  work: () => Promise<T>,
  page?: number,
): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    unavailable.push({ check, reason: error instanceof Error ? error.message : String(error), ...(page !== undefined && { page }) });
    return null;
  }
}

/** Text without spaces, case or accents, for finding a field's source text in a line. */
const compact = (text: string) => fold(text).replace(/\s+/g, '');

/** A text-layer page drawn as PNG. */
interface DrawnPage {
  page: TextLayerPage;
  png: Buffer;
}

/** A key line's region of a rendered page, and the height of the line's own box in it. */
interface KeyLineRegion {
  box: Box;
  lineHeight: number;
}

/** A rendered page and what to read of it: the regions of its key lines, or null to read it whole. */
interface RenderedPage {
  image: PageImage;
  regions: KeyLineRegion[] | null;
}

/**
 * Line heights the key lines are scaled to for their two readings, in pixels of the line's box as
 * the text layer places it. On an A4 invoice drawn at the render width that is twice and once the
 * drawing's own size; a narrow till slip draws its lines at 75 px, where a fixed 2× (150 px) made
 * OCR read Courier's 9 as O and split glyphs.
 */
const KEY_LINE_HEIGHTS = [56, 28] as const;

/**
 * Where the rendered pages print the key fields: each line of the text layer holding a key
 * field's source text, as a region of the rendering. A source the positioned lines do not hold
 * (text the layer orders differently) sends its page to a full reading.
 */
async function keyLineRegions(s: SignalSources, rendered: DrawnPage[]): Promise<RenderedPage[]> {
  const sources = KEY_FIELDS.flatMap((field) => s.extraction[field].source ?? [])
    .map(compact)
    .filter((source) => source.length > 0);
  const positioned = await Promise.all(rendered.map((r) => r.page.lines()));
  return Promise.all(
    rendered.map(async ({ page: { number }, png }, i) => {
      const { width = 0, height = 0 } = await decodeOwn(png).metadata();
      const image = { number, png, width, height };
      const onPage = positioned[i]!.filter((line) => sources.some((source) => compact(line.text).includes(source)));
      if (!sources.every((source) => onPage.some((line) => compact(line.text).includes(source)))) return { image, regions: null };
      const regions = onPage.flatMap((line): KeyLineRegion[] => {
        const box: Box = [line.box[0] * width, line.box[1] * height, line.box[2] * width, line.box[3] * height];
        const lineHeight = box[3] - box[1];
        const region = paddedRegion(image, box, Math.round(lineHeight * 0.3));
        return region && lineHeight > 0 ? [{ box: region, lineHeight }] : [];
      });
      return { image, regions };
    }),
  );
}

/** The key lines read alone, scaled to `lineHeight` (a fraction of the cost of whole pages); pages without regions read whole. */
async function readKeyLines(pages: RenderedPage[], ocr: TesseractEngine, lineHeight: number, maxPixels: number): Promise<TextLayer> {
  const read = await Promise.all(
    pages.map(async ({ image, regions }): Promise<Page> => {
      if (!regions) {
        const page = await normalisePage(image.png, maxPixels);
        return ocr.recognize(page.png, image.number, { width: page.width, height: page.height });
      }
      const lines = (await Promise.all(regions.map((region) => readRegion(image, region.box, ocr, lineHeight / region.lineHeight)))).flat();
      return { number: image.number, width: image.width, height: image.height, lines };
    }),
  );
  return { source: 'ocr', pages: read, confidence: 0 };
}

/** The key values of the text layer against OCR of the drawn pages' key lines. */
async function renderCheck(s: SignalSources, rendered: DrawnPage[]): Promise<RenderCheck[]> {
  const pages = await keyLineRegions(s, rendered);
  const [first, second] = KEY_LINE_HEIGHTS;
  const enlarged = await readKeyLines(pages, s.ocr, first, s.maxPixels);
  const found = renderChecks(s.extraction, enlarged, extract(enlarged));
  if (found.every((check) => check.visible)) return found;
  // A second reading of the key lines at half the size: OCR slips differ between the two (a
  // doubled glyph at one, none at the other); a value neither reading shows is not OCR's doing.
  // Pages read whole were read at the normalised page's scale already.
  const own = await readKeyLines(
    pages.filter((p) => p.regions !== null),
    s.ocr,
    second,
    s.maxPixels,
  );
  const both: TextLayer = {
    ...enlarged,
    pages: enlarged.pages.map((page) => ({
      ...page,
      lines: [...page.lines, ...(own.pages.find((p) => p.number === page.number)?.lines ?? [])],
    })),
  };
  return renderChecks(s.extraction, both, extract(both));
}

/**
 * The extraction with the fields decoded from barcodes left out: glyph and paper forensics and the
 * render check judge printed text, and a barcode's box holds bars; its own error detection vouches
 * for what it encodes.
 */
function printedFields(extraction: Extraction): Extraction {
  const printed = (field: Field): Field => (field.via === 'barcode' ? EMPTY_FIELD : field);
  return { ...extraction, serial: printed(extraction.serial), imei: printed(extraction.imei), model: printed(extraction.model) };
}

/**
 * The read step's part of fraud detection: everything about one document that later judgements
 * need (its fingerprint, pixel evidence around the key fields, a text layer checked against its
 * rendered page). Costly work happens here, in parallel with other claims' OCR.
 */
export async function documentSignals(sources: SignalSources): Promise<DocumentSignals> {
  const s = { ...sources, extraction: printedFields(sources.extraction) };
  const unavailable: DocumentSignals['unavailable'] = [];
  const located = KEY_FIELDS.flatMap((field) => {
    const location = s.extraction[field].location;
    return location ? [{ field, ...location }] : [];
  });
  const fields: FieldForensics[] = [];
  let heatmap: Heatmap | null = null;
  let hash: string | null = null;
  for (const page of s.pages) {
    if (page.kind !== 'image') continue;
    hash ??= await attempt('image_hash', unavailable, () => imageHash(page.png));
    const ocrPage = s.text.pages.find((p) => p.number === page.number);
    const onPage = located.filter((l) => l.page === page.number).map(({ field, box }) => ({ field, box }));
    if (!ocrPage || onPage.length === 0) continue;
    const upload = page.source.upload;
    if (!upload) {
      fields.push(...glyphForensics(ocrPage, onPage));
      continue;
    }
    const found = await attempt('image_forensics', unavailable, () =>
      imageForensics({
        original: upload.bytes,
        type: upload.type,
        maxPixels: s.maxPixels,
        page: ocrPage,
        geometry: page.geometry,
        fields: onPage,
      }),
    );
    if (found) {
      fields.push(...found.fields);
      heatmap = found.heatmap;
    }
  }
  let checks: RenderCheck[] = [];
  const textPages = s.pages.flatMap((p) => (p.kind === 'text' ? [p.source] : []));
  if (textPages.length > 0) {
    // Page by page: a page that cannot be drawn is named as unchecked, and the others are still checked.
    const rendered: DrawnPage[] = [];
    for (const page of textPages) {
      const png = await attempt('pdf_render', unavailable, () => page.image(), page.number);
      if (png) rendered.push({ page, png });
    }
    const undrawn = textPages.filter((page) => !rendered.some((r) => r.page === page));
    const read =
      rendered.length === 0
        ? null
        : await attempt('pdf_render', unavailable, async () => {
            hash ??= await imageHash((await normalisePage(rendered[0]!.png, s.maxPixels)).png);
            const found = await renderCheck(s, rendered);
            // A value printed on a page that could not be drawn is not judged: not seen is not hidden.
            const unseen = (await Promise.all(undrawn.map((page) => page.lines()))).flat().map((line) => compact(line.text));
            return found.filter((check) => !unseen.some((line) => line.includes(compact(check.textLayer))));
          });
    if (read) checks = read;
  }
  if (s.doc.metadata.unreadable !== undefined) unavailable.push({ check: 'file_metadata', reason: s.doc.metadata.unreadable });
  return { imageHash: hash, numbers: receiptNumbers(s.text), fields, heatmap, renderChecks: checks, unavailable };
}
