import { describe, expect, it } from 'vitest';
import { webhookEventData, webhookEventFor } from '../../../src/domain/webhooks.js';

describe('the webhook event a claim event announces', () => {
  it.each([
    ['decided', { from: 'extracted', to: 'eligible' }, 'claim.decided'],
    ['decided', { from: 'extracted', to: 'not_eligible' }, 'claim.decided'],
    ['decided', { from: 'received', to: 'rejected_input' }, 'claim.decided'],
    ['decided', { from: 'extracted', to: 'needs_review' }, 'claim.needs_review'],
    ['reviewed', { action: 'approve', status: 'eligible' }, 'claim.decided'],
    ['reviewed', { action: 'reject', status: 'not_eligible' }, 'claim.decided'],
    ['reviewed', { action: 'request_info', status: 'awaiting_customer' }, 'claim.customer_asked'],
    ['undone', { from: 'eligible', to: 'needs_review' }, 'claim.needs_review'],
    ['reprocessed', { from: 'needs_review', to: 'eligible' }, 'claim.decided'],
    ['reprocessed', { from: 'eligible', to: 'needs_review' }, 'claim.needs_review'],
    ['document_added', { document: 1, sha256: 'ab', file: 'label.jpg', by: 'api' }, 'claim.document_received'],
    ['closed', { from: 'awaiting_customer', reason: 'CUSTOMER_NO_RESPONSE' }, 'claim.closed'],
    ['reminded', { deadline: '2026-12-14', request: null }, 'claim.customer_reminded'],
  ])('%s %j → %s', (kind, data, type) => {
    expect(webhookEventFor({ kind, data })).toBe(type);
  });

  it.each([
    ['received', { file: 'r.pdf' }],
    ['stage', { from: 'received', to: 'read' }],
    ['reprocessed', { from: 'eligible', to: 'eligible' }],
    ['second_look', { humanStatus: 'eligible', machineStatus: 'needs_review' }],
  ])('none for %s %j', (kind, data) => {
    expect(webhookEventFor({ kind, data })).toBeNull();
  });
});

describe("a webhook event's data", () => {
  const claim = { status: 'needs_review', result: { claimId: 'C-1', status: 'needs_review' } };

  it('carries the status and the result contract for a decision', () => {
    expect(webhookEventData('claim.needs_review', { kind: 'decided', data: { to: 'needs_review' } }, claim)).toEqual(claim);
  });

  it("carries the reviewer's structured request as it is for a request to the customer", () => {
    const request = {
      items: [{ code: 'SERIAL_LABEL_PHOTO', label: 'A photo of the serial label', clears: ['LOW_CONFIDENCE'] }],
      note: null,
    };
    const event = { kind: 'reviewed', data: { action: 'request_info', reason: null, request, reviewer: 'alice' } };
    expect(webhookEventData('claim.customer_asked', event, { status: 'awaiting_customer', result: {} })).toEqual({
      status: 'awaiting_customer',
      request,
    });
  });

  it("carries the claim event's own data for documents, reminders and closing", () => {
    const data = { from: 'awaiting_customer', reason: 'CUSTOMER_NO_RESPONSE', policyVersion: '2026.5', deadline: '2026-12-14' };
    expect(webhookEventData('claim.closed', { kind: 'closed', data }, { status: 'closed', result: {} })).toEqual({
      status: 'closed',
      ...data,
    });
  });
});
