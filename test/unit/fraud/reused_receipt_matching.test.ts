import { describe, expect, it } from 'vitest';
import type { ReceiptFingerprint } from '../../../src/domain/fraud.js';
import { blockingKeys, matchReceipt } from '../../../src/fraud/receipt-match.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';

const rule = loadPolicy('2026.2').fraud!.duplicateReceipt;
const original: ReceiptFingerprint = {
  retailer: 'ELKJØP',
  purchaseDate: '2025-03-02',
  model: 'WW90T534DAW/52',
  unit: null,
  numbers: ['0930', '6116', '4179918', '659000', '9196752', '29000', '688000', '69035063', '773273', '815000'],
  imageHash: 'f'.repeat(64),
};
const stored = (fingerprint: ReceiptFingerprint, claimId = 'C-1') => ({
  claimId,
  requestNumber: 'WR-AAAA-BBBB',
  file: 'a.png',
  fingerprint,
});

describe('a receipt used again for another claim', () => {
  it('is found when re-photographed: a misread model and two misread numbers still match', () => {
    const copy = {
      ...original,
      model: 'WW9OT534DAW/52',
      numbers: original.numbers.map((n, i) => (i < 2 ? `${n}1` : n)),
      imageHash: 'e'.repeat(64),
    };
    const match = matchReceipt(copy, [stored(original)], rule);
    expect(match).toMatchObject({
      candidate: { claimId: 'C-1' },
      confirmedBy: 'numbers',
      fieldsAgreeing: ['retailer', 'purchaseDate', 'model'],
    });
    expect(match!.numberOverlap).toBeGreaterThanOrEqual(rule.minNumberOverlap);
  });

  it('is found again under a key that survives one misread field', () => {
    const misreadDate = blockingKeys({ ...original, purchaseDate: '2025-08-02' });
    expect(misreadDate.filter((k) => blockingKeys(original).includes(k))).toEqual(['rm:ELKJØP|WW90T534DAW/52']);
  });
});

describe('another purchase that looks alike', () => {
  it('same shop, day and model with an identical image hash is not a reused receipt when its own numbers differ', () => {
    const sibling = {
      ...original,
      numbers: ['1412', '6117', '4179918', '659000', '9196752', '29000', '688000', '69035063', '901234', '815000'],
    };
    expect(matchReceipt(sibling, [stored(original)], rule)).toBeNull();
  });

  it('needs at least two fields to compare, however alike the numbers', () => {
    const bare = { ...original, retailer: null, model: null };
    expect(matchReceipt(bare, [stored(original)], rule)).toBeNull();
  });
});
