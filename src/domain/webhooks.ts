import { z } from 'zod';

/** What a webhook subscription may ask to be told about a claim. */
export const WEBHOOK_EVENT_TYPES = [
  'claim.decided',
  'claim.needs_review',
  'claim.customer_asked',
  'claim.customer_reminded',
  'claim.document_received',
  'claim.closed',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** A claim event as the audit trail holds it: its kind and its data. */
export interface AnnouncedClaimEvent {
  kind: string;
  data: Record<string, unknown>;
}

const decisionType = (to: unknown): WebhookEventType => (to === 'needs_review' ? 'claim.needs_review' : 'claim.decided');

/**
 * The webhook event a claim event announces, or null when subscribers are not told about it
 * (arrival, a stage passed, a re-run that left the status as it was, a second look).
 */
export function webhookEventFor(event: AnnouncedClaimEvent): WebhookEventType | null {
  const { kind, data } = event;
  switch (kind) {
    case 'decided':
      return decisionType(data.to);
    case 'reviewed':
      return data.action === 'request_info' ? 'claim.customer_asked' : 'claim.decided';
    case 'undone':
      return 'claim.needs_review';
    case 'reprocessed':
      return data.from === data.to ? null : decisionType(data.to);
    case 'document_added':
      return 'claim.document_received';
    case 'closed':
      return 'claim.closed';
    case 'reminded':
      return 'claim.customer_reminded';
    default:
      return null;
  }
}

/** The claim as it stands once the announced change is written. */
export interface ClaimSnapshot {
  status: string;
  result: unknown;
}

/**
 * The `data` of a webhook event: the claim's status and, for a decision, its result (the result
 * contract); for a request to the customer, the structured request as the reviewer made it; for
 * the other kinds, the claim event's own data.
 */
export function webhookEventData(type: WebhookEventType, event: AnnouncedClaimEvent, claim: ClaimSnapshot): Record<string, unknown> {
  switch (type) {
    case 'claim.decided':
    case 'claim.needs_review':
      return { status: claim.status, result: claim.result };
    case 'claim.customer_asked':
      return { status: claim.status, request: event.data.request ?? null };
    default:
      return { status: claim.status, ...event.data };
  }
}

/** The JSON body POSTed to a subscriber. The id stays the same across retries and re-sends, for idempotent receipt. */
export const WebhookEvent = z.object({
  id: z.string().meta({ description: 'evt_…: the same on every retry and re-send of this event' }),
  type: WebhookEventType,
  created: z.string().meta({ description: 'When the change happened (ISO 8601, UTC)' }),
  claimId: z.string(),
  requestNumber: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/** Where a delivery stands: pending (to send, or being retried), delivered (a 2xx), failed (retries ran out: waits for the relay or a re-send). */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
