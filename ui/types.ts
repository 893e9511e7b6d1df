/**
 * The shapes /review/api answers with: defined once, as the API's zod schemas (src/domain/review.ts,
 * src/api/schemas/review.ts), and read here as types only, so no schema code reaches the bundle.
 */
export type { Assessment, ClaimDetail, ClaimState, Decided, FlagView, Preview, QueueItem, ReceiptPage } from '../src/domain/review.js';
export type { Box } from '../src/domain/text-layer.js';
export type { Facets, QueueNews, SessionView as Session } from '../src/api/schemas/review.js';

/**
 * What a history event's `data` carries, by kind (received, stage, decided, reviewed, reprocessed, second_look), as the UI
 * reads it: the API leaves it free-form (ClaimDetail.history[].data); absent keys are not shown.
 */
export interface HistoryData {
  file?: string;
  from?: string;
  to?: string;
  flags?: string[];
  corrections?: Array<{ field: string; before: string | null; after: string | null }>;
  reviewer?: string;
  action?: string;
  reason?: string;
  note?: string;
  /** reviewed (asking the customer), reminded: what the customer was asked for. */
  request?: { items: Array<{ code: string; label: string }>; note: string | null };
  /** reminded, closed: when the claim closes (closed) unanswered. */
  deadline?: string;
  policyVersion?: string;
  /** second_look: the reviewer's status, and the one reprocessing would have given. */
  humanStatus?: string;
  machineStatus?: string;
  /** document_added: which document (0-based) came, and how (api: the customer's system; cli: an operator). */
  document?: number;
  by?: string;
}
