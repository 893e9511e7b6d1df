import { h } from '../dom.js';
import type { ClaimDetail } from '../types.js';

const minute = (at: string) => `${at.slice(0, 16).replace('T', ' ')} UTC`;

/** What the customer was asked for, in the words they were shown, and the request's dates: while the claim waits for them. */
export function renderCustomerRequest(claim: ClaimDetail): HTMLElement | null {
  const request = claim.customerRequest;
  if (!request) return null;
  const dates = [
    `Asked ${minute(request.askedAt)}`,
    request.remindedAt ? `reminded ${minute(request.remindedAt)}` : 'not reminded yet',
    request.deadline ? `closes unanswered at ${minute(request.deadline)}` : 'no deadline under the policy it was asked under',
  ];
  return h(
    'section',
    { class: 'customer-request', 'aria-label': 'Asked of the customer' },
    h('h2', {}, 'Asked of the customer'),
    h(
      'ul',
      {},
      request.items.map((item) => h('li', { 'data-code': item.code }, item.label)),
    ),
    request.note ? h('p', { class: 'note' }, `“${request.note}”`) : null,
    h('p', { class: 'hint' }, `${dates.join('; ')}.`),
  );
}
