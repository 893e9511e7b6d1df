import { z } from 'zod';
import { Box, TextSize } from './text-layer.js';

/** One extracted field: normalised value, how sure we are, and the text it came from. */
export const Field = z.object({
  value: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  source: z.string().nullable(),
  /** Where on the page the source text is, for the review UI (page number, box). */
  location: z.object({ page: z.number().int().positive(), box: Box }).nullable().optional(),
  /** Which of the claim's documents (0-based, in the order they were added) the value came from. */
  document: z.number().int().nonnegative().optional(),
  /** How the value was read when not by OCR or a text layer: decoded from a barcode symbology in `source`. */
  via: z.enum(['barcode']).optional(),
});
export type Field = z.infer<typeof Field>;

export const FIELD_NAMES = ['purchaseDate', 'retailer', 'model', 'serial', 'imei'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

export const Extraction = z.object({
  purchaseDate: Field,
  retailer: Field,
  model: Field,
  serial: Field,
  imei: Field,
  /** Facts beyond the contract's five fields that rules need (e.g. a TV warranty extension line). */
  facts: z.object({
    extendedWarranty: z.boolean(),
    /** Every date the receipt shows, ISO, with its role guess; used for consistency checks. */
    otherDates: z.array(z.object({ value: z.string(), role: z.string(), source: z.string() })),
    /** Whether the text was read by OCR or taken from a PDF's text layer (exact: nothing misread). */
    textSource: z.enum(['pdf-text', 'ocr']).optional(),
    /**
     * Serial or IMEI labels the receipt prints with no readable number after them: the number is
     * there, so a form's number cannot be said to match it. Absent before extract-3.
     */
    unreadIdentifiers: z
      .array(z.object({ kind: z.enum(['serial', 'imei']), source: z.string(), location: Field.shape.location }))
      .optional(),
    /**
     * A model label the receipt prints with a code after it that fits no family's naming even
     * repaired: a model is there, so a form's model cannot be said to match it. Absent before extract-5.
     */
    unreadModel: z.object({ source: z.string(), location: Field.shape.location }).optional(),
    /**
     * The largest print of the document's OCR pages, in the customer's picture's pixels: whether
     * what could not be read was too small in the picture itself. Absent on text-layer PDFs, where
     * no page could be measured, and before extract-5.
     */
    textSize: TextSize.extend({ page: z.number().int().positive() }).optional(),
  }),
});
export type Extraction = z.infer<typeof Extraction>;

export const EMPTY_FIELD: Field = { value: null, confidence: 0, source: null };
