import exifr from 'exifr';
import type { DocumentMetadata } from '../domain/document.js';
import type { PdfInfo } from '../documents/pdf-document.js';

export { DocumentMetadata } from '../domain/document.js';

const iso = (value: unknown): string | null => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : null);

/**
 * EXIF and XMP of a photo or scan. Metadata that cannot be parsed is recorded as unreadable, not
 * taken for absent: a broken EXIF block is also how an editor's name would be hidden.
 */
export async function imageMetadata(bytes: Uint8Array): Promise<DocumentMetadata> {
  let tags: Record<string, unknown> | undefined;
  let unreadable: string | undefined;
  try {
    tags = (await exifr.parse(Buffer.from(bytes), { tiff: true, exif: true, xmp: true, icc: false, iptc: false, mergeOutput: true })) as
      Record<string, unknown> | undefined;
  } catch (error) {
    unreadable = error instanceof Error ? error.message : String(error);
  }
  const software = [tags?.Software, tags?.CreatorTool, tags?.ProcessingSoftware].find((v) => typeof v === 'string');
  return {
    software: software ?? null,
    created: iso(tags?.DateTimeOriginal ?? tags?.CreateDate),
    modified: iso(tags?.ModifyDate ?? tags?.MetadataDate),
    incrementalUpdates: 0,
    ...(unreadable !== undefined && { unreadable }),
  };
}

export function pdfMetadata(bytes: Uint8Array, facts: PdfInfo): DocumentMetadata {
  // Each incremental save appends a new trailer ending in %%EOF.
  const eofMarkers = Buffer.from(bytes).toString('latin1').match(/%%EOF/g)?.length ?? 1;
  const software = [facts.producer, facts.creator].filter(Boolean).join(' / ');
  return {
    software: software || null,
    created: facts.created,
    modified: facts.modified,
    incrementalUpdates: Math.max(0, eofMarkers - 1),
  };
}
