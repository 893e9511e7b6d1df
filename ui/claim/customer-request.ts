import { h } from '../dom.js';
import type { ClaimDetail } from '../types.js';

const minute = (at: string) => `${at.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * What the customer was asked for, in the words they were shown, and the request's dates: while the
 * claim waits for them, and once what they sent brought it back to review (the documents that answered).
 */
export function renderCustomerRequest(claim: ClaimDetail): HTMLElement | null {
  const request = claim.customerRequest;
  if (!request) return null;
  const answered = request.answeredBy.length > 0;
  const dates = answered
    ? [`Asked ${minute(request.askedAt)}`]
    : [
        `Asked ${minute(request.askedAt)}`,
        request.remindedAt ? `reminded ${minute(request.remindedAt)}` : 'not reminded yet',
        request.deadline ? `closes unanswered at ${minute(request.deadline)}` : 'no deadline under the policy it was asked under',
      ];
  return h(
    'section',
    { class: 'customer-request', 'aria-label': 'Asked of the customer' },
    h('h2', {}, answered ? 'Asked of the customer: answered' : 'Asked of the customer'),
    h(
      'ul',
      {},
      request.items.map((item) => h('li', { 'data-code': item.code }, item.label)),
    ),
    request.note ? h('p', { class: 'note' }, `“${request.note}”`) : null,
    h('p', { class: 'hint' }, `${dates.join('; ')}.`),
    answered
      ? h(
          'p',
          { class: 'answered' },
          `Answered by ${request.answeredBy
            .map((d) => `document ${d.document + 1}${d.file ? ` (${d.file})` : ''}, received ${minute(d.addedAt)}`)
            .join('; ')}: the claim was read and assessed again with it.`,
        )
      : null,
  );
}
