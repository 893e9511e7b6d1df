import { describe, expect, it } from 'vitest';
import {
  closedResult,
  customerRequest,
  REQUEST_ITEMS,
  RequestItemCode,
  responseDeadlines,
  type RequestItemCode as ItemCode,
} from '../../../src/domain/customer-requests.js';
import { EMPTY_FIELD } from '../../../src/domain/extraction.js';
import { FLAG_CODES, FLAG_SEVERITY, FlagCode } from '../../../src/domain/flags.js';
import { ReviewDecision } from '../../../src/domain/review.js';
import type { ClaimResult } from '../../../src/domain/result.js';
import { CURRENT_POLICY_VERSION, loadPolicy, parsePolicy } from '../../../src/policy/policy-table.js';
import { PolicyLoadError } from '../../../src/errors/policy-load-error.js';

const codes = Object.keys(REQUEST_ITEMS) as ItemCode[];

describe('the catalogue of what a reviewer can ask the customer for', () => {
  it('has the five items the issue names, each with words for the customer and real flag codes it clears', () => {
    expect(codes).toEqual(['SHARPER_PHOTO', 'MODEL_SERIAL_PAGE', 'SERIAL_LABEL_PHOTO', 'RETAILER_PROOF_OF_PURCHASE', 'UNALTERED_ORIGINAL']);
    for (const code of codes) {
      expect(REQUEST_ITEMS[code].label.length).toBeGreaterThan(20);
      expect(REQUEST_ITEMS[code].clears.length).toBeGreaterThan(0);
      for (const cleared of REQUEST_ITEMS[code].clears) {
        expect(FlagCode.safeParse(cleared).success, `${code} clears ${cleared}`).toBe(true);
        // Only a flag that sends the claim to a person, or refuses the receipt as unreadable, can be mended by the customer.
        expect(['review', 'rejection']).toContain(FLAG_SEVERITY[cleared]);
      }
    }
    expect(REQUEST_ITEMS.SHARPER_PHOTO.clears).toEqual(expect.arrayContaining(['LOW_CONFIDENCE', 'UNREADABLE_DOCUMENT']));
    expect(REQUEST_ITEMS.SERIAL_LABEL_PHOTO.clears).toEqual(
      expect.arrayContaining(['MISSING_SERIAL', 'SERIAL_MISMATCH', 'INVALID_SERIAL_FORMAT']),
    );
  });

  it('clears each flag by one item at most, so pre-ticking never asks twice for one problem', () => {
    const cleared = codes.flatMap((code) => [...REQUEST_ITEMS[code].clears]);
    expect(new Set(cleared).size).toBe(cleared.length);
  });

  it('records a request in the catalogue’s words, so the history shows what the customer was shown', () => {
    expect(customerRequest(['SERIAL_LABEL_PHOTO'], 'The label is under the battery cover.')).toEqual({
      items: [
        { code: 'SERIAL_LABEL_PHOTO', label: REQUEST_ITEMS.SERIAL_LABEL_PHOTO.label, clears: [...REQUEST_ITEMS.SERIAL_LABEL_PHOTO.clears] },
      ],
      note: 'The label is under the battery cover.',
    });
  });

  it('refuses a request for nothing, for an unknown item or for one item twice, saying where', () => {
    const ask = (items: unknown) => ReviewDecision.safeParse({ action: 'request_info', items });
    const problems = (items: unknown) => ask(items).error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    expect(problems([])).toEqual([{ path: 'items', message: 'ask for at least one item' }]);
    expect(problems(['SERIAL_LABEL_PHOTO', 'A_SELFIE'])).toEqual([
      { path: 'items.1', message: expect.stringMatching(/^not an item that can be asked for: A_SELFIE; one of SHARPER_PHOTO, /) },
    ]);
    expect(problems(['SHARPER_PHOTO', 'SHARPER_PHOTO'])).toEqual([{ path: 'items', message: 'an item is asked for once: SHARPER_PHOTO' }]);
    expect(ask(['SHARPER_PHOTO']).data).toEqual({ action: 'request_info', items: ['SHARPER_PHOTO'], corrections: {} });
    // The free reasons of old are no longer a way to ask.
    expect(ReviewDecision.safeParse({ action: 'request_info', reason: 'RECEIPT_ILLEGIBLE' }).success).toBe(false);
    expect(RequestItemCode.options).toEqual(codes);
  });
});

