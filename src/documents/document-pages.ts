import { PDF_RENDER_WIDTH, withPdfDocument, type PdfDocument, type PlacedText, type PositionedLine } from './pdf-document.js';
import type { IntakeDocument } from '../domain/document.js';

/**
 * The pages of a document, whatever its type: the one place that tells a PDF from an image after
 * intake, so the stages after it ask a page what it is instead of asking the document. PDF pages
 * come from the PDF adapter (`PdfDocument`), which draws them `PDF_RENDER_WIDTH` pixels wide.
 */

/** Fewer characters than this on a PDF page means a scan inside a PDF, not a text layer. */
const MIN_TEXT_LAYER_CHARS = 20;

/** A PDF page with a text layer: its exact text, and the page drawn to check the text against what it shows. */
export interface TextLayerPage {
  kind: 'text';
  number: number;
  text: string;
  /** The page drawn `PDF_RENDER_WIDTH` wide, as PNG. */
  image(): Promise<Buffer>;
  /** The text layer's lines and where the page prints them. */
  lines(): Promise<PositionedLine[]>;
  /** Where the page prints each character of its text, on the page drawn `PDF_RENDER_WIDTH` wide. */
  placedText(): Promise<PlacedText>;
}

/**
 * A page to read from its pixels: a photo or scan uploaded as an image, or a PDF page without a
 * text layer, drawn.
 */
export interface PicturePage {
  kind: 'image';
  number: number;
  /** The page as an encoded image: the uploaded file itself, or the PDF page drawn `PDF_RENDER_WIDTH` wide as PNG. */
  image(): Promise<Uint8Array>;
  /**
   * The uploaded image file when the page's pixels are the upload's own, which pixel forensics can
   * examine; null for a drawn PDF page, whose pixels are pdf.js's drawing.
   */
  upload: { type: 'jpeg' | 'png'; bytes: Uint8Array } | null;
}

export type DocumentPage = TextLayerPage | PicturePage;

/**
 * A document's pages in order. `pdf` is the document intake opened (null for an image); its page
 * texts are extracted here, once, and decide which pages have a text layer. Drawing is left to
 * each page's `image()`, so a caller draws one page at a time.
 */
export async function documentPages(doc: IntakeDocument, bytes: Uint8Array, pdf: PdfDocument | null): Promise<DocumentPage[]> {
  if (doc.type !== 'pdf') return [{ kind: 'image', number: 1, image: async () => bytes, upload: { type: doc.type, bytes } }];
  if (!pdf) throw new Error("a PDF's pages come from the document intake opened");
  // Intake has already checked the page count; this is the only place text is extracted.
  const pageTexts = await pdf.pageTexts();
  return pageTexts.map((text, i): DocumentPage => {
    const number = i + 1;
    if (text.replace(/\s/g, '').length >= MIN_TEXT_LAYER_CHARS) {
      // Drawn once and kept (a PNG, not a canvas): the read stage looks for barcodes on it and the
      // render check reads its key lines.
      let drawn: Promise<Buffer> | null = null;
      const image = () => (drawn ??= pdf.renderPage(number));
      return {
        kind: 'text',
        number,
        text,
        image,
        lines: async () => (await pdf.textLines([number]))[0]!,
        placedText: () => pdf.placedText(number),
      };
    }
    return { kind: 'image', number, image: () => pdf.renderPage(number), upload: null };
  });
}

/** A stored document's page as a person is shown it, which is also what the OCR read before normalising. */
export interface ShownPage {
  mediaType: string;
  /** The page's width in pixels: word boxes on the page, and highlights, are in these. */
  width: number;
  /** True for a page drawn from the PDF on request (costly: worth keeping); false for the upload's own bytes. */
  drawn: boolean;
  /** The page as an encoded image, from the stored file. */
  image(file: Buffer, maxPixels: number): Promise<Buffer>;
}

/** How page `number` of a stored document is shown, without opening it: the photo as uploaded, or the PDF page drawn. */
export function shownPage(doc: IntakeDocument, number: number): ShownPage {
  if (doc.type !== 'pdf') return { mediaType: doc.mediaType, width: doc.pixels!.width, drawn: false, image: async (file) => file };
  return {
    mediaType: 'image/png',
    width: PDF_RENDER_WIDTH,
    drawn: true,
    image: (file, maxPixels) => withPdfDocument(file, maxPixels, (pdf) => pdf.renderPage(number)),
  };
}
