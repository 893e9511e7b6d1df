import { z } from 'zod';
import type { IntakeDocument } from './document.js';
import { FIELD_NAMES, type Extraction } from './extraction.js';
import { Box } from './text-layer.js';

/** The key fields whose pixels are examined: the ones a fraudster edits to revive a claim. */
export const KEY_FIELDS = ['purchaseDate', 'serial', 'imei', 'model'] as const satisfies readonly (typeof FIELD_NAMES)[number][];
export const KeyField = z.enum(KEY_FIELDS);
export type KeyField = z.infer<typeof KeyField>;

/**
 * Pixel evidence around one key field on an image page. Each score is a ratio or distance against
 * the field's own neighbourhood on the same page, so a reviewer can look at both and judge; null
 * when the page gives nothing to compare (no neighbours, not a JPEG).
 */
export const FieldForensics = z.object({
  field: KeyField,
  page: z.number().int().positive(),
  box: Box,
  /** JPEG error level in the field's box over the median of the page's other words (1 = alike). */
  errorLevel: z.number().nullable(),
  /** Paper level under the field against the paper around it, in units of the paper's noise. */
  background: z.number().nullable(),
  /** Relative deviation of the field's character height or baseline from its neighbours. */
  glyphGeometry: z.number().nullable(),
});
export type FieldForensics = z.infer<typeof FieldForensics>;

/** A coarse map of how unusual each cell of a page is (0–9 per cell, row by row), for the review page. */
export const Heatmap = z.object({
  page: z.number().int().positive(),
  cellSize: z.number().int().positive(),
  columns: z.number().int().nonnegative(),
  rows: z.array(z.string()),
});
export type Heatmap = z.infer<typeof Heatmap>;

/** A text-layer PDF's key values checked against what its rendered page visibly shows. */
export const RenderCheck = z.object({
  field: KeyField,
  textLayer: z.string(),
  /** Whether OCR of the rendered page shows the value (within one OCR error). */
  visible: z.boolean(),
});
export type RenderCheck = z.infer<typeof RenderCheck>;

/**
 * What one document contributes to fraud detection, computed once in the parallel read step and
 * judged later against the policy and earlier claims.
 */
export const DocumentSignals = z.object({
  /** 256-bit difference hash of the first page (hex); a weak similarity hint, never proof alone. */
  imageHash: z.string().nullable(),
  /** Numeric tokens of the receipt (till/receipt numbers, times, amounts): its content fingerprint. */
  numbers: z.array(z.string()),
  fields: z.array(FieldForensics),
  heatmap: Heatmap.nullable(),
  renderChecks: z.array(RenderCheck),
  /**
   * Checks that could not run on this document (on one page of it, when `page` is set), with why:
   * their absence is not evidence of a clean file, and a decision that needs one goes to review.
   */
  unavailable: z.array(z.object({ check: z.string(), reason: z.string(), page: z.number().int().positive().optional() })),
});
export type DocumentSignals = z.infer<typeof DocumentSignals>;

/** What a receipt is recognised by when it comes back re-photographed, re-scanned or re-saved. */
export const ReceiptFingerprint = z.object({
  retailer: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  model: z.string().nullable(),
  /** The serial or IMEI the receipt prints, normalised. */
  unit: z.string().nullable(),
  numbers: z.array(z.string()),
  imageHash: z.string().nullable(),
});
export type ReceiptFingerprint = z.infer<typeof ReceiptFingerprint>;

/** A receipt's fingerprint and the blocking keys later claims find it by, stored with the decision. */
export interface FingerprintEntry {
  fingerprint: ReceiptFingerprint;
  blocks: string[];
}

/** What a claim is known by, for duplicate look-ups: a serial or IMEI, the receipt's bytes, its content. */
export type IdentifierKind = 'serial' | 'receipt_hash' | 'receipt_content';
export interface ClaimIdentifier {
  kind: IdentifierKind;
  value: string;
}

export interface EarlierClaim {
  kind: IdentifierKind;
  value: string;
  claimId: string;
  requestNumber: string;
  file: string | null;
}

/** An earlier claim whose receipt fingerprint shares a blocking key with this one's. */
export interface FingerprintCandidate {
  claimId: string;
  requestNumber: string;
  file: string | null;
  fingerprint: ReceiptFingerprint;
}

/** What one of a claim's documents contributes to its decision: its stages' outputs. */
export interface DocumentEvidence {
  /** Its place among the claim's documents: 0 is the first upload. */
  document: number;
  doc: IntakeDocument;
  /** null where the document's text was not extracted (stored before extraction was kept). */
  extraction: Extraction | null;
  /** null where the document was not read by this code (stored before signals were). */
  signals: DocumentSignals | null;
}
