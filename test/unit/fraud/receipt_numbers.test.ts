import { describe, expect, it } from 'vitest';
import { textLayerFromText } from '../../../src/domain/text-layer.js';
import { isEan13, numberOverlap, numbersHeld, receiptNumbers, sameNumberRead } from '../../../src/fraud/receipt-numbers.js';

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

describe('one number read twice', () => {
  it('forgives one misread, lost or extra digit from five digits on, none below', () => {
    expect(sameNumberRead('03736', '83736')).toBe(true);
    expect(sameNumberRead('123704190', '1123704190')).toBe(true);
    expect(sameNumberRead('785214187', '785214203')).toBe(false);
    expect(sameNumberRead('6116', '6117')).toBe(false);
  });

  it("counts the sparser reading's numbers the other holds, leaving out the ignored ones", () => {
    const fuller = ['19052023', '3868349259', '72121992', '785214187', '03736', '9726'];
    expect(numbersHeld(['19052023', '3868349259', '72121992', '99887766', '83736'], fuller, (n) => n === '19052023')).toEqual({
      judged: 4,
      held: 3,
      longJudged: 3,
      longHeld: 2,
    });
  });
});

describe("a product's EAN among a receipt's numbers", () => {
  it('is a 13-digit number whose last digit is its GS1 check digit', () => {
    expect(isEan13('8801662983487')).toBe(true);
    expect(isEan13('8801662983486')).toBe(false);
    expect(isEan13('880166298348')).toBe(false);
  });
});
