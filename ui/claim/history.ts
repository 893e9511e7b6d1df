import { FIELD_LABELS, h } from '../dom.js';
import { state } from '../shell.js';
import type { ClaimDetail, HistoryData } from '../types.js';
import { ACTION_LABELS, FORMER_REQUEST_REASONS, label, STATUS_LABELS } from './labels.js';

/** A reviewer's reason in the words of the reason list they chose it from (or, for a request, what the customer was asked for). */
function reasonLabel(d: HistoryData | null): string | undefined {
  if (d?.request) return d.request.items.map((i) => i.label).join('; ');
  if (!d?.reason) return undefined;
  if (d.action === 'request_info') return FORMER_REQUEST_REASONS[d.reason] ?? d.reason;
  return (d.action === 'reject' ? state.facets?.rejectReasons.find((r) => r.code === d.reason)?.label : undefined) ?? d.reason;
}

const flagTitles = (codes: string[] | undefined): string => (codes ?? []).map((code) => state.facets?.flagTitles[code] ?? code).join('; ');

/** What a reviewer did, in words: "alice rejected: The receipt or the product numbers were altered". */
function reviewerDecision(d: HistoryData | null): string {
  const reason = reasonLabel(d);
  return `${d?.reviewer ?? 'A reviewer'} ${label(ACTION_LABELS, d?.action)}${reason ? `: ${reason}` : ''}`;
}

export function renderHistory(claim: ClaimDetail): HTMLElement {
  // The API leaves an event's data free-form: read as what each kind carries (src/store/claim-state-writer.ts).
  const describe = (kind: string, data: unknown): string => {
    const d = data as HistoryData | null;
    const flags = d?.flags?.length ? ` · ${flagTitles(d.flags)}` : '';
    switch (kind) {
      case 'received':
        return `Received${d?.file ? ` (${d.file})` : ''}`;
      case 'stage':
        return `Processed: ${d?.from ?? '–'} → ${d?.to ?? '–'}`;
      case 'decided':
        return `Machine decision: ${label(STATUS_LABELS, d?.to)}${flags}`;
      case 'reviewed': {
        const fixes = (d?.corrections ?? []).map((c) => `${FIELD_LABELS[c.field] ?? c.field}: ${c.before ?? '–'} → ${c.after ?? '–'}`);
        return `${reviewerDecision(d)}${fixes.length ? ` · corrected ${fixes.join('; ')}` : ''}${d?.note ? ` · “${d.note}”` : ''}`;
      }
      case 'undone':
        return `${d?.reviewer ?? 'A reviewer'} took the decision back: ${label(STATUS_LABELS, d?.from)} → ${label(STATUS_LABELS, d?.to)}`;
      case 'reprocessed':
        return `Decided again by the machine: ${label(STATUS_LABELS, d?.from)} → ${label(STATUS_LABELS, d?.to)}${flags}`;
      case 'reminded':
        return `Customer reminded; the claim closes unanswered at ${d?.deadline?.slice(0, 16).replace('T', ' ') ?? '–'}`;
      case 'closed':
        return `Closed: the customer did not answer by ${d?.deadline?.slice(0, 16).replace('T', ' ') ?? '–'} (${d?.policyVersion ?? '–'})`;
      case 'document_added':
        return `Document ${(d?.document ?? 0) + 1} added${d?.file ? ` (${d.file})` : ''} by ${d?.by === 'cli' ? 'an operator' : 'the customer'}: read and assessed again`;
      case 'second_look':
        return `Decided again by the machine as ${label(STATUS_LABELS, d?.machineStatus)}; the reviewer's decision (${label(STATUS_LABELS, d?.humanStatus)}) stands`;
      default:
        return kind;
    }
  };
  return h(
    'section',
    { class: 'history', 'aria-label': 'History' },
    h('h2', {}, 'History'),
    h(
      'ol',
      {},
      claim.history.map((e) =>
        h('li', {}, h('time', { datetime: e.at }, e.at.slice(0, 16).replace('T', ' ')), ' ', describe(e.kind, e.data)),
      ),
    ),
  );
}

/** The banner over a claim that no longer needs review: its status, and who decided it and why. */
export function decidedBanner(claim: ClaimDetail): HTMLElement {
  const review = [...claim.history].reverse().find((e) => e.kind === 'reviewed');
  const status = label(STATUS_LABELS, claim.status);
  return h(
    'p',
    { class: 'banner' },
    review
      ? `${status}: ${reviewerDecision(review.data as HistoryData | null)}. It no longer needs review.`
      : `${status}: decided by the machine. It no longer needs review.`,
  );
}
