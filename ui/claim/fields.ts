import { FIELD_LABELS, h } from '../dom.js';
import type { ClaimDetail } from '../types.js';
import type { ReceiptViewer } from '../viewer.js';
import { evidenceCrop } from './evidence-crop.js';

export interface FieldsTable {
  element: HTMLElement;
  inputs: Map<string, HTMLInputElement>;
  /** The reviewer's readings that differ from the machine's: null where the reviewer cleared the field. */
  corrections: () => Record<string, string | null>;
}

/** Form beside receipt, each field with the machine's reading and an input for the reviewer's own. */
export function fieldsTable(claim: ClaimDetail, editable: boolean, viewer: ReceiptViewer, onEdit: () => void): FieldsTable {
  const inputs = new Map<string, HTMLInputElement>();
  const fieldRows = claim.fields.flatMap((f) => {
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
    const markId = `field-${f.name}`;
    const page = f.highlight && claim.pages.find((p) => p.number === f.highlight!.page);
    // The spot the value was read from, enlarged, on a row of its own below the value (a row is
    // wide enough for a serial at a readable size).
    const cropRow =
      f.highlight && page
        ? h(
            'tr',
            { class: 'evidence-row' },
            h('td', { colspan: 4 }, evidenceCrop(page, f.highlight.box, `${FIELD_LABELS[f.name] ?? f.name} as printed on the receipt`)),
          )
        : null;
    const row = h(
      'tr',
      { class: f.disagrees ? 'disagree' : '' },
      h('th', { scope: 'row' }, h('label', { for: `fix-${f.name}` }, FIELD_LABELS[f.name] ?? f.name)),
      h('td', {}, f.form ?? '–'),
      h(
        'td',
        { id: `read-${f.name}` },
        f.receipt.value ?? h('em', {}, 'not found'),
        confidence ? h('span', { class: 'confidence' }, ` ${confidence}`) : null,
        f.disagrees ? h('span', { class: 'badge disagree' }, ' ≠ differs from form') : null,
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
      h('td', {}, input),
    );
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
      if (typed !== (f.receipt.value ?? '')) out[f.name] = typed === '' ? null : typed;
    }
    return out;
  };

  return { element, inputs, corrections };
}
