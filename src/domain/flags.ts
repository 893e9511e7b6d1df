import { z } from 'zod';

/** Flag codes of the result contract. New codes may be added; these keep their meaning. */
export const FLAG_CODES = [
  'MISSING_PURCHASE_DATE',
  'MISSING_RETAILER',
  'MISSING_MODEL',
  'MISSING_SERIAL',
  'SERIAL_MISMATCH',
  'MODEL_MISMATCH',
  'DATE_MISMATCH',
  'INVALID_IMEI',
  'INVALID_SERIAL_FORMAT',
  'DUPLICATE_RECEIPT',
  'DUPLICATE_SERIAL',
  'POSSIBLE_TAMPERING',
  'LOW_CONFIDENCE',
  'FUTURE_DATE',
  'WARRANTY_EXPIRED',
  'REGION_NOT_COVERED',
  'PRODUCT_NOT_COVERED',
  'UNKNOWN_PRODUCT',
  'UNSUPPORTED_FILE',
  'FILE_TOO_LARGE',
  'UNREADABLE_DOCUMENT',
  // The claim form itself is malformed (wrong types, impossible dates): refused with the reasons.
  'INVALID_FORM_DATA',
  // Informational: the form held an O/0 or S/5 confusion that was normalised, not refused.
  'FORM_NORMALISED',
  // A check the policy needs (render check, pixel forensics, file metadata) could not run on the receipt.
  'CHECK_UNAVAILABLE',
  // The machine could not finish the claim (its receipt kept killing workers, a step failed for good).
  'PROCESSING_FAILED',
  // Informational: the receipt's serial, read with OCR look-alikes, was reconciled with the form's.
  'SERIAL_RECONCILED',
  // The customer did not answer a reviewer's request by the policy's deadline: the claim was closed.
  'CUSTOMER_NO_RESPONSE',
  // Two documents of one claim show different purchase dates, serials/IMEIs or models: a person picks.
  'DOCUMENTS_DISAGREE',
  // The print is too small in the customer's picture to read a field the decision needs: a sharper photo is asked for.
  'SHARPER_PHOTO_NEEDED',
] as const;

export const FlagCode = z.enum(FLAG_CODES);
export type FlagCode = z.infer<typeof FlagCode>;

export const Flag = z.object({
  code: FlagCode,
  message: z.string(),
  evidence: z.record(z.string(), z.unknown()).default({}),
});
export type Flag = z.infer<typeof Flag>;

/** How a flag weighs on the decision (warranty-rules.md §4, precedence). */
export type FlagSeverity = 'review' | 'refusal' | 'rejection' | 'info';

export const FLAG_SEVERITY: Record<FlagCode, FlagSeverity> = {
  MISSING_PURCHASE_DATE: 'review',
  MISSING_RETAILER: 'review',
  MISSING_MODEL: 'review',
  MISSING_SERIAL: 'review',
  SERIAL_MISMATCH: 'review',
  MODEL_MISMATCH: 'review',
  DATE_MISMATCH: 'review',
  INVALID_IMEI: 'review',
  INVALID_SERIAL_FORMAT: 'review',
  DUPLICATE_RECEIPT: 'review',
  DUPLICATE_SERIAL: 'review',
  POSSIBLE_TAMPERING: 'review',
  LOW_CONFIDENCE: 'review',
  FUTURE_DATE: 'review',
  UNKNOWN_PRODUCT: 'review',
  WARRANTY_EXPIRED: 'refusal',
  REGION_NOT_COVERED: 'refusal',
  PRODUCT_NOT_COVERED: 'refusal',
  UNSUPPORTED_FILE: 'rejection',
  FILE_TOO_LARGE: 'rejection',
  UNREADABLE_DOCUMENT: 'rejection',
  INVALID_FORM_DATA: 'rejection',
  FORM_NORMALISED: 'info',
  CHECK_UNAVAILABLE: 'review',
  PROCESSING_FAILED: 'review',
  SERIAL_RECONCILED: 'info',
  CUSTOMER_NO_RESPONSE: 'refusal',
  DOCUMENTS_DISAGREE: 'review',
  SHARPER_PHOTO_NEEDED: 'review',
};

export function flag(code: FlagCode, message: string, evidence: Record<string, unknown> = {}): Flag {
  return { code, message, evidence };
}
