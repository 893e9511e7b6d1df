import { z } from 'zod';

/** What a reviewer can do with a claim that needs review. */
export const REVIEW_ACTIONS = ['approve', 'reject', 'request_info'] as const;
export const ReviewAction = z.enum(REVIEW_ACTIONS);
export type ReviewAction = z.infer<typeof ReviewAction>;

/** The claim's status after each action. Asking the customer takes the claim out of the queue until they answer. */
export const STATUS_AFTER_REVIEW: Record<ReviewAction, string> = {
  approve: 'eligible',
  reject: 'not_eligible',
  request_info: 'awaiting_customer',
};

/** Fixed reason codes, so refusals can be counted and explained to customers the same way every time. */
export const REJECT_REASONS = {
  WARRANTY_EXPIRED: 'The warranty period is over',
  NOT_COVERED: 'The product, channel or region is not covered',
  ALTERED_DOCUMENT: 'The receipt or the product numbers were altered',
  DUPLICATE_CLAIM: 'The receipt or the product was already claimed',
  NO_PROOF_OF_PURCHASE: 'The document is not a valid proof of purchase',
  PRODUCT_MISMATCH: 'The claimed product is not the one on the receipt',
} as const;

export const INFO_REASONS = {
  RECEIPT_ILLEGIBLE: 'The receipt is not legible: send a clearer copy',
  RECEIPT_INCOMPLETE: 'The receipt lacks required items (date, retailer, model, serial)',
  SERIAL_LABEL_PHOTO: "A photo of the product's serial/IMEI label is needed",
  ORIGINAL_INVOICE: 'The original invoice is needed',
} as const;

export const RejectReason = z.enum(Object.keys(REJECT_REASONS) as [keyof typeof REJECT_REASONS, ...Array<keyof typeof REJECT_REASONS>]);
export const InfoReason = z.enum(Object.keys(INFO_REASONS) as [keyof typeof INFO_REASONS, ...Array<keyof typeof INFO_REASONS>]);

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD');

/** A reviewer's reading of the receipt's fields, replacing what the machine read; null: not on the receipt. */
export const FieldCorrections = z
  .object({
    purchaseDate: IsoDate.nullable(),
    retailer: z.string().trim().min(1).max(100).nullable(),
    model: z.string().trim().min(1).max(64).nullable(),
    serial: z.string().trim().min(1).max(64).nullable(),
    imei: z.string().trim().min(1).max(64).nullable(),
  })
  .partial()
  .strict();
export type FieldCorrections = z.infer<typeof FieldCorrections>;

export const ReviewDecision = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve'), note: z.string().max(2000).optional(), corrections: FieldCorrections.default({}) }),
  z.object({
    action: z.literal('reject'),
    reason: RejectReason,
    note: z.string().max(2000).optional(),
    corrections: FieldCorrections.default({}),
  }),
  z.object({
    action: z.literal('request_info'),
    reason: InfoReason,
    note: z.string().max(2000).optional(),
    corrections: FieldCorrections.default({}),
  }),
]);
export type ReviewDecision = z.infer<typeof ReviewDecision>;
