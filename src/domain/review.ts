import { z } from 'zod';
import { CustomerRequest, RequestItemCode } from './customer-requests.js';
import { Field } from './extraction.js';
import { FlagCode } from './flags.js';
import { Warranty } from './result.js';
import { Box } from './text-layer.js';

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

/**
 * The flags that point to a rejection reason clearly enough to pre-select it in the reviewer's
 * dialog (the reviewer still confirms it). Reasons no flag can establish (NOT_COVERED, …) are never
 * pre-selected. What to ask the customer for is pre-ticked from the flags each item clears
 * (REQUEST_ITEMS).
 */
export const REASONS_SUGGESTED_BY: Partial<Record<keyof typeof REJECT_REASONS, FlagCode[]>> = {
  ALTERED_DOCUMENT: ['POSSIBLE_TAMPERING'],
  DUPLICATE_CLAIM: ['DUPLICATE_RECEIPT', 'DUPLICATE_SERIAL'],
  WARRANTY_EXPIRED: ['WARRANTY_EXPIRED'],
};

export const RejectReason = z.enum(Object.keys(REJECT_REASONS) as [keyof typeof REJECT_REASONS, ...Array<keyof typeof REJECT_REASONS>]);

const IsoDate = z.iso.date({ error: 'not a calendar date YYYY-MM-DD' });

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
    /** What the customer is asked for (the catalogue's codes); their words are kept with the request. */
    items: z
      .array(RequestItemCode)
      .min(1, { error: 'ask for at least one item' })
      .superRefine((items, ctx) => {
        const twice = items.find((code, i) => items.indexOf(code) !== i);
        if (twice) ctx.addIssue({ code: 'custom', message: `an item is asked for once: ${twice}` });
      }),
    /** Shown to the customer with the items. */
    note: z.string().max(2000).optional(),
    corrections: FieldCorrections.default({}),
  }),
]);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

// What the reviewer workbench's API answers with (/review/api; the routes' OpenAPI schemas), defined
// once: the services build these shapes and the browser UI reads them (ui/types.ts), by z.infer.

/** Who holds a claim's lease (reservation) and until when. */
export const LeaseHolder = z.object({ username: z.string(), expiresAt: z.string() });
export type LeaseHolder = z.infer<typeof LeaseHolder>;

