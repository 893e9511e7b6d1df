import sharp, { type Sharp } from 'sharp';

/**
 * The one module that imports sharp. A customer's file is decoded only by `decodeUntrusted` (its
 * pixels) or `untrustedImageSize` (its header), so the limits every decode of an upload runs under
 * are set here and nowhere else. Images we made ourselves (normalised pages, PDF pages drawn by
 * pdf.js, maps computed from pixels) are opened with `decodeOwn` and `fromPixels`.
 */
export type { Sharp };

// One libvips thread and no operation cache: OCR workers own the cores and most of the memory; a
// page is decoded once per pass and never again, so a cache would only hold memory.
sharp.concurrency(1);
sharp.cache(false);

export interface UntrustedDecoding {
  /** The configured pixel limit: libvips refuses a larger image before decoding its pixels. */
  maxPixels: number;
  /**
   * Turn the pixels by the EXIF orientation, as a person sees the photo. Each caller says so: the
   * OCR page and the pixel forensics both need it, so that their pixels and word boxes line up.
   */
  autoOrient: boolean;
  /**
   * What damage to the pixel data stops the decode. 'truncated' for the OCR page: a file cut short
   * is refused, and one whose decoder only warns (corrupt entropy data) is read as far as it goes.
   * 'warning' for pixel forensics: any decoder warning stops it, and the check is recorded as
   * unavailable rather than judged on damaged pixels.
   */
  failOn: 'truncated' | 'warning';
}

/**
 * A customer's image (or a page image drawn from a customer's PDF), opened for decoding under the
 * limits every upload gets:
 * - `limitInputPixels` is the configured pixel limit, not sharp's own 268 megapixels;
 * - `failOn` is never looser than 'truncated': a half-uploaded file is refused instead of read as
 *   its grey remainder;
 * - `sequentialRead` (sharp's default, stated): the file is decoded top to bottom in strips, and
 *   libvips switches to random access by itself where an operation needs it (a rotation), so the
 *   pixels never depend on it.
 */
export function decodeUntrusted(bytes: Uint8Array, decoding: UntrustedDecoding): Sharp {
  return sharp(bytes, {
    limitInputPixels: decoding.maxPixels,
    failOn: decoding.failOn,
    sequentialRead: true,
    autoOrient: decoding.autoOrient,
  });
}

/**
 * A customer's image's size after EXIF orientation, from its header alone: the door checks it
 * against the pixel limit before anything decodes the image, so no pixel limit applies here.
 * Throws for a file whose header gives no size.
 */
export async function untrustedImageSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  const { width, height } = meta.autoOrient ?? meta;
  if (!width || !height) throw new Error('no dimensions');
  return { width, height };
}

/** An image this program encoded itself (a normalised page, a drawn PDF page, a re-saved copy). */
export function decodeOwn(bytes: Uint8Array): Sharp {
  return sharp(bytes);
}

/** Raw pixels this program holds (a decoded page, a map computed from one, a canvas pdf.js drew on). */
export function fromPixels(data: Uint8Array, raw: { width: number; height: number; channels: 1 | 2 | 3 | 4 }): Sharp {
  return sharp(data, { raw });
}

/** A plain white RGB image, to warm the decoders up with. */
export function blankImage(width: number, height: number): Sharp {
  return sharp({ create: { width, height, channels: 3, background: '#fff' } });
}
