import { h } from '../dom.js';
import type { ClaimDetail, FlagView, ReceiptPage } from '../types.js';
import type { ReceiptViewer } from '../viewer.js';
import { evidenceCrop } from './evidence-crop.js';
import { pageLightbox } from './page-lightbox.js';

/** What decides the claim first (src/domain/flags.ts FLAG_SEVERITY): a rejection, then a refusal, then review, then notes. */
const SEVERITY_ORDER = ['rejection', 'refusal', 'review', 'info'];

/** A flag code with every finding of it (a tamper signal per field, an IMEI on the form and on the receipt, …). */
export interface FlagGroup {
  code: string;
  severity: string;
  title: string;
  /** Each finding with its index in the assessment's flags, which names its mark on the receipt. */
  findings: Array<{ flag: FlagView; index: number }>;
}

/** The flags grouped by code, the groups ordered by what decides the claim, findings in the machine's order. */
export function groupFlags(flags: FlagView[]): FlagGroup[] {
  const groups = new Map<string, FlagGroup>();
  flags.forEach((flag, index) => {
    const group = groups.get(flag.code) ?? { code: flag.code, severity: flag.severity, title: flag.title, findings: [] };
    group.findings.push({ flag, index });
    groups.set(flag.code, group);
  });
  const rank = (severity: string) => {
    const at = SEVERITY_ORDER.indexOf(severity);
    return at < 0 ? SEVERITY_ORDER.length : at;
  };
  // Array.prototype.sort is stable: within a severity the machine's order stays.
  return [...groups.values()].sort((a, b) => rank(a.severity) - rank(b.severity));
}

export function renderFlagGroup(group: FlagGroup, claim: ClaimDetail, viewer: ReceiptViewer): HTMLElement {
  const count = group.findings.length;
  return h(
    'li',
    { class: `flag ${group.severity}`, 'data-code': group.code },
    h(
      'h3',
      {},
      group.title,
      count > 1 ? h('span', { class: 'count' }, ` ×${count}`) : null,
      h('span', { class: 'code' }, ` ${group.code}`),
    ),
    group.findings.map(({ flag, index }) => renderFinding(flag, index, claim, viewer)),
  );
}

/** One finding: its message and details, the IMEI or character diff, a crop of its place on the receipt. */
function renderFinding(flag: FlagView, index: number, claim: ClaimDetail, viewer: ReceiptViewer): HTMLElement {
  const markId = `flag-${index}`;
  const page = flag.highlight && claim.pages.find((p) => p.number === flag.highlight!.page);
  const item = h(
    'div',
    { class: 'finding' },
    h('p', {}, flag.message),
    flag.details.map((d) => h('p', { class: 'detail' }, d)),
    flag.imei ? imeiDigits(flag.imei) : null,
    flag.mismatch ? characterDiff(flag.mismatch) : null,
    flag.highlight && page ? evidenceCrop(page, flag.highlight.box, `Where “${flag.title}” points on the receipt`) : null,
    flag.highlight ? h('button', { type: 'button', class: 'link', onclick: () => viewer.focusMark(markId) }, 'Show on the receipt') : null,
    flag.earlierClaim ? sideBySide(claim, flag.earlierClaim) : null,
  );
  // The receipt's mark shows its label while its flag is pointed at or worked in.
  if (flag.highlight) viewer.labelWhileOver(item, markId);
  return item;
}

const MISMATCH_FIELDS: Record<NonNullable<FlagView['mismatch']>['field'], string> = {
  serial: 'Serial number',
  imei: 'IMEI',
  model: 'Model',
};

/**
 * Form against receipt character by character, like the IMEI's digits: each differing character
 * underlined and bold (not by colour alone) and said in words, a missing one shown as a gap, and a
 * pair OCR takes for one another (B/8, O/0) named as such, since the machine may have misread it.
 */
function characterDiff(mismatch: NonNullable<FlagView['mismatch']>): HTMLElement {
  const name = MISMATCH_FIELDS[mismatch.field];
  let position = 0;
  const differences: string[] = [];
  const columns = mismatch.characters.map((c) => {
    if (c.form !== null) position++;
    if (c.form === c.receipt) return { ...c, note: null };
    const at = c.form === null ? `after position ${position}` : `at position ${position}`;
    const note = `${at}: form ${c.form ?? 'nothing'}, receipt ${c.receipt ?? 'nothing'}${c.lookalike ? ' (look alike to OCR: perhaps misread)' : ''}`;
    differences.push(note);
    return { ...c, note };
  });
  const row = (label: string, side: 'form' | 'receipt', value: string) =>
    h(
      'p',
      { class: 'diff-row', 'aria-label': `${label}: ${value}` },
      h('span', { class: 'diff-side', 'aria-hidden': 'true' }, label),
      h(
        'span',
        { class: 'diff-chars', 'aria-hidden': 'true' },
        columns.map((c) =>
          h(
            'span',
            { class: c.note === null ? 'char' : c.lookalike ? 'char differs lookalike' : 'char differs', title: c.note ?? undefined },
            c[side] ?? '·',
          ),
        ),
      ),
    );
  return h(
    'div',
    { class: 'char-diff', role: 'group', 'aria-label': `${name}, form against receipt, character by character` },
    row('Form', 'form', mismatch.form),
    row('Receipt', 'receipt', mismatch.receipt),
    h('p', { class: 'diff-summary' }, `${name} differs ${differences.join('; ')}.`),
  );
}

/** The IMEI digit by digit, the failing check digit marked (not by colour alone). */
function imeiDigits(imei: NonNullable<FlagView['imei']>): HTMLElement {
  const digits = [...imei.digits];
  return h(
    'p',
    { class: 'imei', 'aria-label': `IMEI ${imei.digits}: check digit ${imei.checkDigit}, expected ${imei.expectedCheckDigit}` },
    digits.map((d, i) => h('span', { class: i === digits.length - 1 ? 'digit bad' : 'digit' }, d)),
    h('span', { class: 'expected' }, ` ← should be ${imei.expectedCheckDigit}`),
  );
}

/** Both receipts, every page, each enlargeable (in the dialog that follows them) and openable in a new tab. */
function sideBySide(claim: ClaimDetail, earlier: NonNullable<FlagView['earlierClaim']>): HTMLElement[] {
  const lightbox = pageLightbox();
  const figure = (title: string, pages: ReceiptPage[]) =>
    h(
      'figure',
      {},
      pages.length === 0
        ? h('p', {}, 'No receipt')
        : pages.map((page) => {
            const name = `page ${page.number} of ${pages.length} of ${title}`;
            return h(
              'div',
              { class: 'page-thumb' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'enlarge',
                  'aria-label': `Enlarge ${name}`,
                  onclick: () => lightbox.open(page.url, `Receipt ${name}`),
                },
                h('img', { src: page.url, alt: `Receipt ${name}`, loading: 'lazy' }),
              ),
              h('a', { href: page.url, target: '_blank', rel: 'noopener', 'aria-label': `Open ${name} in a new tab` }, 'Open in a new tab'),
            );
          }),
      h('figcaption', {}, title),
    );
  return [
    h(
      'div',
      { class: 'side-by-side' },
      figure(`this claim (${claim.requestNumber})`, claim.pages),
      figure(`earlier claim ${earlier.requestNumber}`, earlier.pages),
    ),
    lightbox.element,
  ];
}
