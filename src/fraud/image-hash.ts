import { decodeOwn } from '../documents/untrusted-image.js';

/**
 * 256-bit difference hash (16×16 brightness gradients) of a page image, hex. Robust to re-saving,
 * scaling and light; but different receipts of one layout hash alike, so it only ever supports
 * other evidence.
 */
export async function imageHash(png: Uint8Array): Promise<string> {
  const { data } = await decodeOwn(png).toColourspace('b-w').resize(17, 16, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  let hex = '';
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 16; x += 4) {
      let nibble = 0;
      for (let k = 0; k < 4; k++) nibble = (nibble << 1) | (data[y * 17 + x + k]! > data[y * 17 + x + k + 1]! ? 1 : 0);
      hex += nibble.toString(16);
    }
  }
  return hex;
}

/** Share of differing bits between two hashes of equal length, 0..1. */
export function hashDistance(a: string, b: string): number {
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    for (; x; x >>= 1) bits += x & 1;
  }
  return bits / (4 * a.length);
}