/** A claim as the queue lists it. */
export const QueueItem = z.object({
  claimId: z.string(),
  requestNumber: z.string(),
  receivedAt: z.string(),
  ageHours: z.number(),
  overTarget: z.boolean().meta({ description: 'Older than the service-level target' }),
  family: z.string().nullable(),
  retailer: z.string().nullable(),
  flags: z.array(z.string()),
  lease: LeaseHolder.nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;

/** A place on a receipt page, in the page's own pixels (see ReceiptPage.coordinateWidth). */
export const Highlight = z.object({ page: z.number().int(), box: Box });
export type Highlight = z.infer<typeof Highlight>;

/**
 * A region of touching heat-map cells where the page's error level (or paper shade) stands out, on
 * the page as the reviewer sees it.
 */
export const HeatRegion = Highlight.extend({
  /** Its hottest cell, in times the sheet's typical cell, 4-9. */
  level: z.number().int().min(0).max(9),
  /** How many cells stand out in it. */
  cells: z.number().int().positive(),
});
export type HeatRegion = z.infer<typeof HeatRegion>;

export const ReceiptPage = z.object({
  /** The page's place among all the claim's pages: the documents' pages one after another, in the order they came. */
  number: z.number().int(),
  url: z.string(),
  /** Width of the page's coordinate space: highlights are in these pixels (scale by shown width / this). */
  coordinateWidth: z.number(),
  /** Of a claim with several documents: which one the page is of (0-based), and that said for people. */
  document: z.number().int().optional(),
  label: z.string().optional().meta({ description: 'e.g. "Document 2 of 2, added 30 Nov 2026 by the customer"' }),
});
export type ReceiptPage = z.infer<typeof ReceiptPage>;

/** A receipt field: what the machine read against what the customer typed. */
export const FieldView = z.object({
  name: z.string(),
  receipt: Field,
  /** What the customer typed (normalised); null when the form has no such field or it was left empty. */
  form: z.string().nullable(),
  disagrees: z.boolean(),
  highlight: Highlight.nullable(),
});
export type FieldView = z.infer<typeof FieldView>;

/** A flag with what a reviewer needs to judge it: where to look, and what the evidence means. */
export const FlagView = z.object({
  code: FlagCode,
  severity: z.string(),
  title: z.string(),
  message: z.string(),
  /** What to look at and why, in a reviewer's words. */
  details: z.array(z.string()),
  evidence: z.record(z.string(), z.unknown()),
  highlight: Highlight.nullable(),
  /** The earlier claim a duplicate points at, to be shown side by side. */
  earlierClaimId: z.string().nullable(),
  earlierClaim: z.object({ claimId: z.string(), requestNumber: z.string(), pages: z.array(ReceiptPage) }).nullable(),
  /** A failing IMEI, digit by digit: the check digit given and the one the first 14 digits call for. */
  imei: z.object({ digits: z.string(), checkDigit: z.number(), expectedCheckDigit: z.number() }).nullable(),
  /** A serial, IMEI or model that differs between form and receipt: the two lined up character by character. */
  mismatch: z
    .object({
      field: z.enum(['serial', 'imei', 'model']),
      form: z.string(),
      receipt: z.string(),
      characters: z.array(z.object({ form: z.string().nullable(), receipt: z.string().nullable(), lookalike: z.boolean() })),
    })
    .nullable(),
});
export type FlagView = z.infer<typeof FlagView>;

export const Assessment = z.object({
  status: z.string(),
  warranty: Warranty.nullable(),
  flags: z.array(FlagView),
  policyVersion: z.string(),
});
export type Assessment = z.infer<typeof Assessment>;

/** A claim with its evidence, as the workbench shows it. */
export const ClaimDetail = z.object({
  claimId: z.string(),
  requestNumber: z.string(),
  status: z.string(),
  receivedAt: z.string(),
  ageHours: z.number(),
  overTarget: z.boolean(),
  decidedBy: z.string().nullable(),
  file: z.string().nullable(),
  lease: LeaseHolder.extend({ mine: z.boolean() }).nullable(),
  form: z.record(z.string(), z.unknown()),
  pages: z.array(ReceiptPage),
  /** Why the receipt was refused, for a claim rejected at intake (the intake's reason, e.g. a photo too dark to read). */
  refusal: z.string().nullable(),
  fields: z.array(FieldView),
  assessment: Assessment,
  heat: z
    .array(HeatRegion)
    .describe(
      'Where the image may have been edited: the strongest regions of the error-level heat map, strongest first; empty unless a tampering signal was raised',
    ),
  history: z.array(z.object({ kind: z.string(), at: z.string(), data: z.unknown() })),
  /**
   * What the customer was asked for and by when: while the claim waits for them, and once it is back
   * in review with what they sent (`answeredBy`: the documents added since they were asked).
   */
  customerRequest: CustomerRequest.extend({
    answeredBy: z.array(z.object({ document: z.number().int().nonnegative(), file: z.string().nullable(), addedAt: z.string() })),
  }).nullable(),
});
export type ClaimDetail = z.infer<typeof ClaimDetail>;

/** Where a claim stands, without its evidence: what a read-only view polls while another reviewer holds the claim. */
export const ClaimState = ClaimDetail.pick({ status: true, decidedBy: true, lease: true });
export type ClaimState = z.infer<typeof ClaimState>;

/** The decision as it would be with the reviewer's corrections, and the fields it was made on. */
export const Preview = Assessment.extend({
  fields: z.record(z.string(), Field),
  /** Per field, whether the form and the field as corrected disagree, compared as the policy compares them (FieldView.disagrees). */
  disagreements: z.record(z.string(), z.boolean()),
});
export type Preview = z.infer<typeof Preview>;

/** How long the reviewer who decided may take the decision back, provided nothing happened to the claim since. */
export const UNDO_WINDOW_SECONDS = 10;

/** The claim's status after the reviewer's decision, and how long the reviewer may undo it. */
export const Decided = z.object({
  status: z.string(),
  undoSeconds: z.number().int().meta({ description: 'POST …/decision/undo within this many seconds takes the decision back' }),
});
export type Decided = z.infer<typeof Decided>;

/** A decision taken back: the claim needs review again, reserved for the reviewer who undid it. */
export const Undone = z.object({ status: z.literal('needs_review'), lease: LeaseHolder });
export type Undone = z.infer<typeof Undone>;
