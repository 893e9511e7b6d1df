import { describe, expect, it } from 'vitest';
import { type Flag, flag } from '../../../src/domain/flags.js';
import { assess, decideStatus } from '../../../src/policy/assess.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { claim, flagCodes, form, policy, receipt } from './claim-builders.js';

// The last table that compares the extractor's scores as read with the bar; from 2026.7 the score
// is calibrated first (calibrated_confidence.test.ts), and these scores would mean more.
const scoresAsRead = loadPolicy('2026.6');

const expired = flag('WARRANTY_EXPIRED', 'period over');
const regionRefused = flag('REGION_NOT_COVERED', 'not covered');
const mismatch = flag('SERIAL_MISMATCH', 'numbers differ');
const note = flag('FORM_NORMALISED', 'O read as 0');

describe('status precedence', () => {
  it.each<[string, Flag[], string]>([
    ['no flags', [], 'eligible'],
    ['only a note', [note], 'eligible'],
    ['a refusal', [expired], 'not_eligible'],
    ['a refusal and a note', [regionRefused, note], 'not_eligible'],
    ['a review flag beats a refusal', [expired, mismatch], 'needs_review'],
    ['a refused upload beats everything', [mismatch, flag('UNREADABLE_DOCUMENT', 'unreadable')], 'rejected_input'],
  ])('%s', (_, flags, status) => {
    expect(decideStatus(flags)).toBe(status);
  });

  it('signals from earlier stages (tampering, duplicates) send the claim to review', () => {
    const decision = assess(claim({ signals: [flag('POSSIBLE_TAMPERING', 'edited image')] }), policy);
    expect(decision.status).toBe('needs_review');
    expect(flagCodes(decision)).toEqual(['POSSIBLE_TAMPERING']);
  });

  it('an expired claim that also needs review is needs_review, keeping both flags', () => {
    const decision = assess(
      claim({ form: form({ claimDate: '2026-06-01' }), signals: [flag('DUPLICATE_SERIAL', 'claimed before')] }),
      policy,
    );
    expect(decision.status).toBe('needs_review');
    expect(flagCodes(decision).sort()).toEqual(['DUPLICATE_SERIAL', 'WARRANTY_EXPIRED']);
  });

  it('the decision names the policy version', () => {
    expect(assess(claim(), policy).policyVersion).toBe(policy.version);
  });
});

describe('never eligible on weak evidence', () => {
  it('no receipt at all: needs_review with MISSING_PURCHASE_DATE', () => {
    const decision = assess(claim({ form: form({ model: 'SM-S921B/DS', purchaseDate: '2025-01-10' }), receipt: null }), policy);
    expect(decision.status).toBe('needs_review');
    expect(flagCodes(decision)).toEqual(['MISSING_PURCHASE_DATE']);
    expect(decision.warranty).toBeNull();
  });

  it('a low-confidence purchase date blocks eligibility', () => {
    const decision = assess(claim({ receipt: receipt({ purchaseDate: { value: '2024-03-12', confidence: 0.4 } }) }), scoresAsRead);
    expect(decision.status).toBe('needs_review');
    expect(decision.flags).toEqual([
      expect.objectContaining({
        code: 'LOW_CONFIDENCE',
        evidence: expect.objectContaining({ field: 'purchaseDate', confidence: 0.4, threshold: 0.6 }),
      }),
    ]);
  });

  it('a low-confidence purchase date cannot refuse a claim either', () => {
    const decision = assess(
      claim({
        form: form({ claimDate: '2027-01-01' }),
        receipt: receipt({ purchaseDate: { value: '2024-03-12', confidence: 0.4 } }),
      }),
      scoresAsRead,
    );
    expect(decision.status).toBe('needs_review');
  });

  it('a low-confidence model (it decides the family) blocks eligibility', () => {
    const decision = assess(claim({ receipt: receipt({ model: { value: 'SM-S921B/DS', confidence: 0.5 } }) }), scoresAsRead);
    expect(flagCodes(decision)).toEqual(['LOW_CONFIDENCE']);
  });

  it('an unknown model code: UNKNOWN_PRODUCT, no warranty', () => {
    const decision = assess(claim({ receipt: receipt({ model: 'XYZ-1000' }) }), policy);
    expect(decision.status).toBe('needs_review');
    expect(flagCodes(decision)).toEqual(['UNKNOWN_PRODUCT']);
    expect(decision.warranty).toBeNull();
  });

  it('no model anywhere: UNKNOWN_PRODUCT and MISSING_MODEL', () => {
    const decision = assess(claim({ receipt: receipt({ model: null }) }), policy);
    expect(flagCodes(decision).sort()).toEqual(['MISSING_MODEL', 'UNKNOWN_PRODUCT']);
  });

  it('the receipt model decides the family; the form model is the fallback', () => {
    const fromForm = assess(claim({ form: form({ model: 'SM-X710' }), receipt: receipt({ model: null, serial: 'R5CT6073PQV' }) }), policy);
    expect(fromForm.warranty?.family).toBe('tablet');
    expect(flagCodes(fromForm)).toEqual(['MISSING_MODEL']);
  });
});
