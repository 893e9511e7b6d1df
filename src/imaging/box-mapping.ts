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
  const { crop } = geometry;
  const angle = (geometry.skewDegrees * Math.PI) / 180;
  const { width: rotatedWidth, height: rotatedHeight } = rotatedSize(crop, geometry.skewDegrees);
  const scaleX = normalised.width / rotatedWidth;
  const scaleY = normalised.height / rotatedHeight;
  const centreX = crop.left + crop.width / 2;
  const centreY = crop.top + crop.height / 2;
  const corners = [
    [box[0], box[1]],
    [box[2], box[1]],
    [box[0], box[3]],
    [box[2], box[3]],
  ].map(([x, y]) => {
    const u = x! / scaleX - rotatedWidth / 2;
    const v = y! / scaleY - rotatedHeight / 2;
    // The page was turned by -skew (clockwise positive, y pointing down): turn it back by +skew.
    return [centreX + u * Math.cos(angle) - v * Math.sin(angle), centreY + u * Math.sin(angle) + v * Math.cos(angle)] as const;
  });
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const clampX = (x: number) => Math.min(geometry.width, Math.max(0, Math.round(x)));
  const clampY = (y: number) => Math.min(geometry.height, Math.max(0, Math.round(y)));
  return [clampX(Math.min(...xs)), clampY(Math.min(...ys)), clampX(Math.max(...xs)), clampY(Math.max(...ys))];
}
