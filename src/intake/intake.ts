import { createHash } from 'node:crypto';
import { InputRejectedError } from '../errors/input-rejected-error.js';
import type { IntakeDocument, IntakeLimits } from '../domain/document.js';
import { blankImage, decodeOwn, untrustedImageSize } from '../documents/untrusted-image.js';
import { imageMetadata, pdfMetadata } from './document-metadata.js';
import { inspectPdfOnce, type PdfInspector } from './pdf-inspection.js';
import { MEDIA_TYPES, sniffType, type DocumentType } from './sniff.js';

// The intake stage's output is a domain type: the store validates stored outputs against it.
export { IntakeDocument } from '../domain/document.js';

const MB = 1024 * 1024;

/**
 * A receipt's type from its first bytes (at least SNIFF_BYTES of them, or the whole file), or the
 * refusal: lets an upload be refused before the rest of it is read.
 */
export function receiptType(head: Uint8Array): DocumentType {
  if (head.byteLength === 0) throw new InputRejectedError('UNREADABLE_DOCUMENT', 'The file is empty.');
  const type = sniffType(head);
  // The refusal never quotes the bytes: the file may be anything (a symlink to /etc/passwd).
  if (!type) throw new InputRejectedError('UNSUPPORTED_FILE', 'Only PDF, JPG and PNG files are accepted.');
  return type;
}

/** The refusal of a file over the size limit; `bytes` when its whole size is known. */
export function fileTooLarge(limit: number, bytes?: number): InputRejectedError {
  const limitMb = `${(limit / MB).toFixed(0)} MB`;
  const message =
    bytes === undefined
      ? `The file is larger than the ${limitMb} limit.`
      : `The file is ${(bytes / MB).toFixed(1)} MB; the limit is ${limitMb}.`;
  return new InputRejectedError('FILE_TOO_LARGE', message, bytes === undefined ? { limit } : { bytes, limit });
}

/**
 * The door: refuses anything that is not a readable PDF, JPEG or PNG within the limits, judged by
 * the bytes alone. Cheap checks first, so a hostile file costs little. A PDF is inspected by
 * `inspect`: the API's runs off its event loop; the pipeline's keeps the document open for the
 * stages after intake.
 */
export async function intakeDocument(
  bytes: Uint8Array,
  limits: IntakeLimits,
  inspect: PdfInspector = inspectPdfOnce,
): Promise<IntakeDocument> {
  if (bytes.byteLength > limits.maxFileBytes) throw fileTooLarge(limits.maxFileBytes, bytes.byteLength);
  const type = receiptType(bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const base = { type, mediaType: MEDIA_TYPES[type], sha256, byteLength: bytes.byteLength };

  if (type === 'pdf') {
    const pdf = await inspect(bytes, limits);
    return { ...base, pageCount: pdf.pageCount, pixels: null, metadata: pdfMetadata(bytes, pdf) };
  }
  const meta = await imageHeader(bytes);
  if (meta.width * meta.height > limits.maxPixels) {
    throw new InputRejectedError(
      'UNREADABLE_DOCUMENT',
      `The image is ${meta.width}×${meta.height} pixels; at most ${limits.maxPixels / 1e6} megapixels are accepted.`,
      { width: meta.width, height: meta.height, maxPixels: limits.maxPixels },
    );
  }
  return { ...base, pageCount: 1, pixels: meta, metadata: await imageMetadata(bytes) };
}

async function imageHeader(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  try {
    // Header only: the pixel limit must be checked before anything decodes the whole image.
    return await untrustedImageSize(bytes);
  } catch (error) {
    throw new InputRejectedError('UNREADABLE_DOCUMENT', 'The image is damaged and cannot be read.', {
      detail: error instanceof Error ? error.message : String(error),
    });
  }
}

/** A one-page PDF of nothing, enough to make pdf.js load and compile its code. */
const BLANK_PDF =
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
  '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

/**
 * Runs the door once on a blank PDF, PNG and JPEG before the first upload: in a fresh process the
 * first PDF costs ~75 ms more than the next (pdf.js loading), the first image ~6 ms (libvips, exifr).
 */
export async function warmUpIntake(limits: IntakeLimits, inspect: PdfInspector = inspectPdfOnce): Promise<void> {
  const png = await blankImage(8, 8).png().toBuffer();
  const jpeg = await decodeOwn(png).jpeg().toBuffer();
  for (const bytes of [Buffer.from(BLANK_PDF, 'latin1'), png, jpeg]) await intakeDocument(bytes, limits, inspect);
}
