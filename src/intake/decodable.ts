import sharp from 'sharp';
import { InputRejectedError } from '../errors/input-rejected-error.js';
import type { IntakeDocument } from './intake.js';

/**
 * Decodes an image all the way through, so a half-uploaded or damaged file is refused while its
 * sender is still waiting for the answer, not later in a worker. A JPEG is decoded at 1/8 scale
 * (libjpeg's shrink-on-load), which still reads every entropy-coded block; PDFs were parsed by intake.
 */
export async function assertDecodable(doc: IntakeDocument, bytes: Uint8Array): Promise<void> {
  if (doc.type === 'pdf') return;
  try {
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: false })
      .resize({ width: Math.max(1, Math.floor((doc.pixels?.width ?? 8) / 8)), fastShrinkOnLoad: true })
      .raw()
      .toBuffer();
  } catch (error) {
    throw new InputRejectedError('UNREADABLE_DOCUMENT', 'The image is damaged or incomplete and cannot be read.', {
      detail: error instanceof Error ? error.message : String(error),
    });
  }
}
