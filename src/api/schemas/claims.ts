import { z } from 'zod';
import { ClaimForm } from '../../domain/claim.js';
import { StoredClaimStatus } from '../../domain/claim-status.js';
import { CustomerRequest } from '../../domain/customer-requests.js';
import { ClaimResult } from '../../domain/result.js';

/** The multipart body of POST /claims: the form fields plus the receipt file (for the OpenAPI document). */
export const SubmitClaimBody = ClaimForm.extend({
  receipt: z.string().meta({ format: 'binary', description: 'The receipt: PDF, JPG or PNG, at most the configured size' }),
});

export const ClaimIdParams = z.object({ id: z.string().min(1).max(200) });

export const ClaimAccepted = z.object({
  claimId: z.string(),
  requestNumber: z.string().meta({ description: 'Quote this number in any contact about the claim' }),
  status: z.string(),
  links: z.object({ self: z.string(), receipt: z.string() }),
});

export const RequestNumberParams = z.object({ requestNumber: z.string().min(1).max(64) });
/** One of a claim's documents (GET /claims/:id, POST /claims/:id/documents). */
export const ClaimDocumentView = z.object({
  index: z.number().int().nonnegative().meta({ description: "Its place among the claim's documents: 0 is the first upload" }),
  sha256: z.string(),
  file: z.string().nullable(),
  addedBy: z.enum(['api', 'cli']),
  addedAt: z.string().meta({ format: 'date-time' }),
});

/** The multipart body of POST /claims/:id/documents (for the OpenAPI document). */
export const AddDocumentBody = z.object({
  document: z.string().meta({ format: 'binary', description: 'The document: PDF, JPG or PNG, at most the configured size' }),
});

export const DocumentAccepted = z.object({
  claimId: z.string(),
  status: z.string().meta({ description: "The claim's status after: received when it goes back to reading" }),
  isNew: z.boolean().meta({ description: "false: the very same bytes were one of the claim's documents already" }),
  document: ClaimDocumentView,
  links: z.object({ self: z.string(), receipt: z.string() }),
});

export const ClaimStatusView = z.object({
  claimId: z.string(),
  requestNumber: z.string(),
  status: StoredClaimStatus.meta({
    description:
      'received, read, extracted while in progress; then eligible, not_eligible, needs_review or rejected_input; awaiting_customer when a reviewer asked the customer for more; closed when the customer did not answer by the deadline',
  }),
  statusText: z.string().meta({ description: 'The status in words the customer can be shown as they are' }),
  result: ClaimResult.nullable(),
  customerRequest: CustomerRequest.nullable().meta({
    description: 'What the customer was asked for, with the note and deadline, while the claim waits for them (awaiting_customer)',
  }),
  documents: z.array(ClaimDocumentView).meta({ description: "The claim's documents in the order they came" }),
});

export const ReceiptLink = z.object({ url: z.string().url(), expiresInSeconds: z.number().int() });

export const ErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  problems: z.array(z.string()).optional(),
  issues: z
    .array(
      z.object({
        in: z.enum(['body', 'querystring', 'params', 'headers']),
        path: z.string().meta({ description: 'Dotted path of the value within `in`, e.g. corrections.purchaseDate' }),
        message: z.string(),
      }),
    )
    .optional()
    .meta({ description: 'An invalid request: each wrong value with where it is, so a client can show it next to its field' }),
});

export const ReadinessBody = z.object({
  ready: z.boolean(),
  checks: z
    .record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() }))
    .optional()
    .meta({ description: 'Each dependency and why it failed: for an admin API key only' }),
});
