import { z } from 'zod';

/**
 * The shape of a versioned policy table (warranty-rules.md §4). A table is data: every value a
 * decision depends on lives here with a stable rule id and the clause it comes from, so a reviewer
 * can see which rule decided a claim and an old claim can be re-run under a newer version.
 *
 * Patterns are regular-expression sources, matched case-insensitively.
 */

export const RegexSource = z
  .string()
  .min(1)
  .refine(compiles, { error: (issue) => `not a valid regular expression: ${String(issue.input)}` });

const RuleId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a rule id is lower case: letters, digits, dots, dashes (e.g. "period.phone")');

export const FamilyId = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a family id is lower case snake_case (e.g. "memory_card")');
const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an upper-case two-letter country code');
const Confidence = z.number().min(0).max(1);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD');

/** A rule: its id and the clause (source document and wording) it implements. */
const Rule = z.object({ id: RuleId, source: z.string().min(1) });

const PeriodRule = Rule.extend({ months: z.number().int().positive() });

/** What a receipt must show; `serialOrImei` is met by either number, `serial` only by a serial. */
export const ReceiptItem = z.enum(['purchaseDate', 'retailer', 'model', 'serialOrImei', 'serial']);
export type ReceiptItem = z.infer<typeof ReceiptItem>;

const Family = z.object({
  id: FamilyId,
  label: z.string().min(1),
  /**
   * Model-code patterns; the first family (in table order) with a matching pattern wins. Tables that
   * name a product-code grammar (`productCodes`) leave them out: the grammar assigns the family.
   */
  modelPatterns: z.array(RegexSource).min(1).optional(),
  requiredOnReceipt: z.array(ReceiptItem).min(1),
  period: PeriodRule,
  /** Models with a period of their own (e.g. memory-card lines); the first matching variant wins. */
  periodVariants: z.array(PeriodRule.extend({ modelPattern: RegexSource })).default([]),
  /**
   * A bought extension of the period: applies only when the receipt shows it, the retailer is one of
   * `retailerPatterns` and the claim is made in one of `claimCountries`.
   */
  extension: PeriodRule.extend({
    retailerPatterns: z.array(RegexSource).min(1),
    claimCountries: z.array(CountryCode).min(1),
  }).optional(),
});
export type Family = z.infer<typeof Family>;

const CoverageFlag = z.enum(['REGION_NOT_COVERED', 'PRODUCT_NOT_COVERED']);

const CoverageRule = z.discriminatedUnion('kind', [
  /** The model code must end with one of the suffixes (distribution region or sales channel). */
  Rule.extend({
    kind: z.literal('modelSuffix'),
    family: FamilyId,
    suffixes: z.array(z.string().min(1)).min(1),
    flag: CoverageFlag,
  }),
  /** The claim must be made in one of the countries. */
  Rule.extend({
    kind: z.literal('claimCountry'),
    family: FamilyId,
    countries: z.array(CountryCode).min(1),
    flag: CoverageFlag,
  }),
]);
export type CoverageRule = z.infer<typeof CoverageRule>;

