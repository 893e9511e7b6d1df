import type { RequestIssue } from '../api.js';
import { FIELD_LABELS, h } from '../dom.js';
import type { ClaimDetail } from '../types.js';
import type { ReceiptViewer } from '../viewer.js';
import { evidenceCrop } from './evidence-crop.js';
import { printedDate } from './printed-date.js';

export interface FieldsTable {
  element: HTMLElement;
  inputs: Map<string, HTMLInputElement>;
  /** The reviewer's readings that differ from the machine's: null where the reviewer cleared the field. */
  corrections: () => Record<string, string | null>;
  /** Shows each refused correction's message beside its field and clears the others; true when one concerned a field. */
  showIssues: (issues: RequestIssue[]) => boolean;
  /**
   * Marks each field as agreeing with the form or not, after the re-assessment's comparison of the
   * reviewer's readings (Preview.disagreements); null: back to the machine's readings.
   */
  showAgreement: (disagreements: Record<string, boolean> | null) => void;
  /** Focuses the first field, scrolling only the panel so the claim's heading stays in view. */
  editFirst: () => void;
}

/** A purchase date typed as printed is sent as ISO; anything else is sent as typed, for the API to judge. */
const asSent = (name: string, typed: string) => (name === 'purchaseDate' ? (printedDate(typed) ?? typed) : typed);

/** Form beside receipt, each field with the machine's reading and an input for the reviewer's own. */
export function fieldsTable(claim: ClaimDetail, editable: boolean, viewer: ReceiptViewer, onEdit: () => void): FieldsTable {
  const inputs = new Map<string, HTMLInputElement>();
  const errors = new Map<string, HTMLElement>();
  const rows = new Map<string, { row: HTMLElement; badge: HTMLElement }>();
  const fieldRows = claim.fields.flatMap((f) => {
    const input = h('input', {
      id: `fix-${f.name}`,
      name: f.name,
      value: f.receipt.value ?? '',
      disabled: !editable,
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': f.name === 'purchaseDate' ? `read-${f.name} parsed-${f.name}` : `read-${f.name}`,
      placeholder: f.name === 'purchaseDate' ? 'DD.MM.YYYY or YYYY-MM-DD' : 'not on the receipt',
    });
    inputs.set(f.name, input);
    const error = h('p', { id: `error-${f.name}`, class: 'field-error', hidden: true });
    errors.set(f.name, error);
    // The date as it will be sent, when typed in another form than ISO.
    const parsed = f.name === 'purchaseDate' ? h('p', { id: `parsed-${f.name}`, class: 'field-note', 'aria-live': 'polite' }) : null;
    input.addEventListener('input', () => {
      if (parsed) {
        const iso = printedDate(input.value.trim());
        parsed.textContent = iso && iso !== input.value.trim() ? `Read as ${iso}` : '';
      }
      onEdit();
    });
    input.addEventListener('focus', () => viewer.focusMark(`field-${f.name}`));
    const confidence = f.receipt.value === null ? '' : `${Math.round(f.receipt.confidence * 100)}%`;
    const markId = `field-${f.name}`;
    const page = f.highlight && claim.pages.find((p) => p.number === f.highlight!.page);
    // A value decoded from a barcode says so, with the symbology and any other reading beside it.
    const fromBarcode = f.receipt.via === 'barcode';
    // The spot the value was read from, enlarged, on a row of its own below the value (a row is
    // wide enough for a serial at a readable size).
    const cropRow =
      f.highlight && page
        ? h(
            'tr',
            { class: 'evidence-row' },
            h(
              'td',
              { colspan: 4 },
              evidenceCrop(
                page,
                f.highlight.box,
                `${FIELD_LABELS[f.name] ?? f.name} as ${fromBarcode ? 'encoded in a barcode on' : 'printed on'} the receipt`,
              ),
            ),
          )
        : null;
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
        fromBarcode ? h('p', { class: 'field-note', id: `via-${f.name}` }, f.receipt.source) : null,
      ),
      h('td', { 'data-label': 'Your reading' }, input, parsed, error),
    );
    rows.set(f.name, { row, badge });
    // The receipt's mark shows its label while its field is pointed at or worked in.
    for (const part of [row, cropRow]) if (part) viewer.labelWhileOver(part, markId);
    return cropRow ? [row, cropRow] : [row];
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
      const sent = asSent(f.name, typed);
      if (sent !== (f.receipt.value ?? '')) out[f.name] = sent === '' ? null : sent;
    }
    return out;
  };

  const showIssues = (issues: RequestIssue[]): boolean => {
    const byField = new Map(
      issues
        .filter((i) => i.in === 'body' && i.path.startsWith('corrections.'))
        .map((i) => [i.path.slice('corrections.'.length), i.message]),
    );
    for (const [name, input] of inputs) {
      const message = byField.get(name);
      const error = errors.get(name)!;
      error.textContent = message ? `${FIELD_LABELS[name] ?? name}: ${message}` : '';
      error.hidden = !message;
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      const described = [`read-${name}`, name === 'purchaseDate' ? `parsed-${name}` : null, message ? `error-${name}` : null];
      input.setAttribute('aria-describedby', described.filter(Boolean).join(' '));
    }
    return byField.size > 0;
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
    // On a narrow screen the panel does not scroll by itself: the page has to, the field brought to
    // the middle, clear of the top edge and of the decision bar stuck at the bottom.
    if (!panel || panel.scrollHeight <= panel.clientHeight) return first.scrollIntoView({ block: 'center' });
    const box = first.getBoundingClientRect();
    const view = panel.getBoundingClientRect();
    if (box.top < view.top) panel.scrollTop -= view.top - box.top + 8;
    else if (box.bottom > view.bottom) panel.scrollTop += box.bottom - view.bottom + 8;
  };

  return { element, inputs, corrections, showIssues, showAgreement, editFirst };
}
