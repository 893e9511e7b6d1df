import { z } from 'zod';

/**
 * Every status a claim is stored in: on its way through the stages (received, read, extracted),
 * decided (the result contract's four), waiting for its customer after a reviewer asked for more,
 * and closed when the customer did not answer in time.
 */
const CLAIM_STATUSES = [
  'received',
  'read',
  'extracted',
  'eligible',
  'not_eligible',
  'needs_review',
  'rejected_input',
  'awaiting_customer',
  'closed',
] as const;
export const StoredClaimStatus = z.enum(CLAIM_STATUSES);
export type StoredClaimStatus = z.infer<typeof StoredClaimStatus>;

/** Each status in words the intake service can show the customer as they are. */
export const STATUS_FOR_CUSTOMER: Record<StoredClaimStatus, string> = {
  received: 'We have received your claim and are checking it.',
  read: 'We are checking your claim.',
  extracted: 'We are checking your claim.',
  eligible: 'Your claim is approved: the product is covered by the warranty.',
  not_eligible: 'Your claim was not approved.',
  needs_review: 'A member of our team is looking at your claim.',
  rejected_input: 'We could not read the document you sent. Please send your receipt again as a PDF, JPG or PNG.',
  awaiting_customer: 'We need more from you before we can decide your claim: please send what we asked for.',
  closed: 'Your claim was closed because we did not receive what we asked for in time.',
};