const Checks = z.object({
  noReceipt: Rule,
  unknownProduct: Rule.extend({ requiredOnReceipt: z.array(ReceiptItem) }),
  requiredItems: Rule,
  serialConsistency: Rule,
  modelConsistency: Rule,
  dateConsistency: Rule,
  /**
   * How far each other date on the receipt may lie from its purchase date, in days [earliest,
   * latest], by the role its label gives it: an edited purchase date leaves the others behind.
   */
  receiptDates: Rule.extend({
    windows: z.partialRecord(
      z.enum(['purchase', 'payment', 'delivery', 'return_by', 'tse']),
      z.tuple([z.number().int(), z.number().int()]),
    ),
  }),
  imeiCheckDigit: Rule,
  /**
   * A serial read from the receipt that equals the form's except for characters OCR confuses is the
   * form's serial misread. Each group lists look-alikes; a pair beyond the comparison's own O/0 and
   * S/5 counts only where the family's serial grammar rules out what was read and allows what was
   * typed, at no more than `maxPositions` places. Absent in tables before 2026.4.
   */
  serialLookalikes: Rule.extend({
    groups: z.array(z.array(z.string().regex(/^[A-Z0-9]$/)).min(2)).min(1),
    maxPositions: z.number().int().positive(),
  }).optional(),
  /**
   * A serial or IMEI label printed with a number that could not be read, on a claim whose form
   * gives one: the comparison could not run, so the claim goes to review. Absent before 2026.5.
   */
  unreadIdentifier: Rule.optional(),
  /**
   * A model label printed with a code that could not be read as any model, on a claim whose form
   * gives a model: the comparison could not run, so the claim goes to review. Absent before 2026.7.
   */
  unreadModel: Rule.optional(),
  /**
   * A claim's documents show different purchase dates, serials/IMEIs or models: review, naming
   * both values. Absent before 2026.6 (claims had one document); without it the flag still stands.
   */
  documentsDisagree: Rule.optional(),
  /**
   * Print smaller in the customer's picture than the OCR reads reliably (median core height, i.e.
   * x-height or cap height, below `minCoreHeight` pixels) with a field the decision rests on missing
   * or read unsurely: SHARPER_PHOTO_NEEDED asks for a closer photo in place of LOW_CONFIDENCE for
   * those fields. Absent before 2026.7.
   */
  smallPrint: Rule.extend({ minCoreHeight: z.number().positive() }).optional(),
  futureDate: Rule,
  /**
   * A receipt field the decision depends on, read below this confidence, sends the claim to review.
   * Under a table that names a `confidenceCalibration` the confidence is the calibrated probability.
   */
  lowConfidence: Rule.extend({
    minConfidence: z.object({
      purchaseDate: Confidence,
      retailer: Confidence,
      model: Confidence,
      serial: Confidence,
      imei: Confidence,
    }),
  }),
});

const Threshold = Rule.extend({
  threshold: z.number().positive(),
  /** Counts only when another pixel signal on the same field crosses its threshold too (a weak signal alone). */
  corroborate: z.boolean().default(false),
});

/**
 * Fraud-signal thresholds (warranty-rules.md §3, "always excluded": altered data). Absent in tables
 * released before the signals existed; re-running a claim under such a table applies only the
 * signals it knew (file metadata, contradicting dates, exact duplicates).
 */
const Fraud = z.object({
  /** A receipt like an earlier claim's: enough fields agree and its numbers or its image confirm it. */
  duplicateReceipt: Rule.extend({
    /** Share of the compared fields (retailer, date, model, serial/IMEI) that must agree. */
    minFieldAgreement: Confidence,
    /** Overlap (Jaccard) of the receipts' numeric tokens that confirms the same slip. */
    minNumberOverlap: Confidence,
    /** Earlier receipts compared per claim, newest first: bounds the cost as claims grow. */
    maxCandidates: z.number().int().positive(),
    /**
     * Share of the sparser reading's numbers (not its date, not the shop's own) the other reading
     * must hold to confirm a copy whose numbers overlap too little (a poor re-photo reads fewer).
     * Absent before 2026.7: only the overlap or the unit confirms.
     */
    minNumbersHeld: Confidence.optional(),
    /**
     * How many numbers of six digits or more must be held to confirm that way; a sparser reading
     * with fewer to judge, on a receipt of the same shop and day, cannot rule the copy out and
     * goes to review. Set together with minNumbersHeld.
     */
    minHeldNumbers: z.number().int().positive().optional(),
  }).refine((rule) => (rule.minNumbersHeld === undefined) === (rule.minHeldNumbers === undefined), {
    message: 'minNumbersHeld and minHeldNumbers are set together',
  }),
  errorLevel: Threshold,
  background: Threshold,
  glyphGeometry: Threshold,
  pdfTextRender: Rule,
  /** Serial lengths per product family (e.g. 11 for mobiles, 15 otherwise); a 15-digit IMEI always passes. */
  serialFormat: Rule.extend({
    lengthsByFamily: z.record(FamilyId, z.array(z.number().int().positive()).min(1)),
    otherFamilies: z.array(z.number().int().positive()).min(1),
  }),
  /** Models that were not on sale before a date: an earlier purchase date on the receipt was altered. */
  modelReleases: Rule.extend({
    models: z.array(z.object({ modelPattern: RegexSource, notSoldBefore: IsoDate, note: z.string().min(1) })),
  }),
});
export type FraudPolicy = z.infer<typeof Fraud>;

