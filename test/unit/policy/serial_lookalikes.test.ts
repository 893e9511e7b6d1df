import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/policy/assess.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { productCodeGrammar } from '../../../src/policy/product-codes.js';
import { claim, flagCodes, form, receipt } from './claim-builders.js';

const policy = loadPolicy('2026.4');
const grammar = productCodeGrammar(policy.productCodes);

/** A phone receipt whose serial OCR read as `serial`; `textSource` says how the text was read. */
const phoneReceipt = (serial: string, textSource: 'ocr' | 'pdf-text' = 'ocr') =>
  receipt({ serial, imei: null, model: 'SM-A556B' }, { textSource });
const tvReceipt = (serial: string) => receipt({ serial, imei: null, model: 'QE55Q80CATXZG' }, { textSource: 'ocr' });

// Mobile serials: R + factory (2) + year letter + month (1-9, A-C) + unit (6); 15-character
// product serials: suppliers (4) + product and plant (3) + year letter + month + unit (6).

describe('a serial read with OCR look-alikes, reconciled with the form', () => {
  it('a letter read where the month digit must be is the typed digit: reported as typed, the reading kept as source', () => {
    const decision = assess(claim({ form: form({ serial: 'R5CW12ABCDE' }), receipt: phoneReceipt('R5CWI2ABCDE') }), policy);
    expect(decision.status).toBe('eligible');
    expect(flagCodes(decision)).toEqual(['SERIAL_RECONCILED']);
    expect(decision.reconciledFields?.serial).toMatchObject({ value: 'R5CW12ABCDE', source: 'R5CWI2ABCDE' });
    expect(decision.flags[0]!.evidence).toMatchObject({
      rule: 'consistency.serial_lookalikes',
      policyVersion: '2026.4',
      reconciledFrom: 'R5CWI2ABCDE',
      reconciled: 'R5CW12ABCDE',
      positions: [{ position: 5, read: 'I', typed: '1' }],
    });
  });

  it('a digit read where the year letter must be, and a letter for the month, both at once', () => {
    const decision = assess(claim({ form: form({ serial: 'R5CG12ABCDE' }), receipt: phoneReceipt('R5C6I2ABCDE') }), policy);
    expect(decision.status).toBe('eligible');
    expect(decision.reconciledFields?.serial?.value).toBe('R5CG12ABCDE');
  });

  it('works for 15-character product serials too (year and month positions)', () => {
    const decision = assess(claim({ form: form({ serial: '4A7B3CDZ512345X' }), receipt: tvReceipt('4A7B3CD2S12345X') }), policy);
    expect(decision.status).toBe('eligible');
    expect(decision.flags[0]!.evidence).toMatchObject({
      positions: [
        { position: 8, read: '2', typed: 'Z' },
        { position: 9, read: 'S', typed: '5' },
      ],
    });
  });
});

