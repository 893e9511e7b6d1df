import { z } from 'zod';

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD')
  .refine((d) => {
    const day = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(d);
  }, 'not a calendar date');
const Country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'expected a two-letter country code')
  .transform((c) => c.toUpperCase());

/** What the customer typed on the claim form, as received (before any normalisation). */
export const ClaimForm = z.object({
  claimId: z.string().min(1).max(200).optional(),
  serial: z.string().max(64).optional(),
  imei: z.string().max(64).optional(),
  model: z.string().max(64).optional(),
  purchaseDate: IsoDate.optional(),
  country: Country.optional(),
  claimDate: IsoDate.optional(),
});
export type ClaimForm = z.infer<typeof ClaimForm>;
