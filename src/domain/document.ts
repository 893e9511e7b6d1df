import { z } from 'zod';

/** What the file says about its own making: the raw material of the tamper signals. */
export const DocumentMetadata = z.object({
  software: z.string().nullable(),
  created: z.string().nullable(),
  modified: z.string().nullable(),
  /** PDF only: how many times the file was saved incrementally after it was first written. */
  incrementalUpdates: z.number().int().nonnegative(),
  /** Why the file's own metadata could not be read; absent when it was read (or the file has none). */
  unreadable: z.string().optional(),
});
export type DocumentMetadata = z.infer<typeof DocumentMetadata>;

/** The intake stage's output: what the receipt is, judged by its bytes alone (src/intake/intake.ts). */
export const IntakeDocument = z.object({
  type: z.enum(['pdf', 'jpeg', 'png']),
  mediaType: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  byteLength: z.number().int().nonnegative(),
  pageCount: z.number().int().positive(),
  /** Pixel size of an image (after EXIF orientation); null for PDFs. */
  pixels: z.object({ width: z.number(), height: z.number() }).nullable(),
  metadata: DocumentMetadata,
});
export type IntakeDocument = z.infer<typeof IntakeDocument>;

/** What the door accepts: file size, decoded pixels, PDF pages. */
export const IntakeLimits = z.object({
  maxFileBytes: z.number().int().positive(),
  maxPixels: z.number().int().positive(),
  maxPdfPages: z.number().int().positive(),
});
export type IntakeLimits = z.infer<typeof IntakeLimits>;
