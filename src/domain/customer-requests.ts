import { z } from 'zod';
import { flag, FlagCode } from './flags.js';
import type { ClaimResult } from './result.js';

/**
 * What a reviewer can ask the customer for, each with the words the customer is shown and the
 * flags its answer would clear. A flag is cleared by one item at most, so pre-ticking the items a
 * claim's flags point at never asks twice for one problem.
 */
export const REQUEST_ITEMS = {
  SHARPER_PHOTO: {
    label: 'A sharper photo of the whole receipt: flat, in good light, every edge in the picture',
    clears: ['LOW_CONFIDENCE', 'SHARPER_PHOTO_NEEDED', 'UNREADABLE_DOCUMENT', 'MISSING_PURCHASE_DATE', 'MISSING_RETAILER'],
  },
  MODEL_SERIAL_PAGE: {
    label: 'The page of the receipt or invoice that shows the product’s model and serial number',
    clears: ['MISSING_MODEL', 'MODEL_MISMATCH', 'UNKNOWN_PRODUCT'],
  },
  SERIAL_LABEL_PHOTO: {
    label: 'A photo of the serial number label on the device or its box, with its barcode readable',
    clears: ['MISSING_SERIAL', 'SERIAL_MISMATCH', 'INVALID_SERIAL_FORMAT', 'INVALID_IMEI'],
  },
  RETAILER_PROOF_OF_PURCHASE: {
    label: 'Proof of purchase from the retailer, such as the order confirmation or the invoice they sent',
    clears: ['DATE_MISMATCH', 'FUTURE_DATE', 'DUPLICATE_RECEIPT'],
  },
  UNALTERED_ORIGINAL: {
    label: 'The original receipt file, unedited, exactly as the retailer issued it',
    clears: ['POSSIBLE_TAMPERING', 'CHECK_UNAVAILABLE'],
  },
} as const satisfies Record<string, { label: string; clears: readonly FlagCode[] }>;

export type RequestItemCode = keyof typeof REQUEST_ITEMS;
export const RequestItemCode = z.enum(Object.keys(REQUEST_ITEMS) as [RequestItemCode, ...RequestItemCode[]], {
  error: (issue) => `not an item that can be asked for: ${String(issue.input)}; one of ${Object.keys(REQUEST_ITEMS).join(', ')}`,
});

/** An item as the request records it: the words the customer was shown, kept with the request. */
export const RequestItem = z.object({ code: RequestItemCode, label: z.string(), clears: z.array(FlagCode) });
export type RequestItem = z.infer<typeof RequestItem>;

/** What a reviewer asked the customer for (the `reviewed` event's `request`). */
export const CustomerRequestBody = z.object({ items: z.array(RequestItem).min(1), note: z.string().nullable() });
export type CustomerRequestBody = z.infer<typeof CustomerRequestBody>;

/** An open request as the claim's API representation shows it, while the claim waits for the customer. */
export const CustomerRequest = CustomerRequestBody.extend({
  askedAt: z.string(),
  deadline: z.string().nullable().meta({ description: 'When the claim is closed unanswered; null under a policy without a deadline' }),
  remindedAt: z.string().nullable(),
});
export type CustomerRequest = z.infer<typeof CustomerRequest>;

/** The request for these item codes, in the catalogue's words. */
export function customerRequest(codes: readonly RequestItemCode[], note: string | null): CustomerRequestBody {
  return { items: codes.map((code) => ({ code, label: REQUEST_ITEMS[code].label, clears: [...REQUEST_ITEMS[code].clears] })), note };
}

/** How long a customer has to answer and when the one reminder goes out (the policy's `customerResponse`). */
export interface ResponseRule {
  id: string;
  source: string;
  days: number;
  reminderAfterDays: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** When a request asked at `askedAt` is reminded and when it is closed unanswered: whole days of 24 hours after asking. */
export function responseDeadlines(
  askedAt: Date,
  rule: Pick<ResponseRule, 'days' | 'reminderAfterDays'>,
): { remindAt: Date; deadline: Date } {
  return {
    remindAt: new Date(askedAt.getTime() + rule.reminderAfterDays * DAY_MS),
    deadline: new Date(askedAt.getTime() + rule.days * DAY_MS),
  };
}

/** An open request as the closer sees it: enough to say why the claim was closed. */
export interface OverdueRequest {
  askedAt: string;
  deadline: string;
  remindedAt: string | null;
  policyVersion: string;
  rule: ResponseRule;
  request: CustomerRequestBody;
}

/**
 * The result of a claim closed because the customer did not answer in time: not eligible, with
 * CUSTOMER_NO_RESPONSE naming the rule, the policy version in force when the customer was asked,
 * and the request's dates and items.
 */
export function closedResult(result: ClaimResult, overdue: OverdueRequest): ClaimResult {
  const closing = flag(
    'CUSTOMER_NO_RESPONSE',
    `The customer did not send what was asked for by ${overdue.deadline} (${overdue.rule.days} days after the request).`,
    {
      rule: overdue.rule.id,
      clause: overdue.rule.source,
      policyVersion: overdue.policyVersion,
      askedAt: overdue.askedAt,
      remindedAt: overdue.remindedAt,
      deadline: overdue.deadline,
      items: overdue.request.items.map((i) => i.code),
    },
  );
  return { ...result, status: 'not_eligible', flags: [...result.flags, closing] };
}
