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

describe('a re-photographed copy whose numbers are read too poorly to overlap (policy 2026.7)', () => {
  const held = loadPolicy('2026.7').fraud!.duplicateReceipt;
  // An invoice: its own invoice, customer and order numbers, the shop's VAT and phone numbers and postcode, the model's EAN and price.
  const invoice: ReceiptFingerprint = {
    retailer: 'FUST',
    purchaseDate: '2023-05-19',
    model: 'LS32BM700UPXEN',
    unit: null,
    numbers: [
      '03736',
      '0719997700',
      '19052023',
      '349529470',
      '3868349259',
      '45674',
      '49374',
      '72121992',
      '785214187',
      '8801662983487',
      '9726',
    ],
    imageHash: 'f'.repeat(64),
  };
  // Forwarded through a messenger: half the numbers lost, a postcode's 0 read as 8, no model.
  const forwarded: ReceiptFingerprint = {
    ...invoice,
    model: null,
    numbers: ['19052023', '3868349259', '72121992', '785214187', '83736'],
    imageHash: '0'.repeat(64),
  };

  it('is found: the numbers its sparser reading holds are all on the earlier receipt, one misread digit forgiven', () => {
    const match = matchReceipt(forwarded, [stored(invoice)], held);
    expect(match).toMatchObject({ candidate: { claimId: 'C-1' }, confirmedBy: 'numbers_held', numbersHeld: { judged: 4, held: 4 } });
    expect(match!.numberOverlap).toBeLessThan(held.minNumberOverlap);
  });

  it('is let through under 2026.6, which the earlier claims were decided by', () => {
    expect(matchReceipt(forwarded, [stored(invoice)], loadPolicy('2026.6').fraud!.duplicateReceipt)).toBeNull();
  });

  it("another customer's invoice from that shop and day for the same model, well read, is not a copy", () => {
    const sibling = {
      ...invoice,
      numbers: [
        '04103',
        '0719997700',
        '19052023',
        '349529470',
        '3868351102',
        '45674',
        '49374',
        '72098311',
        '785214203',
        '8801662983487',
        '9726',
      ],
    };
    expect(matchReceipt(sibling, [stored(invoice)], held)).toBeNull();
  });

  it("the shop's own numbers, printed on its receipts of other days too, do not confirm a copy", () => {
    const shop = ['0719997700', '349529470', '8801662983487', '45674', '49374'];
    const otherDay = { ...invoice, purchaseDate: '2023-02-07', numbers: [...shop, '9726', '55512312'] };
    // A poor reading of another customer's invoice that day: only the shop's numbers came out.
    const sibling = { ...forwarded, numbers: ['19052023', ...shop] };
    expect(matchReceipt(sibling, [stored(invoice), stored(otherDay, 'C-0')], held)).toMatchObject({
      candidate: { claimId: 'C-1' },
      confirmedBy: 'unconfirmed',
      numbersHeld: { judged: 0 },
    });
  });

  it("the model code's digits and the product's EAN, on any receipt of that model, do not confirm a copy", () => {
    // Another customer's invoice that day, poorly read: the order number, the model code read as digits, the EAN.
    const sibling = { ...forwarded, numbers: ['19052023', '3868351102', '15328700', '8801662983487', '0719997700'] };
    expect(matchReceipt(sibling, [stored({ ...invoice, numbers: [...invoice.numbers, '15328700'] })], held)).toMatchObject({
      confirmedBy: 'unconfirmed',
      numbersHeld: { judged: 2, held: 1, longJudged: 2 },
    });
  });

  it('a reading with too few numbers to judge, from the same shop and day, is an unconfirmed match rather than a pass', () => {
    const blurred = { ...forwarded, numbers: ['19052023', '3868'] };
    expect(matchReceipt(blurred, [stored(invoice)], held)).toMatchObject({ confirmedBy: 'unconfirmed', numbersHeld: { longJudged: 0 } });
  });

  it('too few numbers to judge is no match when the purchase date does not agree', () => {
    const blurred = { ...forwarded, purchaseDate: null, model: invoice.model, numbers: ['3868'] };
    expect(matchReceipt(blurred, [stored(invoice)], held)).toBeNull();
  });

  it('a confirmed earlier receipt wins over an unconfirmed one', () => {
    const unread = { ...invoice, numbers: [] };
    const match = matchReceipt(forwarded, [stored(unread, 'C-2'), stored(invoice, 'C-1')], held);
    expect(match).toMatchObject({ candidate: { claimId: 'C-1' }, confirmedBy: 'numbers_held' });
  });
});
