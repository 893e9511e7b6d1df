import type { Box } from '../domain/text-layer.js';
import { rotatedSize, type NormalisationGeometry } from './normalise.js';

/**
 * Maps a word box on the normalised page (the image the OCR read) back onto the original page, so a
 * reviewer sees the highlight on the photo as taken. Normalising crops to the paper, rotates by
 * -skew about the crop's centre (the canvas grows to hold the rotated crop) and scales the result
 * to the normalised size; this undoes the three in reverse. The result is the axis-aligned box
 * around the mapped corners, in the original's pixels after EXIF orientation (as browsers show it).
 */
export function boxOnOriginal(box: Box, geometry: NormalisationGeometry, normalised: { width: number; height: number }): Box {
  const corners = [
    [box[0], box[1]],
    [box[2], box[1]],
    [box[0], box[3]],
    [box[2], box[3]],
  ].map(([x, y]) => pointOnOriginal(x!, y!, geometry.crop, geometry.skewDegrees, normalised));
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const clampX = (x: number) => Math.min(geometry.width, Math.max(0, Math.round(x)));
  const clampY = (y: number) => Math.min(geometry.height, Math.max(0, Math.round(y)));
  return [clampX(Math.min(...xs)), clampY(Math.min(...ys)), clampX(Math.max(...xs)), clampY(Math.max(...ys))];
}

/**
 * A point of the normalised page in the original's pixels: the scale undone, then the turn by -skew
 * about the crop's centre (the canvas grew to hold the turned crop) turned back by +skew.
 */
export function pointOnOriginal(
  x: number,
  y: number,
  crop: { left: number; top: number; width: number; height: number },
  skewDegrees: number,
  normalised: { width: number; height: number },
): readonly [number, number] {
  const angle = (skewDegrees * Math.PI) / 180;
  const { width: rotatedWidth, height: rotatedHeight } = rotatedSize(crop, skewDegrees);
  const u = x / (normalised.width / rotatedWidth) - rotatedWidth / 2;
  const v = y / (normalised.height / rotatedHeight) - rotatedHeight / 2;
  // y points down, so a clockwise turn is positive.
  return [
    crop.left + crop.width / 2 + u * Math.cos(angle) - v * Math.sin(angle),
    crop.top + crop.height / 2 + u * Math.sin(angle) + v * Math.cos(angle),
  ];
}

/**
 * A point of the original (after EXIF orientation) on the normalised page: `pointOnOriginal`
 * undone, for something found on the original (a barcode) to sit where the OCR's words do.
 */
export function pointOnNormalised(
  x: number,
  y: number,
  crop: { left: number; top: number; width: number; height: number },
  skewDegrees: number,
  normalised: { width: number; height: number },
): readonly [number, number] {
  const angle = (skewDegrees * Math.PI) / 180;
  const { width: rotatedWidth, height: rotatedHeight } = rotatedSize(crop, skewDegrees);
  const dx = x - (crop.left + crop.width / 2);
  const dy = y - (crop.top + crop.height / 2);
  const u = dx * Math.cos(angle) + dy * Math.sin(angle);
  const v = -dx * Math.sin(angle) + dy * Math.cos(angle);
  return [(u + rotatedWidth / 2) * (normalised.width / rotatedWidth), (v + rotatedHeight / 2) * (normalised.height / rotatedHeight)];
}
