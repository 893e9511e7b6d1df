import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
// The pdf.js build pdf-parse itself runs on (same pinned version).
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Box } from '../domain/text-layer.js';
import { InputRejectedError } from '../errors/input-rejected-error.js';
import { fromPixels } from './untrusted-image.js';

/**
 * Width every PDF page is drawn at, for OCR of scanned pages, the render check of text pages and the
 * review page: A4 at ~180 dpi, enough for invoice print. Word boxes of scanned pages are in its pixels.
 */
export const PDF_RENDER_WIDTH = 1500;

/**
 * The metrics and outlines of the 14 standard PDF fonts (Courier, Helvetica, Times), shipped with
 * pdf.js and read from disk. Without them pdf.js draws every standard font with one serif stand-in
 * at the original's advance widths: Courier's monospaced codes overlapped ("MZ" drawn as one
 * glyph), so the render check read them wrong and called the receipt tampered.
 */
const STANDARD_FONTS = `${path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** What a PDF says about itself: checked at intake, before any text is extracted. */
export interface PdfInfo {
  pageCount: number;
  producer: string | null;
  creator: string | null;
  created: string | null;
  modified: string | null;
}

/** A page's size in PDF points as pdf.js draws it (crop box, rotation applied). */
export interface PageSize {
  width: number;
  height: number;
}

/** A page drawn `PDF_RENDER_WIDTH` pixels wide: its pixel size, known before anything is drawn. */
export function drawnSize(page: PageSize): { width: number; height: number; pixels: number } {
  const height = Math.ceil((PDF_RENDER_WIDTH * page.height) / page.width);
  return { width: PDF_RENDER_WIDTH, height, pixels: PDF_RENDER_WIDTH * height };
}

const megapixels = (pixels: number) => `${Math.round(pixels / 1e6)} megapixels`;

/** The refusal of a page too large to draw within `maxPixels`. */
export function pageTooLarge(number: number, page: PageSize, maxPixels: number): InputRejectedError {
  const drawn = drawnSize(page);
  return new InputRejectedError(
    'UNREADABLE_DOCUMENT',
    `Page ${number} of the PDF is ${Math.round(page.width)}×${Math.round(page.height)} pt: drawn ${drawn.width} px wide for reading ` +
      `it would be ${megapixels(drawn.pixels)}, over the limit of ${megapixels(maxPixels)} a page may have.`,
    { limit: 'page_pixels', page: number, width: drawn.width, height: drawn.height, maxPixels },
  );
}

const PAGE_MARKER = /^-- \d+ of \d+ --$/gm;

function asRejection(error: unknown): Error {
  if (error instanceof InputRejectedError) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return new InputRejectedError('UNREADABLE_DOCUMENT', 'The PDF is password-protected; upload an unprotected copy.');
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new InputRejectedError('UNREADABLE_DOCUMENT', 'The PDF is damaged or incomplete and cannot be read.', { detail });
}

async function rejecting<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asRejection(error);
  }
}

function isoOrNull(value: unknown): string | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : null;
}

/** pdf.js's canvas factory (@napi-rs/canvas in Node), which its types leave as `Object`. */
interface CanvasFactory {
  create(width: number, height: number): { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D };
  destroy(entry: { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D }): void;
}

/** A line of a PDF's text layer and where it is printed, in fractions of the page's width and height. */
export interface PositionedLine {
  text: string;
  box: Box;
}

/** One printed character of a PDF's text layer and its box on the page drawn `PDF_RENDER_WIDTH` wide, in pixels. */
export interface PlacedGlyph {
  char: string;
  box: Box;
}

/** A text-layer page's printed characters in content order (spaces left out), on the page as drawn. */
export interface PlacedText {
  width: number;
  height: number;
  glyphs: PlacedGlyph[];
}

interface PlacedItem {
  text: string;
  x: number;
  baseline: number;
  width: number;
  height: number;
}

/** Items whose baselines lie within a third of their height of each other form one line, left to right. */
function intoLines(items: PlacedItem[], pageWidth: number, pageHeight: number): PositionedLine[] {
  const lines: PlacedItem[][] = [];
  for (const item of [...items].sort((a, b) => b.baseline - a.baseline || a.x - b.x)) {
    const line = lines.find((l) => Math.abs(l[0]!.baseline - item.baseline) <= l[0]!.height / 3);
    if (line) line.push(item);
    else lines.push([item]);
  }
  return lines.map((line) => {
    line.sort((a, b) => a.x - b.x);
    const top = Math.max(...line.map((i) => i.baseline + i.height));
    // Descenders reach about a quarter of the font size below the baseline.
    const bottom = Math.min(...line.map((i) => i.baseline - i.height / 4));
    return {
      text: line.map((i) => i.text).join(' '),
      box: [
        Math.min(...line.map((i) => i.x)) / pageWidth,
        1 - top / pageHeight,
        Math.max(...line.map((i) => i.x + i.width)) / pageWidth,
        1 - bottom / pageHeight,
      ],
    };
  });
}

/** The few parts of pdf.js's text style and viewport a run's placement needs. */
interface RunStyle {
  ascent?: number;
  descent?: number;
}
interface Viewport {
  convertToViewportPoint(x: number, y: number): number[];
}

/**
 * The characters of one text run, each boxed from its baseline to the font's ascent and descent,
 * mapped through the viewport (crop box, rotation, scale) onto the drawn page.
 */
function placeRun(
  text: string,
  transform: number[],
  width: number,
  style: RunStyle | undefined,
  viewport: Viewport,
  measure: (text: string) => number,
): PlacedGlyph[] {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = transform;
  const size = Math.hypot(c, d) || 1;
  const along = [a / (Math.hypot(a, b) || 1), b / (Math.hypot(a, b) || 1)] as const;
  const up = [c / size, d / size] as const;
  // pdf.js reports standard fonts' ascent and descent in font-size units; others may lack them.
  const ascent = (style?.ascent ?? 0.8) * size;
  const descent = (style?.descent ?? -0.25) * size;
  const whole = measure(text) || 1;
  const chars = [...text];
  const out: PlacedGlyph[] = [];
  let prefix = '';
  for (const char of chars) {
    const start = (measure(prefix) / whole) * width;
    prefix += char;
    const end = (measure(prefix) / whole) * width;
    if (char.trim() === '') continue;
    const corners = [start, end].flatMap((x) =>
      [descent, ascent].map((y) => viewport.convertToViewportPoint(e + along[0] * x + up[0] * y, f + along[1] * x + up[1] * y)),
    );
    const xs = corners.map((p) => p[0]!);
    const ys = corners.map((p) => p[1]!);
    out.push({ char, box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] });
  }
  return out;
}

/**
 * pdf-parse loads its pdf.js document once and keeps it private; its `load` hands it out, so text
 * positions and drawing use the very document its text and facts come from.
 */
interface PdfParseLoader {
  load(): Promise<PDFDocumentProxy>;
}

/**
 * One parsed PDF, shared by every step that reads it (intake's facts, page texts, text positions,
 * drawing), so a document is parsed once. pdf-parse reads facts and text; its pdf.js document gives
 * positions and drawing. Every page is priced in pixels before it is drawn, and pdf.js skips any
 * embedded image over `maxPixels` instead of decoding it. Call `destroy` when done.
 */
export class PdfDocument {
  private constructor(
    private readonly parser: PDFParse,
    private readonly pdf: PDFDocumentProxy,
    private readonly maxPixels: number,
  ) {}

  static async open(bytes: Uint8Array, maxPixels: number): Promise<PdfDocument> {
    // pdf.js takes ownership of the buffer it is given: pass a copy so the caller's stays intact.
    const parser = new PDFParse({
      data: new Uint8Array(bytes),
      verbosity: 0,
      isEvalSupported: false,
      maxImageSize: maxPixels,
      standardFontDataUrl: STANDARD_FONTS,
    });
    try {
      return new PdfDocument(parser, await (parser as unknown as PdfParseLoader).load(), maxPixels);
    } catch (error) {
      await parser.destroy();
      throw asRejection(error);
    }
  }

  get pageCount(): number {
    return this.pdf.numPages;
  }

  /** Every page's size, read from the page tree without parsing any content. */
  pageSizes(): Promise<PageSize[]> {
    return rejecting(async () => {
      const sizes: PageSize[] = [];
      for (let number = 1; number <= this.pdf.numPages; number++) {
        const { width, height } = (await this.pdf.getPage(number)).getViewport({ scale: 1 });
        sizes.push({ width, height });
      }
      return sizes;
    });
  }

  /** Producer, creator and dates from the document information and its XMP metadata. */
  info(): Promise<Omit<PdfInfo, 'pageCount'>> {
    return rejecting(async () => {
      const info = await this.parser.getInfo();
      const dates = info.getDateNode?.() ?? {};
      const meta = (info.info ?? {}) as Record<string, unknown>;
      return {
        producer: typeof meta.Producer === 'string' ? meta.Producer : null,
        creator: typeof meta.Creator === 'string' ? meta.Creator : null,
        created: isoOrNull(dates.CreationDate ?? dates.XmpCreateDate),
        modified: isoOrNull(dates.ModDate ?? dates.XmpModifyDate),
      };
    });
  }

  /** Text per page, without pdf-parse's page markers; empty strings for image-only pages. */
  pageTexts(): Promise<string[]> {
    return rejecting(async () => (await this.parser.getText()).pages.map((p) => p.text.replace(PAGE_MARKER, '').trim()));
  }

  /** The text-layer lines of the given pages with their places on the page, for checking them against the rendering. */
  textLines(pages: number[]): Promise<PositionedLine[][]> {
    return rejecting(() =>
      Promise.all(
        pages.map(async (number) => {
          const page = await this.pdf.getPage(number);
          const [x0, y0, x1, y1] = page.view as [number, number, number, number];
          const content = await page.getTextContent();
          const items: PlacedItem[] = content.items.flatMap((item) => {
            if (!('str' in item) || item.str.trim() === '') return [];
            const [, , c, d, e, f] = item.transform as number[];
            const height = item.height || Math.hypot(c!, d!);
            return [{ text: item.str.trim(), x: e! - x0, baseline: f! - y0, width: item.width, height }];
          });
          return intoLines(items, x1 - x0, y1 - y0);
        }),
      ),
    );
  }

  /**
   * Where page `number` prints each character of its text layer, in the pixels of the page drawn
   * `PDF_RENDER_WIDTH` wide (what the OCR of a scanned page and the reviewer see). pdf.js places
   * text runs, not characters: a run's width is shared among its characters in proportion to their
   * widths in the run's font family as the canvas measures it, which is close for the standard
   * fonts and never lets a character leave its run.
   */
  placedText(number: number): Promise<PlacedText> {
    return rejecting(async () => {
      const page = await this.pdf.getPage(number);
      const size = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: PDF_RENDER_WIDTH / size.width });
      const content = await page.getTextContent();
      const canvasFactory = this.pdf.canvasFactory as CanvasFactory;
      const measuring = canvasFactory.create(1, 1);
      try {
        const glyphs = content.items.flatMap((item) => {
          if (!('str' in item) || item.str.trim() === '' || item.width === 0) return [];
          const style = content.styles[item.fontName];
          measuring.context.font = `100px ${style?.fontFamily ?? 'sans-serif'}`;
          return placeRun(
            item.str,
            item.transform as number[],
            item.width,
            style,
            viewport,
            (text) => measuring.context.measureText(text).width,
          );
        });
        return { width: PDF_RENDER_WIDTH, height: drawnSize(size).height, glyphs };
      } finally {
        canvasFactory.destroy(measuring);
        page.cleanup();
      }
    });
  }

  /**
   * Draws one page `PDF_RENDER_WIDTH` wide and encodes it as PNG, or refuses a page whose drawing
   * would exceed the pixel limit before a canvas is made. pdf.js draws on this thread; the PNG is
   * encoded by sharp off it, so OCR workers waiting for their next page are not held up.
   */
  renderPage(number: number): Promise<Buffer> {
    return rejecting(async () => {
      const page = await this.pdf.getPage(number);
      const size = page.getViewport({ scale: 1 });
      if (drawnSize(size).pixels > this.maxPixels) throw pageTooLarge(number, size, this.maxPixels);
      const viewport = page.getViewport({ scale: PDF_RENDER_WIDTH / size.width });
      const canvasFactory = this.pdf.canvasFactory as CanvasFactory;
      const { canvas, context } = canvasFactory.create(viewport.width, viewport.height);
      try {
        await page.render({ canvas, canvasContext: context, viewport }).promise;
        const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
        return await fromPixels(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { width, height, channels: 4 })
          // pdf.js paints pages on white: the alpha channel carries nothing.
          .removeAlpha()
          .png({ compressionLevel: 1 })
          .toBuffer();
      } finally {
        canvasFactory.destroy({ canvas, context });
        page.cleanup();
      }
    });
  }

  destroy(): Promise<void> {
    return this.parser.destroy();
  }
}

/** Opens a PDF for one piece of work and destroys it after. */
export async function withPdfDocument<T>(bytes: Uint8Array, maxPixels: number, use: (pdf: PdfDocument) => Promise<T>): Promise<T> {
  const pdf = await PdfDocument.open(bytes, maxPixels);
  try {
    return await use(pdf);
  } finally {
    await pdf.destroy();
  }
}
