export type DocumentType = 'pdf' | 'jpeg' | 'png';

export const MEDIA_TYPES: Record<DocumentType, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** How many of a file's first bytes decide its type. */
export const SNIFF_BYTES = 1024;

/** The document type from its first bytes; a file's name or claimed type is never trusted. */
export function sniffType(bytes: Uint8Array): DocumentType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  // PDF readers accept the header anywhere in the first KiB; so do we, after optional junk/BOM.
  const head = Buffer.from(bytes.subarray(0, SNIFF_BYTES)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  return null;
}
