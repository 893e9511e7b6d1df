/** The IJG reference luminance table (natural order) that libjpeg scales by the quality setting. */
const IJG_LUMINANCE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22,
  37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const IJG_SUM = IJG_LUMINANCE.reduce((s, v) => s + v, 0);

/**
 * The quality a JPEG was last saved at, estimated from its luminance quantisation table (the
 * IJG scaling most encoders use); null when the file has none. Error level analysis re-saves at
 * this quality, where untouched pixels change least.
 */
export function jpegQuality(bytes: Uint8Array): number | null {
  let at = 2;
  while (at + 4 < bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (marker === 0xda) break; // start of scan: no tables after this
    if (marker === 0xdb) {
      let p = at + 4;
      while (p < at + 2 + length) {
        const precision = bytes[p]! >> 4;
        const id = bytes[p]! & 0x0f;
        const size = precision ? 128 : 64;
        if (id === 0) {
          let sum = 0;
          for (let i = 0; i < 64; i++) sum += precision ? (bytes[p + 1 + 2 * i]! << 8) | bytes[p + 2 + 2 * i]! : bytes[p + 1 + i]!;
          // Table order (zig-zag) does not change the sum, so it compares with the reference's directly.
          const scale = (100 * sum) / IJG_SUM;
          const quality = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
          return Math.max(1, Math.min(100, Math.round(quality)));
        }
        p += 1 + size;
      }
    }
    at += 2 + length;
  }
  return null;
}
