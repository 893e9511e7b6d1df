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

/**
 * Typed text without control characters (C0, DEL, C1: PostgreSQL cannot store NUL at all) or
 * bidirectional-text controls, which make a serial read differently on a reviewer's screen than it
 * is stored (U+202E shows "ABC<U+202E>321" as "ABC123").
 */
const PlainText = z
  .string()
  // eslint-disable-next-line no-control-regex -- the control characters are what this refuses
  .regex(/^[^\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$/, {
    message: 'must not contain control characters or bidirectional-text controls (such as U+0000 or U+202E)',
  });

/** What the customer typed on the claim form, as received (before any normalisation). */
export const ClaimForm = z.object({
  claimId: PlainText.min(1).max(200).optional(),
  serial: PlainText.max(64).optional(),
  imei: PlainText.max(64).optional(),
  model: PlainText.max(64).optional(),
  purchaseDate: IsoDate.optional(),
  country: Country.optional(),
  claimDate: IsoDate.optional(),
});
export type ClaimForm = z.infer<typeof ClaimForm>;
