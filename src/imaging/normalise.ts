import { InputRejectedError } from '../errors/input-rejected-error.js';
import { flattenIllumination } from './illumination.js';
import { analysePage } from './page-analysis.js';
import { decodeUntrusted, fromPixels, type Sharp } from '../documents/untrusted-image.js';

export interface NormalisedPage {
  /** Grayscale PNG ready for OCR; the original bytes are never changed. */
  png: Buffer;
  width: number;
  height: number;
  /** What was done, for the record and for mapping word boxes back to the original. */
  steps: { cropped: boolean; skewDegrees: number; scale: number };
  /** The geometric part of the steps, to lay other images of the original over this page. */
  geometry: PageGeometry;
}

/** Crop (in auto-oriented original pixels), deskew and final width that made the page. */
export interface PageGeometry {
  crop: { left: number; top: number; width: number; height: number } | null;
  skewDegrees: number;
  paperLevel: number;
  width: number;
}

/**
 * Applies a page's crop, deskew and scale to an image of the original's size (the original itself,
 * or a map computed from it), so its pixels line up with the OCR page and its word boxes.
 */
export async function applyGeometry(image: Sharp, geometry: PageGeometry): Promise<Sharp> {
  let out = image;
  if (geometry.crop) out = out.extract(geometry.crop);
  if (geometry.skewDegrees !== 0) {
    const level = geometry.paperLevel;
    // Rotated in a pipeline of its own: chained with resize, sharp sizes the output from the
    // unrotated image and clips the grown canvas (a 7° photo lost its right-hand column).
    const rotated = await out
      .rotate(-geometry.skewDegrees, { background: { r: level, g: level, b: level } })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = rotated.info;
    out = fromPixels(rotated.data, { width, height, channels });
  }
  return out.resize({ width: geometry.width });
}

/** Size of the canvas that holds a crop turned by `skewDegrees`. */
export function rotatedSize(crop: { width: number; height: number }, skewDegrees: number): { width: number; height: number } {
  const angle = (skewDegrees * Math.PI) / 180;
  const cos = Math.abs(Math.cos(angle));
  const sin = Math.abs(Math.sin(angle));
  return { width: crop.width * cos + crop.height * sin, height: crop.width * sin + crop.height * cos };
}

const ANALYSIS_WIDTH = 600;
/** Below these gray levels a photo is too dark, or too flat, for any OCR: ask for a new one. */
const MIN_BRIGHT_LEVEL = 60;
const MIN_CONTRAST = 40;

/**
 * Height of a text line (ascender to descender) to scale to. Measured on the dev photos and scans:
 * 20 px lines read as many fields as 34 px at two thirds of the OCR time; 16 px lost serials and models.
 */
const TARGET_LINE_HEIGHT = 20;
/**
 * Paper level is measured in squares of a few text lines, so none is all print: two on a photo of
 * the paper on a table, whose lamp spots and hand shadows are small; four on a page that fills the
 * picture (a scan gone yellow or grey unevenly), where at two a bold shop name was taken for shade
 * and washed out.
 */
const ILLUMINATION_CELL = { photographed: 2 * TARGET_LINE_HEIGHT, filling: 4 * TARGET_LINE_HEIGHT };
const MIN_WIDTH = 700;
const MAX_WIDTH = 1400;

/**
 * Where the paper is, how far it is skewed and what width it is scaled to: everything normalisePage
 * decides before it touches the full image. Computed from a small copy, so it is cheap enough to
 * recompute when word boxes on the normalised page have to be mapped back to the original.
 */
export interface NormalisationGeometry {
  /** The original's size after EXIF orientation. */
  width: number;
  height: number;
  /** The paper, with a margin, in original (oriented) pixels. */
  crop: { left: number; top: number; width: number; height: number };
  cropped: boolean;
  skewDegrees: number;
  targetWidth: number;
  /** Dark and bright gray levels (whether there is anything to read) and the paper's level (rotation background). */
  range: { dark: number; bright: number };
  paperLevel: number;
}

/** The page as the customer's camera or scanner made it, turned upright, in gray. */
const openPage = (bytes: Uint8Array, maxPixels: number) =>
  decodeUntrusted(bytes, { maxPixels, autoOrient: true, failOn: 'truncated' }).toColourspace('b-w');