export const PolicySchema = z
  .object({
    version: z.string().regex(/^\d{4}\.\d+$/, 'a policy version looks like "2026.1"'),
    effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD'),
    description: z.string(),
    /** Version of the product-code grammar (`product-codes/`) that assigns model codes to families. */
    productCodes: z
      .string()
      .regex(/^\d{4}\.\d+$/)
      .optional(),
    /**
     * Version of the confidence calibration (`calibration/`) that turns the extractor's scores into
     * probabilities of being right before they meet `checks.lowConfidence`. Absent before 2026.7:
     * the bar then applies to the raw scores.
     */
    confidenceCalibration: z
      .string()
      .regex(/^\d{4}\.\d+$/)
      .optional(),
    families: z.array(Family).min(1),
    coverage: z.array(CoverageRule),
    checks: Checks,
    fraud: Fraud.optional(),
    /**
     * How many days a customer asked for more has to answer, and after how many the one reminder
     * goes out; unanswered, the claim is closed (CUSTOMER_NO_RESPONSE). Absent before 2026.6: a
     * request then waits for the customer without a deadline.
     */
    customerResponse: Rule.extend({ days: z.number().int().positive(), reminderAfterDays: z.number().int().positive() })
      .refine((r) => r.reminderAfterDays < r.days, { error: 'the reminder must go out before the deadline', path: ['reminderAfterDays'] })
      .optional(),
  })
  .superRefine((policy, ctx) => {
    const familyIds = policy.families.map((f) => f.id);
    policy.families.forEach((family, i) => {
      if (!family.modelPatterns && !policy.productCodes) {
        ctx.addIssue({
          code: 'custom',
          path: ['families', i, 'modelPatterns'],
          message: `family "${family.id}" has no model patterns and the table names no product-code grammar`,
        });
      }
    });
    for (const id of duplicates(familyIds)) {
      ctx.addIssue({ code: 'custom', path: ['families'], message: `family id "${id}" is used more than once` });
    }
    policy.coverage.forEach((rule, i) => {
      if (!familyIds.includes(rule.family)) {
        ctx.addIssue({
          code: 'custom',
          path: ['coverage', i, 'family'],
          message: `coverage rule "${rule.id}" names family "${rule.family}", which the table does not define`,
        });
      }
    });
    for (const id of Object.keys(policy.fraud?.serialFormat.lengthsByFamily ?? {}).filter((f) => !familyIds.includes(f))) {
      ctx.addIssue({
        code: 'custom',
        path: ['fraud', 'serialFormat', 'lengthsByFamily', id],
        message: `serial lengths name family "${id}", which the table does not define`,
      });
    }
    for (const id of duplicates(allRuleIds(policy))) {
      ctx.addIssue({ code: 'custom', message: `rule id "${id}" is used more than once: a decision must name one rule` });
    }
  });
export type Policy = z.infer<typeof PolicySchema>;

function allRuleIds(policy: Pick<Policy, 'families' | 'coverage' | 'checks' | 'fraud' | 'customerResponse'>): string[] {
  return [
    ...policy.families.flatMap((f) => [f.period.id, ...f.periodVariants.map((v) => v.id), ...(f.extension ? [f.extension.id] : [])]),
    ...policy.coverage.map((c) => c.id),
    ...Object.values(policy.checks).map((c) => c.id),
    ...Object.values(policy.fraud ?? {}).map((c) => c.id),
    ...(policy.customerResponse ? [policy.customerResponse.id] : []),
  ];
}

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}
