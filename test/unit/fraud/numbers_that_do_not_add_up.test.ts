import { describe, expect, it } from 'vitest';
import type { NormalisedForm } from '../../../src/domain/assessment.js';
import { EMPTY_FIELD, type Extraction } from '../../../src/domain/extraction.js';
import { numberSignals } from '../../../src/fraud/number-checks.js';
import { loadPolicy, parsePolicy } from '../../../src/policy/policy-table.js';

const policy = loadPolicy('2026.2');
const fraud = policy.fraud!;
const form: NormalisedForm = {
  serial: null,
  imei: null,
  model: null,
  purchaseDate: null,
  country: 'DE',
  claimDate: '2025-06-01',
  flags: [],
};
const field = (value: string) => ({
  value,
  confidence: 0.95,
  source: value,
  location: { page: 1, box: [10, 20, 110, 40] as [number, number, number, number] },
});
function receipt(model: string, purchaseDate: string, serial: string | null = null): Extraction {
  return {
    purchaseDate: field(purchaseDate),
    retailer: field('MediaMarkt'),
    model: field(model),
    serial: serial ? field(serial) : EMPTY_FIELD,
    imei: EMPTY_FIELD,
    facts: { extendedWarranty: false, otherDates: [] },
  };
}

describe('a serial of the wrong length for its product family', () => {
  it('an 11-character serial on a TV receipt and a 15-character one typed for a phone are flagged, naming the family', () => {
    const tv = numberSignals(form, receipt('UE55CU8079UXZG', '2024-02-21', 'R5CT6073PQV'), policy, fraud);
    expect(tv).toMatchObject([{ code: 'INVALID_SERIAL_FORMAT', evidence: { family: 'tv', where: 'on the receipt', threshold: [15] } }]);
    const phone = numberSignals({ ...form, serial: '0C5K5KCW502227T' }, receipt('SM-S921B/DS', '2024-05-24'), policy, fraud);
    expect(phone).toMatchObject([{ code: 'INVALID_SERIAL_FORMAT', evidence: { family: 'phone', where: 'on the form', threshold: [11] } }]);
  });

  it('accepts each family its own length, and an IMEI typed into a phone serial field', () => {
    expect(
      numberSignals({ ...form, serial: '356938035643809' }, receipt('SM-S921B/DS', '2024-05-24', 'R3CX4814FPH'), policy, fraud),
    ).toEqual([]);
    expect(numberSignals(form, receipt('NP750XGK-KG3DE', '2024-05-08', '4L8F3FYM594219H'), policy, fraud)).toEqual([]);
  });

  it('a table naming a family it does not define is refused at load', () => {
    const table = structuredClone(policy) as Record<string, any>;
    table.fraud.serialFormat.lengthsByFamily.phablet = [11];
    expect(() => parsePolicy(table, 'test')).toThrow(/family "phablet"/);
  });
});

describe('a purchase before the model was on sale', () => {
  it('a Galaxy S24 bought in 2023 and a 2023 TV (year letter C) bought in 2022 are flagged with the date and the rule', () => {
    const [s24] = numberSignals(form, receipt('SM-S921B/DS', '2023-06-01', 'R3CX4814FPH'), policy, fraud);
    expect(s24).toMatchObject({
      code: 'POSSIBLE_TAMPERING',
      evidence: {
        signal: 'sold_before_release',
        purchaseDate: '2023-06-01',
        threshold: '2023-12-17',
        rule: 'fraud.model_release',
        box: [10, 20, 110, 40],
      },
    });
    expect(numberSignals(form, receipt('QE55Q80CATXZG', '2022-11-30'), policy, fraud)).toMatchObject([
      { evidence: { signal: 'sold_before_release' } },
    ]);
  });

  it('leaves purchases after the launch, and models the table does not list, alone', () => {
    expect(numberSignals(form, receipt('QE55Q80CATXZG', '2023-02-21'), policy, fraud)).toEqual([]);
    expect(numberSignals(form, receipt('WW90T534DAW/S2', '2015-01-01', '8H5Z7XPP050636J'), policy, fraud)).toEqual([]);
  });
});
