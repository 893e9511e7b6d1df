import { z } from 'zod';
import table from './retailers.json' with { type: 'json' };

/**
 * European retail chains (retailers.json): the names a receipt may carry its seller under, with
 * where each trades and what it sells. Validated at load; see the file's description and sources.
 */

const RetailerEntry = z.object({
  /** The value reported: the chain's brand name. */
  name: z.string().min(1),
  /** Other spellings as printed (matched case- and diacritic-insensitively, spaces and punctuation ignored). */
  aliases: z.array(z.string().min(1)).default([]),
  /** Names of its web addresses where they differ from the name and aliases ("netto-online" for netto-online.de). */
  web: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
  /** ISO country codes, or "EU" for chains across Europe. */
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
  kind: z.enum([
    'manufacturer',
    'electronics',
    'telecom',
    'online',
    'supermarket',
    'drugstore',
    'pharmacy',
    'diy',
    'department',
    'variety',
    'furniture',
    'fashion',
    'sports',
    'pets',
    'books',
  ]),
  /** A single-word name or alias that is also an ordinary word, first name or surname ("Power", "Otto", "Netto"). */
  commonWord: z.boolean().default(false),
  /** The manufacturer's own shop: rules (TV warranty extension) depend on telling it apart. */
  manufacturerShop: z.boolean().default(false),
});
export type RetailerEntry = z.infer<typeof RetailerEntry>;

const RetailerTable = z
  .object({ description: z.string().min(1), sources: z.array(z.string().min(1)).min(1), retailers: z.array(RetailerEntry).min(1) })
  .superRefine((t, ctx) => {
    const names = t.retailers.map((r) => r.name);
    for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i))) {
      ctx.addIssue({ code: 'custom', path: ['retailers'], message: `retailer "${name}" is listed more than once` });
    }
  });

export const RETAILERS: readonly RetailerEntry[] = RetailerTable.parse(table).retailers;