describe('the customer’s deadline', () => {
  it('is the policy’s days after asking, with the reminder after its own days, in whole 24-hour days', () => {
    const asked = new Date('2026-03-28T10:15:00.000Z');
    const { remindAt, deadline } = responseDeadlines(asked, { days: 14, reminderAfterDays: 7 });
    expect(remindAt.toISOString()).toBe('2026-04-04T10:15:00.000Z');
    expect(deadline.toISOString()).toBe('2026-04-11T10:15:00.000Z');
  });

  it('is in the current policy from 2026.6 on (14 days, reminded after 7), with its rule and source; absent before', () => {
    expect(CURRENT_POLICY_VERSION).toBe('2026.7');
    expect(loadPolicy(CURRENT_POLICY_VERSION).customerResponse).toEqual(loadPolicy('2026.6').customerResponse);
    expect(loadPolicy('2026.6').customerResponse).toEqual({
      id: 'customer.response',
      days: 14,
      reminderAfterDays: 7,
      source: expect.stringMatching(/14 days/),
    });
    expect(loadPolicy('2026.5').customerResponse).toBeUndefined();
  });

  it('refuses a table whose reminder would go out after the deadline', () => {
    const table = structuredClone(loadPolicy('2026.6')) as Record<string, any>;
    table.customerResponse.reminderAfterDays = 14;
    expect(() => parsePolicy(table, 'broken')).toThrow(PolicyLoadError);
    expect(() => parsePolicy(table, 'broken')).toThrow(
      /customerResponse\.reminderAfterDays[\s\S]*before the deadline|before the deadline[\s\S]*reminderAfterDays/,
    );
  });

  it('closes a claim as not eligible with CUSTOMER_NO_RESPONSE naming the rule, its policy version and the request', () => {
    const result: ClaimResult = {
      file: null,
      claimId: 'C-1',
      status: 'needs_review',
      fields: { purchaseDate: EMPTY_FIELD, retailer: EMPTY_FIELD, model: EMPTY_FIELD, serial: EMPTY_FIELD, imei: EMPTY_FIELD },
      warranty: null,
      flags: [{ code: 'MISSING_SERIAL', message: 'no serial', evidence: {} }],
      policyVersion: '2026.5',
      documentHash: null,
    };
    const rule = loadPolicy('2026.6').customerResponse!;
    const closed = closedResult(result, {
      askedAt: '2026-03-28T10:15:00.000Z',
      deadline: '2026-04-11T10:15:00.000Z',
      remindedAt: '2026-04-04T10:15:00.000Z',
      policyVersion: '2026.6',
      rule,
      request: customerRequest(['SERIAL_LABEL_PHOTO'], null),
    });
    expect(closed.status).toBe('not_eligible');
    expect(closed.flags.map((f) => f.code)).toEqual(['MISSING_SERIAL', 'CUSTOMER_NO_RESPONSE']);
    expect(closed.flags[1]!.evidence).toEqual({
      rule: 'customer.response',
      clause: rule.source,
      policyVersion: '2026.6',
      askedAt: '2026-03-28T10:15:00.000Z',
      remindedAt: '2026-04-04T10:15:00.000Z',
      deadline: '2026-04-11T10:15:00.000Z',
      items: ['SERIAL_LABEL_PHOTO'],
    });
    expect(FLAG_CODES).toContain('CUSTOMER_NO_RESPONSE');
  });
});