export async function normalisationGeometry(bytes: Uint8Array, maxPixels: number): Promise<NormalisationGeometry> {
  const meta = await openPage(bytes, maxPixels).metadata();
  const { width, height } = meta.autoOrient;
  // Decoded twice on purpose: JPEG shrink-on-load makes the small analysis copy nearly free, and
  // no full-size raw buffer is held in memory between the two passes.
  const small = await openPage(bytes, maxPixels)
    .resize({ width: ANALYSIS_WIDTH })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const geometry = analysePage({ data: small.data, width: small.info.width, height: small.info.height });
  const toFull = width / small.info.width;
  const margin = Math.round(geometry.paper.width * 0.02);
  const crop = {
    left: Math.max(0, Math.round((geometry.paper.left - margin) * toFull)),
    top: Math.max(0, Math.round((geometry.paper.top - margin) * toFull)),
    width: 0,
    height: 0,
  };
  crop.width = Math.min(width - crop.left, Math.round((geometry.paper.width + 2 * margin) * toFull));
  crop.height = Math.min(height - crop.top, Math.round((geometry.paper.height + 2 * margin) * toFull));
  const lineHeightFull = geometry.lineHeight ? geometry.lineHeight * toFull : null;
  const turnedWidth = rotatedSize(crop, geometry.skewDegrees).width;
  const wanted = lineHeightFull ? (turnedWidth * TARGET_LINE_HEIGHT) / lineHeightFull : turnedWidth;
  return {
    width,
    height,
    crop,
    cropped: crop.width < width * 0.97 || crop.height < height * 0.97,
    skewDegrees: geometry.skewDegrees,
    targetWidth: Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, wanted))),
    range: geometry.range,
    paperLevel: geometry.paperLevel,
  };
}

/**
 * Prepares one page image for OCR: EXIF orientation, grayscale, crop to the paper, deskew, a scale
 * that brings text lines to the height the OCR engine reads best, and a contrast stretch.
 */
export async function normalisePage(bytes: Uint8Array, maxPixels: number): Promise<NormalisedPage> {
  try {
    const open = () => openPage(bytes, maxPixels);
    const { crop, cropped, skewDegrees, targetWidth, range, paperLevel } = await normalisationGeometry(bytes, maxPixels);
    const { dark, bright } = range;
    if (bright < MIN_BRIGHT_LEVEL || bright - dark < MIN_CONTRAST) {
      throw new InputRejectedError(
        'UNREADABLE_DOCUMENT',
        bright < MIN_BRIGHT_LEVEL
          ? 'The photo is too dark to read; please take it again in better light.'
          : 'The image has almost no contrast (blank or washed out); please upload a sharper copy.',
        { darkLevel: dark, brightLevel: bright },
      );
    }
    const scale = targetWidth / rotatedSize(crop, skewDegrees).width;

    const pageGeometry: PageGeometry = { crop: cropped ? crop : null, skewDegrees, paperLevel, width: targetWidth };
    const gray = await (await applyGeometry(open(), pageGeometry)).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    const { width, height } = gray.info;
    const flat = flattenIllumination(
      { data: gray.data, width, height },
      cropped ? ILLUMINATION_CELL.photographed : ILLUMINATION_CELL.filling,
    );
    const out = await (
      flat
        ? fromPixels(flat, { width, height, channels: 1 })
        : // Evenly lit (scans, faxes, screenshots): the analysis histogram's contrast stretch is all it needs.
          fromPixels(gray.data, { width, height, channels: 1 }).linear(255 / (bright - dark), (-255 * dark) / (bright - dark))
    )
      .png({ compressionLevel: 1 })
      .toBuffer({ resolveWithObject: true });
    return {
      png: out.data,
      width: out.info.width,
      height: out.info.height,
      steps: { cropped, skewDegrees, scale },
      geometry: pageGeometry,
    };
  } catch (error) {
    if (error instanceof InputRejectedError) throw error;
    throw new InputRejectedError('UNREADABLE_DOCUMENT', 'The image is damaged or incomplete and cannot be read.', {
      detail: error instanceof Error ? error.message : String(error),
    });
  }
}
