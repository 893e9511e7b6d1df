import { z } from 'zod';
import { Extraction, Field } from './extraction.js';
import { Flag } from './flags.js';
import { ClaimStatus, Warranty } from './result.js';

/** The claim form after intake validation: upper-cased, confusions normalised, defaults applied. */
export const NormalisedForm = z.object({
  serial: z.string().nullable(),
  imei: z.string().nullable(),
  model: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  country: z.string().length(2),
  claimDate: z.string(),
  /** Notes and problems found while validating the form (FORM_NORMALISED, INVALID_IMEI, …). */
  flags: z.array(Flag),
});
export type NormalisedForm = z.infer<typeof NormalisedForm>;

export const AssessInput = z.object({
  form: NormalisedForm,
  /** null when the claim came without a receipt: nothing can be proven, so it goes to review. */
  extraction: Extraction.nullable(),
  /** Fraud and duplicate signals found by earlier stages, already as flags with evidence. */
  signals: z.array(Flag),
});
export type AssessInput = z.infer<typeof AssessInput>;

export const Decision = z.object({
  status: ClaimStatus,
  warranty: Warranty.nullable(),
  flags: z.array(Flag),
  policyVersion: z.string(),
  /**
   * Receipt fields the policy reads otherwise than the extraction did, source kept: a serial
   * reconciled with the form; from 2026.7 every read field with its confidence calibrated.
   */
  reconciledFields: z.object({ purchaseDate: Field, retailer: Field, model: Field, serial: Field, imei: Field }).partial().optional(),
});
export type Decision = z.infer<typeof Decision>;
