import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { InputRejectedError } from '../errors/input-rejected-error.js';

/**
 * An XMP packet is a few KiB (tens with a thumbnail): one that inflates past this is a bomb. pdf.js
 * inflates the whole stream into memory at once when it reads the metadata.
 */
export const MAX_METADATA_BYTES = 4 * 1024 * 1024;

const megapixels = (pixels: number) => `${Math.round(pixels / 1e6)} megapixels`;

/**
 * What drawing and reading a PDF would cost, judged from its objects without decoding a stream
 * (pdf-lib keeps streams as they are in the file): each embedded image's declared size, and the
 * size the metadata stream inflates to (inflated only up to the limit). pdf.js decodes an image
 * whole before it draws it scaled down, so a 20000² image costs hundreds of megabytes whatever the
 * page size; image streams are never inside object streams, so every one is found here.
 */
export async function checkPdfStructure(bytes: Uint8Array, limits: { maxPixels: number }, pageCount: number): Promise<void> {
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch (error) {
    // Refused rather than passed: an image bomb that hides from the check must not get through it.
    throw new InputRejectedError('UNREADABLE_DOCUMENT', 'The PDF is damaged or incomplete and cannot be read.', {
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  // Each page may carry one image as large as an accepted photo.
  const maxImagePixels = limits.maxPixels * pageCount;
  let imagePixels = 0;
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || object.dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    const width = object.dict.lookup(PDFName.of('Width'));
    const height = object.dict.lookup(PDFName.of('Height'));
    // pdf.js draws nothing for an image without numeric dimensions.
    if (!(width instanceof PDFNumber) || !(height instanceof PDFNumber)) continue;
    const pixels = width.asNumber() * height.asNumber();
    if (pixels > limits.maxPixels) {
      throw new InputRejectedError(
        'UNREADABLE_DOCUMENT',
        `The PDF embeds an image of ${width.asNumber()}×${height.asNumber()} pixels (${megapixels(pixels)}); ` +
          `at most ${megapixels(limits.maxPixels)} are accepted.`,
        { limit: 'image_pixels', width: width.asNumber(), height: height.asNumber(), maxPixels: limits.maxPixels },
      );
    }
    imagePixels += pixels;
    if (imagePixels > maxImagePixels) {
      throw new InputRejectedError(
        'UNREADABLE_DOCUMENT',
        `The PDF's images have more than ${megapixels(maxImagePixels)} together; at most ${megapixels(limits.maxPixels)} a page are accepted.`,
        { limit: 'document_image_pixels', maxPixels: maxImagePixels },
      );
    }
  }
  checkMetadataSize(pdf);
}

/** Inflates a Flate-encoded metadata stream up to the limit: pdf.js would inflate it whole on this thread. */
function checkMetadataSize(pdf: PDFDocument): void {
  const metadata = pdf.catalog.lookup(PDFName.of('Metadata'));
  if (!(metadata instanceof PDFRawStream)) return;
  const filter = metadata.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
  if (filters.length !== 1 || filters[0] !== PDFName.of('FlateDecode')) return;
  try {
    inflateSync(metadata.contents, { maxOutputLength: MAX_METADATA_BYTES });
  } catch (error) {
    // A stream that does not inflate (encrypted, damaged) is pdf.js's to skip; only the size is judged here.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') return;
    throw new InputRejectedError(
      'UNREADABLE_DOCUMENT',
      `The PDF's metadata stream inflates to more than ${MAX_METADATA_BYTES / 1024 / 1024} MiB; a receipt's is a few KiB.`,
      { limit: 'metadata_bytes', maxBytes: MAX_METADATA_BYTES },
    );
  }
}
