import { describe, expect, it } from 'vitest';
import { textLayerFromText } from '../../../src/domain/text-layer.js';
import { numberOverlap, receiptNumbers } from '../../../src/fraud/receipt-numbers.js';

describe("a receipt's own numbers", () => {
  it('keeps tokens of four or more digits (letters OCR put among digits read as digits), drops words and short numbers', () => {
    const layer = textLayerFromText(['Kasse 24 Kvitt.nr. 6116 kl. 09:30', 'Trace 77327O Totalt 6 880,00', 'WW90T534DAW/S2']);
    expect(receiptNumbers(layer)).toEqual(['0930', '6116', '773270', '88000', '90534052']);
  });

  it('overlap is the share of numbers two receipts have in common, 0 when one has none', () => {
    expect(numberOverlap(['1111', '2222', '3333'], ['2222', '3333', '4444'])).toBe(0.5);
    expect(numberOverlap([], ['2222'])).toBe(0);
  });
});
