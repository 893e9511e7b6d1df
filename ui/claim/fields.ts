import { FIELD_LABELS, h } from '../dom.js';
import type { ClaimDetail } from '../types.js';
import type { ReceiptViewer } from '../viewer.js';

export interface FieldsTable {
  element: HTMLElement;
  inputs: Map<string, HTMLInputElement>;
  /** The reviewer's readings that differ from the machine's: null where the reviewer cleared the field. */
  corrections: () => Record<string, string | null>;
  /**
   * Marks each field as agreeing with the form or not, after the re-assessment's comparison of the
   * reviewer's readings (Preview.disagreements); null: back to the machine's readings.
   */
  showAgreement: (disagreements: Record<string, boolean> | null) => void;
  /** Focuses the first field, scrolling only the panel so the claim's heading stays in view. */
  editFirst: () => void;
}

/** Form beside receipt, each field with the machine's reading and an input for the reviewer's own. */
export function fieldsTable(claim: ClaimDetail, editable: boolean, viewer: ReceiptViewer, onEdit: () => void): FieldsTable {
  const inputs = new Map<string, HTMLInputElement>();
  const rows = new Map<string, { row: HTMLElement; badge: HTMLElement }>();
  const fieldRows = claim.fields.map((f) => {
    const input = h('input', {
      id: `fix-${f.name}`,
      name: f.name,
      value: f.receipt.value ?? '',
      disabled: !editable,
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': `read-${f.name}`,
      placeholder: f.name === 'purchaseDate' ? 'YYYY-MM-DD' : 'not on the receipt',
    });
    inputs.set(f.name, input);
    input.addEventListener('input', onEdit);
    input.addEventListener('focus', () => viewer.focusMark(`field-${f.name}`));
    const confidence = f.receipt.value === null ? '' : `${Math.round(f.receipt.confidence * 100)}%`;
    const badge = h('span', {});
    const row = h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('label', { for: `fix-${f.name}` }, FIELD_LABELS[f.name] ?? f.name)),
      h('td', { 'data-label': 'Form' }, f.form ?? '–'),
      h(
        'td',
        { id: `read-${f.name}`, 'data-label': 'Receipt' },
        f.receipt.value ?? h('em', {}, 'not found'),
        confidence ? h('span', { class: 'confidence' }, ` ${confidence}`) : null,
        badge,
        f.highlight
          ? h(
              'button',
              {
                type: 'button',
                class: 'link',
                onclick: () => viewer.focusMark(`field-${f.name}`),
                'aria-label': `Show where ${FIELD_LABELS[f.name]} was read`,
              },
              ' show',
            )
          : null,
      ),
      h('td', { 'data-label': 'Your reading' }, input),
    );
    rows.set(f.name, { row, badge });
    return row;
  });
  const element = h(
    'table',
    { class: 'fields' },
    h('caption', {}, 'Form and receipt'),
    h(
      'thead',
      {},
      h('tr', {}, ...['Field', 'Form (customer)', 'Receipt (machine read)', 'Your reading'].map((c) => h('th', { scope: 'col' }, c))),
    ),
    h('tbody', {}, fieldRows),
  );

  const corrections = (): Record<string, string | null> => {
    const out: Record<string, string | null> = {};
    for (const f of claim.fields) {
      const typed = inputs.get(f.name)!.value.trim();
      if (typed !== (f.receipt.value ?? '')) out[f.name] = typed === '' ? null : typed;
    }
    return out;
  };

  const showAgreement = (disagreements: Record<string, boolean> | null) => {
    const fixed = corrections();
    for (const f of claim.fields) {
      const { row, badge } = rows.get(f.name)!;
      const corrected = disagreements !== null && f.name in fixed;
      const differs = corrected ? disagreements[f.name] === true : f.disagrees;
      row.classList.toggle('disagree', differs);
      badge.className = differs ? 'badge disagree' : 'badge agree';
      badge.textContent = !corrected
        ? differs
          ? ' ≠ differs from form'
          : ''
        : differs
          ? ' ≠ your reading differs from form'
          : f.form !== null && fixed[f.name] !== null
            ? ' = your reading matches the form'
            : '';
      badge.hidden = badge.textContent === '';
    }
  };
  showAgreement(null);

  const editFirst = () => {
    const first = inputs.values().next().value;
    if (!first) return;
    first.focus({ preventScroll: true });
    const panel = first.closest<HTMLElement>('.panel');
    // On a narrow screen the panel does not scroll by itself: the page has to.
    if (!panel || panel.scrollHeight <= panel.clientHeight) return first.scrollIntoView({ block: 'nearest' });
    const box = first.getBoundingClientRect();
    const view = panel.getBoundingClientRect();
    if (box.top < view.top) panel.scrollTop -= view.top - box.top + 8;
    else if (box.bottom > view.bottom) panel.scrollTop += box.bottom - view.bottom + 8;
  };

  return { element, inputs, corrections, showAgreement, editFirst };
}
