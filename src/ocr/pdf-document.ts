import { PDFParse } from 'pdf-parse';
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
      throw new InputRejectedError(
        'UNREADABLE_DOCUMENT',
        `The PDF has ${info.total} pages; a receipt may have at most ${maxPages}.`,
        { pages: info.total, maxPages },
      );
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

/** Renders the given pages to PNG at a width chosen for OCR. */
export async function renderPdfPages(bytes: Uint8Array, pages: number[], width: number): Promise<Buffer[]> {
  return withPdf(bytes, async (pdf) => {
    const shots = await pdf.getScreenshot({ partial: pages, desiredWidth: width, imageBuffer: true, imageDataUrl: false });
    return shots.pages.map((p) => Buffer.from(p.data));
  });
}
