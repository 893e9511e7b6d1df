import { FIELD_LABELS, h } from '../dom.js';
import { state } from '../shell.js';
import type { FlagView } from '../types.js';
import { groupFlags } from './flags.js';

/** What the reviewer is about to decide on: their corrections and the flags the live re-assessment still raises. */
export interface DecisionContext {
  corrections: Array<{ field: string; machine: string | null; yours: string | null }>;
  flags: FlagView[];
}

/**
 * The confirmation dialog: the reason list for a rejection (none chosen until the reviewer or a
 * clearly matching flag chooses one), or what to ask the customer for (the items the claim's flags
 * point at ticked, at least one needed); an optional note, what the decision rests on; Enter
 * confirms from anywhere in it, a tick box included (Shift+Enter is a new line in the note; Space
 * ticks an item).
 */
export function decisionDialog(decide: (body: Record<string, unknown>) => Promise<void>, context: () => DecisionContext) {
  const facets = state.facets!;
  const title = h('h2', { id: 'decide-title' });
  const reasonLabel = h('label', { for: 'decide-reason' }, 'Reason');
  const reasonError = h('p', { id: 'decide-reason-error', class: 'error field-error' });
  const reason = h('select', { id: 'decide-reason', name: 'reason', required: true, 'aria-describedby': 'decide-reason-error' });
  const itemsError = h('p', { id: 'decide-items-error', class: 'error field-error' });
  const items = h('fieldset', { class: 'request-items', 'aria-describedby': 'decide-items-error' });
  const noteLabel = h('label', { for: 'decide-note' });
  const note = h('textarea', { id: 'decide-note', name: 'note', rows: 2, maxlength: 2000 });
  const summary = h('div', { class: 'decision-summary' });
  const error = h('p', { class: 'error', role: 'alert' });
  const confirm = h('button', { type: 'submit', class: 'primary' }, 'Confirm');
  const form = h(
    'form',
    { method: 'dialog', novalidate: true },
    title,
    h('div', { class: 'reason' }, reasonLabel, reason, reasonError),
    h('div', { class: 'request' }, items, itemsError),
    noteLabel,
    note,
    summary,
    error,
    h('div', { class: 'actions' }, confirm, h('button', { type: 'button', onclick: () => element.close() }, 'Cancel')),
  );
  const element = h('dialog', { 'aria-labelledby': 'decide-title' }, form);
  let action = 'approve';

  const showReasonMissing = (missing: boolean) => {
    reasonError.textContent = missing ? 'Choose a reason first.' : '';
    if (missing) reason.setAttribute('aria-invalid', 'true');
    else reason.removeAttribute('aria-invalid');
  };
  reason.addEventListener('change', () => showReasonMissing(false));
  const ticked = () => [...items.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((box) => box.value);
  const showItemsMissing = (missing: boolean) => {
    itemsError.textContent = missing ? 'Tick at least one thing to ask for.' : '';
    if (missing) items.setAttribute('aria-invalid', 'true');
    else items.removeAttribute('aria-invalid');
  };
  items.addEventListener('change', () => showItemsMissing(false));
  // Enter submits, on the select too (where Chromium would open its list); a button keeps its own Enter.
  form.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.isComposing || event.target instanceof HTMLButtonElement) return;
    if (event.target === note && event.shiftKey) return;
    event.preventDefault();
    form.requestSubmit();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!reason.disabled && reason.validity.valueMissing) {
      showReasonMissing(true);
      reason.focus();
      return;
    }
    if (action === 'request_info' && ticked().length === 0) {
      showItemsMissing(true);
      items.querySelector('input')?.focus();
      return;
    }
    void (async () => {
      confirm.disabled = true;
      try {
        await decide({
          action,
          ...(action === 'reject' ? { reason: reason.value } : action === 'request_info' ? { items: ticked() } : {}),
          ...(note.value.trim() ? { note: note.value.trim() } : {}),
        });
        element.close();
      } catch (e) {
        error.textContent = e instanceof Error ? e.message : String(e);
      } finally {
        confirm.disabled = false;
      }
    })();
  });

  const renderSummary = () => {
    const { corrections, flags } = context();
    const open = groupFlags(flags);
    summary.replaceChildren(
      h('h3', {}, 'Your corrections'),
      corrections.length === 0
        ? h('p', { class: 'hint' }, 'None: the decision rests on what the machine read.')
        : h(
            'ul',
            { class: 'corrections' },
            corrections.map((c) =>
              h('li', {}, `${FIELD_LABELS[c.field] ?? c.field}: ${c.machine ?? '–'} → ${c.yours ?? 'not on the receipt'}`),
            ),
          ),
      h('h3', {}, 'Flags still open'),
      open.length === 0
        ? h('p', { class: 'hint' }, 'None.')
        : h(
            'ul',
            { class: 'open-flags' },
            open.map((g) => h('li', {}, g.title, g.findings.length > 1 ? ` ×${g.findings.length}` : '')),
          ),
    );
  };

  return {
    element,
    isOpen: () => element.open,
    /** Shows the latest re-assessment while the dialog is open. */
    refresh() {
      if (element.open) renderSummary();
    },
    open(next: string) {
      action = next;
      const reasons = next === 'reject' ? facets.rejectReasons : [];
      title.textContent =
        next === 'approve' ? 'Approve this claim?' : next === 'reject' ? 'Reject this claim' : 'Ask the customer for more';
      confirm.textContent = next === 'approve' ? 'Approve' : next === 'reject' ? 'Reject' : 'Send request';
      // Rejecting is the step that cannot be taken lightly: it looks like it.
      confirm.className = next === 'reject' ? 'danger' : 'primary';
      reason.replaceChildren(
        h('option', { value: '' }, 'Choose a reason…'),
        ...reasons.map((r) => h('option', { value: r.code }, r.label)),
      );
      // Pre-selected only when the flags point at exactly one reason; the reviewer still confirms it.
      const codes = new Set(context().flags.map((f) => f.code));
      const suggested = reasons.filter((r) => r.suggestedBy.some((c) => codes.has(c)));
      reason.value = suggested.length === 1 ? suggested[0]!.code : '';
      (reason.parentElement as HTMLElement).hidden = reasons.length === 0;
      reason.disabled = reasons.length === 0;
      showReasonMissing(false);
      // What to ask for: the items the claim's flags point at are ticked (the reviewer still confirms them).
      const asking = next === 'request_info';
      items.replaceChildren(
        h('legend', {}, 'What to ask the customer for'),
        ...(asking ? facets.requestItems : []).map((item) =>
          h(
            'label',
            { class: 'request-item' },
            h('input', {
              type: 'checkbox',
              name: 'items',
              value: item.code,
              checked: item.clears.some((c) => codes.has(c)),
            }),
            ' ',
            item.label,
          ),
        ),
      );
      (items.parentElement as HTMLElement).hidden = !asking;
      showItemsMissing(false);
      noteLabel.textContent = asking ? 'Note to the customer (optional)' : 'Note (optional)';
      error.textContent = '';
      note.value = '';
      renderSummary();
      element.showModal();
      (reasons.length ? reason : asking ? items.querySelector('input')! : confirm).focus();
    },
  };
}
