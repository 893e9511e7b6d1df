import { FIELD_LABELS, h } from '../dom.js';
import type { ClaimDetail, HistoryData } from '../types.js';
import { ACTION_LABELS, label, STATUS_LABELS } from './labels.js';

export function renderHistory(claim: ClaimDetail): HTMLElement {
  // The API leaves an event's data free-form: read as what each kind carries.
  const describe = (kind: string, data: unknown): string => {
    const d = data as HistoryData | null;
    switch (kind) {
      case 'received':
        return `Received${d?.file ? ` (${d.file})` : ''}`;
      case 'stage':
        return `Processed: ${d?.from ?? '–'} → ${d?.to ?? '–'}`;
      case 'decided':
        return `Machine decision: ${label(STATUS_LABELS, d?.to)}${d?.flags?.length ? ` · ${d.flags.join(', ')}` : ''}`;
      case 'reviewed': {
        const fixes = (d?.corrections ?? []).map((c) => `${FIELD_LABELS[c.field] ?? c.field}: ${c.before ?? '–'} → ${c.after ?? '–'}`);
        return `${d?.reviewer ?? 'A reviewer'} ${label(ACTION_LABELS, d?.action)}${d?.reason ? ` (${d.reason})` : ''}${fixes.length ? ` · corrected ${fixes.join('; ')}` : ''}${d?.note ? ` · “${d.note}”` : ''}`;
      }
      case 'undone':
        return `${d?.reviewer ?? 'A reviewer'} took the decision back: ${label(STATUS_LABELS, d?.from)} → ${label(STATUS_LABELS, d?.to)}`;
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