describe('what stays a SERIAL_MISMATCH', () => {
  it('a difference in a character that is no look-alike', () => {
    const decision = assess(claim({ form: form({ serial: 'R9CT5G03AVH' }), receipt: phoneReceipt('R9CT5503AVH') }), policy);
    expect(decision.status).toBe('needs_review');
    expect(flagCodes(decision)).toEqual(['SERIAL_MISMATCH']);
    expect(decision.reconciledFields).toBeUndefined();
  });

  it('a look-alike where the grammar allows both: another unit may carry exactly that serial', () => {
    const decision = assess(claim({ form: form({ serial: 'R5CW12A8CDE' }), receipt: phoneReceipt('R5CW12ABCDE') }), policy);
    expect(flagCodes(decision)).toEqual(['SERIAL_MISMATCH']);
  });

  it('a look-alike whose group has two members the position allows (O read for the year: D or Q?)', () => {
    const decision = assess(claim({ form: form({ serial: 'R5CD12ABCDE' }), receipt: phoneReceipt('R5C012ABCDE') }), policy);
    expect(flagCodes(decision)).toEqual(['SERIAL_MISMATCH']);
  });

  it('a reading from a PDF text layer, which cannot be misread', () => {
    const decision = assess(claim({ form: form({ serial: 'R5CW12ABCDE' }), receipt: phoneReceipt('R5CWI2ABCDE', 'pdf-text') }), policy);
    expect(flagCodes(decision)).toEqual(['SERIAL_MISMATCH']);
  });

  it('more repairs than the policy allows', () => {
    const strict = structuredClone(policy);
    strict.checks.serialLookalikes!.maxPositions = 1;
    const decision = assess(claim({ form: form({ serial: 'R5CG12ABCDE' }), receipt: phoneReceipt('R5C6I2ABCDE') }), strict);
    expect(flagCodes(decision)).toEqual(['SERIAL_MISMATCH']);
  });

  it('a typed serial the grammar rejects is not evidence for anything', () => {
    const decision = assess(claim({ form: form({ serial: 'R5C612ABCDE' }), receipt: phoneReceipt('R5CG12ABCDE') }), policy);
    expect(flagCodes(decision)).toEqual(['SERIAL_MISMATCH']);
  });

  it('under 2026.3, which has no look-alike rule, the misread month is a mismatch as it was', () => {
    const decision = assess(claim({ form: form({ serial: 'R5CW12ABCDE' }), receipt: phoneReceipt('R5CWI2ABCDE') }), loadPolicy('2026.3'));
    expect(flagCodes(decision)).toEqual(['SERIAL_MISMATCH']);
  });
});

describe('what needs no reconciling', () => {
  it('an S/5 or O/0 where both may stand is no mismatch, and the reading is reported as read', () => {
    const decision = assess(claim({ form: form({ serial: 'R5CW12ABCDE' }), receipt: phoneReceipt('RSCW12ABCDE') }), policy);
    expect(decision.status).toBe('eligible');
    expect(decision.flags).toEqual([]);
    expect(decision.reconciledFields).toBeUndefined();
  });

  it('an IMEI is judged by its check digit, never reconciled', () => {
    const decision = assess(
      claim({
        form: form({ serial: '356938035643809' }),
        receipt: receipt({ imei: '356938O35643809', serial: null }, { textSource: 'ocr' }),
      }),
      policy,
    );
    expect(decision.reconciledFields).toBeUndefined();
  });
});

describe('no other unit passes for the claimed one', () => {
  /** Deterministic serials of a family's layout (a seeded Park–Miller generator). */
  function serials(layout: string[], count: number): string[] {
    let seed = 20261130;
    const next = () => (seed = (seed * 48271) % 2147483647);
    return Array.from({ length: count }, () => layout.map((chars) => chars[next() % chars.length]!).join(''));
  }
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const YEAR = 'ABCDFGHJKMNPQRSTWXYZ';
  const MONTH = '123456789ABC';
  const MOBILE = ['R', ALNUM, ALNUM, YEAR, MONTH, ...Array<string>(6).fill(ALNUM)];
  const LOOKALIKES = ['S5', 'O0DQ', 'I1L', 'B8', 'Z2', 'G6', 'T7'];

  it('a correctly read serial that differs from the typed one by any look-alike is never reconciled', () => {
    let compared = 0;
    for (const printed of serials(MOBILE, 200)) {
      expect(grammar.acceptsSerial('phone', printed)).toBe(true);
      for (let position = 0; position < printed.length; position++) {
        const group = LOOKALIKES.find((g) => g.includes(printed[position]!)) ?? '';
        for (const other of group.replace(printed[position]!, '')) {
          const typed = printed.slice(0, position) + other + printed.slice(position + 1);
          const decision = assess(claim({ form: form({ serial: typed }), receipt: phoneReceipt(printed) }), policy);
          expect(decision.reconciledFields).toBeUndefined();
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
