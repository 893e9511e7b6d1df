import { h } from '../dom.js';
import type { ClaimDetail, FlagView } from '../types.js';
import type { ReceiptViewer } from '../viewer.js';

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
    group.findings.map(({ flag, index }) =>
      h(
        'div',
        { class: 'finding' },
        h('p', {}, flag.message),
        flag.details.map((d) => h('p', { class: 'detail' }, d)),
        flag.imei ? imeiDigits(flag.imei) : null,
        flag.highlight
          ? h('button', { type: 'button', class: 'link', onclick: () => viewer.focusMark(`flag-${index}`) }, 'Show on the receipt')
          : null,
        flag.earlierClaim ? sideBySide(claim, flag.earlierClaim) : null,
      ),
    ),
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

function sideBySide(claim: ClaimDetail, earlier: NonNullable<FlagView['earlierClaim']>): HTMLElement {
  const figure = (title: string, url: string | undefined) =>
    h(
      'figure',
      {},
      url ? h('img', { src: url, alt: `Receipt of ${title}`, loading: 'lazy' }) : h('p', {}, 'No receipt'),
      h('figcaption', {}, title),
    );
  return h(
    'div',
    { class: 'side-by-side' },
    figure(`this claim (${claim.requestNumber})`, claim.pages[0]?.url),
    figure(`earlier claim ${earlier.requestNumber}`, earlier.pages[0]?.url),
  );
}
