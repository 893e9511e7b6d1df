import { h } from '../dom.js';
import type { ClaimDetail, FlagView } from '../types.js';
import type { ReceiptViewer } from '../viewer.js';

export function renderFlag(flag: FlagView, index: number, claim: ClaimDetail, viewer: ReceiptViewer): HTMLElement {
  return h(
    'li',
    { class: `flag ${flag.severity}` },
    h('h3', {}, flag.title, h('span', { class: 'code' }, ` ${flag.code}`)),
    h('p', {}, flag.message),
    flag.details.map((d) => h('p', { class: 'detail' }, d)),
    flag.imei ? imeiDigits(flag.imei) : null,
    flag.highlight
      ? h('button', { type: 'button', class: 'link', onclick: () => viewer.focusMark(`flag-${index}`) }, 'Show on the receipt')
      : null,
    flag.earlierClaim ? sideBySide(claim, flag.earlierClaim) : null,
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
