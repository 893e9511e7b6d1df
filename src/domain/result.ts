import { z } from 'zod';
import { Field } from './extraction.js';
import { Flag } from './flags.js';

export const ClaimStatus = z.enum(['eligible', 'not_eligible', 'needs_review', 'rejected_input']);
export type ClaimStatus = z.infer<typeof ClaimStatus>;

export const Warranty = z.object({
  family: z.string(),
  months: z.number().int().positive(),
  /** null when the purchase date is not known, so no expiry can be computed. */
  expires: z.string().nullable(),
  /** The policy-table rule that set the period, by id and clause. */
  rule: z.string(),
});
export type Warranty = z.infer<typeof Warranty>;

/** The result contract (shared/docs/result-contract.md). Change only by adding fields. */
export const ClaimResult = z.object({
  file: z.string().nullable(),
  claimId: z.string(),
  status: ClaimStatus,
  fields: z.object({
    purchaseDate: Field,
    retailer: Field,
    model: Field,
    serial: Field,
    imei: Field,
  }),
  warranty: Warranty.nullable(),
  flags: z.array(Flag),
  policyVersion: z.string(),
  /** sha256 of the receipt bytes, when there was a receipt. */
  documentHash: z.string().nullable(),
});
export type ClaimResult = z.infer<typeof ClaimResult>;
