import { h } from '../dom.js';
import { state } from '../shell.js';

/** The confirmation dialog: the reason list for a rejection or a request, an optional note, Enter confirms. */
export function decisionDialog(decide: (body: Record<string, unknown>) => Promise<void>) {
  const facets = state.facets!;
  const title = h('h2', { id: 'decide-title' });
  const reasonLabel = h('label', { for: 'decide-reason' }, 'Reason');
  const reason = h('select', { id: 'decide-reason', name: 'reason', required: true });
  const note = h('textarea', { id: 'decide-note', name: 'note', rows: 2, maxlength: 2000 });
  const error = h('p', { class: 'error', role: 'alert' });
  const confirm = h('button', { type: 'submit', class: 'primary' }, 'Confirm');
  const form = h(
    'form',
    { method: 'dialog' },
    title,
    h('div', { class: 'reason' }, reasonLabel, reason),
    h('label', { for: 'decide-note' }, 'Note (optional)'),
    note,
    error,
    h('div', { class: 'actions' }, confirm, h('button', { type: 'button', onclick: () => element.close() }, 'Cancel')),
  );
  const element = h('dialog', { 'aria-labelledby': 'decide-title' }, form);
  let action = 'approve';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      confirm.disabled = true;
      try {
        await decide({
          action,
          ...(action === 'approve' ? {} : { reason: reason.value }),
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
  return {
    element,
    isOpen: () => element.open,
    open(next: string) {
      action = next;
      const reasons = next === 'reject' ? facets.rejectReasons : next === 'request_info' ? facets.infoReasons : [];
      title.textContent =
        next === 'approve' ? 'Approve this claim?' : next === 'reject' ? 'Reject this claim' : 'Ask the customer for more';
      confirm.textContent = next === 'approve' ? 'Approve' : next === 'reject' ? 'Reject' : 'Send request';
      reason.replaceChildren(...reasons.map((r) => h('option', { value: r.code }, r.label)));
      (reason.parentElement as HTMLElement).hidden = reasons.length === 0;
      reason.disabled = reasons.length === 0;
      error.textContent = '';
      note.value = '';
      element.showModal();
      (reasons.length ? reason : confirm).focus();
    },
  };
}
