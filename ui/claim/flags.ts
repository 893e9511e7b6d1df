import { h } from '../dom.js';
import type { ClaimDetail, FlagView, ReceiptPage } from '../types.js';
import type { ReceiptViewer } from '../viewer.js';
import { pageLightbox } from './page-lightbox.js';

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
