import { crc32 } from 'node:zlib';
import { InputRejectedError } from '../errors/input-rejected-error.js';
import type { IntakeDocument } from './intake.js';

const damaged = (reason: string) =>
  new InputRejectedError('UNREADABLE_DOCUMENT', 'The image is damaged or incomplete and cannot be read.', { detail: reason });

const isRestartMarker = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

/** Walks a JPEG's segments from SOI to EOI, skipping entropy-coded data after each SOS. */
function checkJpeg(bytes: Buffer): void {
  let at = 2;
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) throw damaged(`no JPEG marker at byte ${at}`);
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd9) return;
    if (isRestartMarker(marker) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (at + 4 > bytes.length) break;
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2) throw damaged(`JPEG segment 0x${marker.toString(16)} at byte ${at} has length ${length}`);
    at += 2 + length;
    if (marker !== 0xda) continue;
    // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker.
    for (;;) {
      at = bytes.indexOf(0xff, at);
      if (at < 0 || at + 1 >= bytes.length) throw damaged('the JPEG ends inside its image data');
      const next = bytes[at + 1]!;
      if (next !== 0x00 && next !== 0xff && !isRestartMarker(next)) break;
      at += next === 0xff ? 1 : 2;
    }
  }
  throw damaged('the JPEG ends before its end marker');
}

/** Walks a PNG's chunks: every CRC must match, and the last chunk must be IEND. */
function checkPng(bytes: Buffer): void {
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const end = at + 8 + length;
    if (end + 4 > bytes.length) break;
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (crc32(bytes.subarray(at + 4, end)) !== bytes.readUInt32BE(end)) throw damaged(`PNG chunk ${type} at byte ${at} fails its CRC`);
    if (type === 'IEND') return;
    at = end + 4;
  }
  throw damaged('the PNG ends before its IEND chunk');
}

/**
 * Checks an image's container without decoding its pixels, so the door answers within a
 * millisecond or two: a JPEG must walk from its start through every segment to its end marker, a
 * PNG's chunks must each pass their CRC and end in IEND. A half-uploaded or damaged file is
 * refused while its sender is still waiting; pixel data broken in a way the container does not
 * show is caught by the worker's decode, which records the claim as rejected_input with the
 * reason. PDFs were parsed by intake.
 */
export function assertIntactImage(doc: IntakeDocument, bytes: Uint8Array): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (doc.type === 'jpeg') checkJpeg(buffer);
  else if (doc.type === 'png') checkPng(buffer);
}
