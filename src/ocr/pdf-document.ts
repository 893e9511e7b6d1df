import { PDFParse } from 'pdf-parse';
// The pdf.js build pdf-parse itself runs on (same pinned version).
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import type { Box } from '../domain/text-layer.js';
import { InputRejectedError } from '../errors/input-rejected-error.js';

/** What a PDF says about itself: checked at intake, before any text is extracted. */
export interface PdfInfo {
  pageCount: number;
  producer: string | null;
  creator: string | null;
  created: string | null;
  modified: string | null;
}

const PAGE_MARKER = /^-- \d+ of \d+ --$/gm;

/** pdf.js itself, for what pdf-parse does not expose: text positions, and rendering with control over the encode. */
async function withPdfjs<T>(bytes: Uint8Array, use: (pdf: PDFDocumentProxy) => Promise<T>): Promise<T> {
  const loading = getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false });
  try {
    return await use(await loading.promise);
  } catch (error) {
    throw asRejection(error);
  } finally {
    await loading.destroy();
  }
}

async function withPdf<T>(bytes: Uint8Array, use: (pdf: PDFParse) => Promise<T>): Promise<T> {
  // pdf.js takes ownership of the buffer it is given: pass a copy so the caller's stays intact.
  const pdf = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    return await use(pdf);
  } catch (error) {
    throw asRejection(error);
  } finally {
    await pdf.destroy();
  }
}

function asRejection(error: unknown): Error {
  if (error instanceof InputRejectedError) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return new InputRejectedError('UNREADABLE_DOCUMENT', 'The PDF is password-protected; upload an unprotected copy.');
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new InputRejectedError('UNREADABLE_DOCUMENT', 'The PDF is damaged or incomplete and cannot be read.', { detail });
}

function isoOrNull(value: unknown): string | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : null;
}

export async function readPdfInfo(bytes: Uint8Array, maxPages: number): Promise<PdfInfo> {
  return withPdf(bytes, async (pdf) => {
    const info = await pdf.getInfo();
    if (info.total > maxPages) {
      throw new InputRejectedError('UNREADABLE_DOCUMENT', `The PDF has ${info.total} pages; a receipt may have at most ${maxPages}.`, {
        pages: info.total,
        maxPages,
      });
    }
    const dates = info.getDateNode?.() ?? {};
    const meta = (info.info ?? {}) as Record<string, unknown>;
    return {
      pageCount: info.total,
      producer: typeof meta.Producer === 'string' ? meta.Producer : null,
      creator: typeof meta.Creator === 'string' ? meta.Creator : null,
      created: isoOrNull(dates.CreationDate ?? dates.XmpCreateDate),
      modified: isoOrNull(dates.ModDate ?? dates.XmpModifyDate),
    };
  });
}

/** Text per page, without pdf-parse's page markers; empty strings for image-only pages. */
export async function readPdfPageTexts(bytes: Uint8Array): Promise<string[]> {
  return withPdf(bytes, async (pdf) => (await pdf.getText()).pages.map((p) => p.text.replace(PAGE_MARKER, '').trim()));
}

/** pdf.js's canvas factory (@napi-rs/canvas in Node), which its types leave as `Object`. */
interface CanvasFactory {
  create(width: number, height: number): { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D };
  destroy(entry: { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D }): void;
}

/**
 * Renders the given pages to PNG at a width chosen for OCR. pdf.js draws on the main
 * thread; the PNG is encoded by sharp off it, so OCR workers waiting for their next page are not
 * held up by a synchronous encode.
 */
export async function renderPdfPages(bytes: Uint8Array, pages: number[], width: number): Promise<Buffer[]> {
  return withPdfjs(bytes, async (pdf) => {
    const canvasFactory = pdf.canvasFactory as CanvasFactory;
    const rendered: Buffer[] = [];
    // One page at a time: drawing is on the main thread either way, and one canvas is held, not one per page.
    for (const number of pages) {
      const page = await pdf.getPage(number);
      const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
      const { canvas, context } = canvasFactory.create(viewport.width, viewport.height);
      try {
        await page.render({ canvas, canvasContext: context, viewport }).promise;
        const { data, width: w, height: h } = context.getImageData(0, 0, canvas.width, canvas.height);
        rendered.push(
          await sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width: w, height: h, channels: 4 } })
            // pdf.js paints pages on white: the alpha channel carries nothing.
            .removeAlpha()
            .png({ compressionLevel: 1 })
            .toBuffer(),
        );
      } finally {
        canvasFactory.destroy({ canvas, context });
        page.cleanup();
      }
    }
    return rendered;
  });
}

/** A line of a PDF's text layer and where it is printed, in fractions of the page's width and height. */
export interface PositionedLine {
  text: string;
  box: Box;
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

/** The text-layer lines of the given pages with their places on the page, for checking them against the rendering. */
export async function readPdfTextLines(bytes: Uint8Array, pages: number[]): Promise<PositionedLine[][]> {
  return withPdfjs(bytes, (pdf) =>
    Promise.all(
      pages.map(async (number) => {
        const page = await pdf.getPage(number);
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
