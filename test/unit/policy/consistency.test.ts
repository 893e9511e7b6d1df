import { describe, expect, it } from 'vitest';
import { normaliseForm } from '../../../src/intake/form.js';
import { assess } from '../../../src/policy/assess.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { claim, flagCodes, form, policy, receipt, VALID_IMEI } from './claim-builders.js';

const notebookReceipt = (serial: string) => receipt({ model: 'NP750XGK-KG3DE', serial, imei: null, purchaseDate: '2024-05-08' });

describe('serial and IMEI: form vs receipt', () => {
  it('an O/0 or S/5 confusion is not a mismatch', () => {
    const decision = assess(claim({ form: form({ serial: '4L8F3FYMS94219H' }), receipt: notebookReceipt('4L8F3FYM594219H') }), policy);
    expect(decision.status).toBe('eligible');
    expect(decision.flags).toEqual([]);
  });

  it('O/0 and S/5 on both sides at once are not a mismatch either', () => {
    const decision = assess(claim({ form: form({ serial: 'S6ZYRNGOW7183OV' }), receipt: notebookReceipt('S6ZYRNG0W71830V') }), policy);
    expect(decision.status).toBe('eligible');
  });

  it('a real difference is SERIAL_MISMATCH, showing both numbers', () => {
    const decision = assess(claim({ form: form({ serial: '1M9M5ERC00E488B' }), receipt: notebookReceipt('1M9M5ERC008488B') }), policy);
    expect(decision.status).toBe('needs_review');
    expect(decision.flags).toEqual([
      expect.objectContaining({
        code: 'SERIAL_MISMATCH',
        evidence: expect.objectContaining({
          rule: 'consistency.serial',
          form: { kind: 'serial', value: '1M9M5ERC00E488B' },
          receipt: [{ kind: 'serial', value: '1M9M5ERC008488B' }],
        }),
      }),
    ]);
  });

  it('a form IMEI with a typo against the receipt IMEI: SERIAL_MISMATCH and the form INVALID_IMEI', () => {
    const typed = normaliseForm({ imei: '351708138650492' }, { country: 'NO', today: '2025-05-07' });
    const decision = assess(claim({ form: typed, receipt: receipt({ imei: '351708138600492', purchaseDate: '2024-05-24' }) }), policy);
    expect(decision.status).toBe('needs_review');
    expect(flagCodes(decision).sort()).toEqual(['INVALID_IMEI', 'SERIAL_MISMATCH']);
  });

  it('an IMEI typed into the serial field is compared with the receipt IMEI', () => {
    const typed = normaliseForm({ serial: VALID_IMEI }, { country: 'DE', today: '2025-06-01' });
    const decision = assess(claim({ form: typed, receipt: receipt({ serial: 'R5CX12ABCDE' }) }), policy);
    expect(decision.status).toBe('eligible');
  });

  it('a serial on the form cannot be tied to a receipt that shows only a different IMEI', () => {
    const decision = assess(claim({ form: form({ serial: 'R5CX12ABCDE' }) }), policy);
    expect(flagCodes(decision)).toEqual(['SERIAL_MISMATCH']);
  });

  it('the receipt IMEI is compared to the form IMEI even when the receipt also shows a serial', () => {
    const decision = assess(claim({ form: form({ imei: VALID_IMEI }), receipt: receipt({ serial: 'R3CN4977GAR' }) }), policy);
    expect(decision.status).toBe('eligible');
  });

  it('a receipt without any number is MISSING_SERIAL, not a mismatch', () => {
    const decision = assess(claim({ form: form({ serial: 'R9CW6078YXJ' }), receipt: receipt({ imei: null }) }), policy);
    expect(flagCodes(decision)).toEqual(['MISSING_SERIAL']);
  });

  it('a receipt IMEI failing the Luhn check is INVALID_IMEI naming the expected check digit', () => {
    const decision = assess(claim({ receipt: receipt({ imei: '351708135985302' }) }), policy);
    expect(decision.flags).toEqual([
      expect.objectContaining({
        code: 'INVALID_IMEI',
        evidence: expect.objectContaining({ rule: 'imei.check_digit', checkDigit: 2, expectedCheckDigit: 0 }),
      }),
    ]);
  });
});

describe('model and purchase date: form vs receipt', () => {
  it('case and spaces are not a model mismatch', () => {
    const decision = assess(claim({ form: form({ model: 'sm-s921b/ds' }) }), policy);
    expect(decision.status).toBe('eligible');
  });

  it('a different model is MODEL_MISMATCH', () => {
    const decision = assess(claim({ form: form({ model: 'SM-A546B' }) }), policy);
    expect(decision.flags).toEqual([
      expect.objectContaining({
        code: 'MODEL_MISMATCH',
        evidence: expect.objectContaining({ form: 'SM-A546B', receipt: 'SM-S921B/DS' }),
      }),
    ]);
  });

  it('a different purchase date is DATE_MISMATCH; the receipt date sets the period', () => {
    const decision = assess(
      claim({
        form: form({ purchaseDate: '2024-03-16' }),
        receipt: receipt({}, { otherDates: [{ value: '2024-03-16', role: 'delivery', source: 'Lieferdatum 16.03.2024' }] }),
      }),
      policy,
    );
    expect(decision.status).toBe('needs_review');
    expect(decision.flags).toEqual([
      expect.objectContaining({
        code: 'DATE_MISMATCH',
        evidence: expect.objectContaining({ form: '2024-03-16', receipt: '2024-03-12', formDateOnReceiptAs: 'delivery' }),
      }),
    ]);
    expect(decision.flags[0]?.message).toContain('delivery');
    expect(decision.warranty?.expires).toBe('2026-03-12');
  });

  it('the same date is no mismatch', () => {
    expect(assess(claim({ form: form({ purchaseDate: '2024-03-12' }) }), policy).status).toBe('eligible');
  });
});

describe('low-confidence readings confirmed by the form', () => {
  it('needs no review for a doubtful serial that equals the typed one, but does for one that differs', async () => {
    const { assess } = await import('../../../src/policy/assess.js');
    const { claim, form, policy, receipt } = await import('./claim-builders.js');
    const printed = 'R5CT6073PQV';
    const doubtful = (typed: string) => {
      const read = receipt({ serial: printed, imei: null });
      return claim({ form: form({ serial: typed }), receipt: { ...read, serial: { ...read.serial, confidence: 0.3 } } });
    };
    const confirmed = assess(doubtful('R5CT6O73PQV'), policy);
    expect(confirmed.flags.map((f) => f.code)).not.toContain('LOW_CONFIDENCE');
    expect(confirmed.status).toBe('eligible');
    const other = assess(doubtful('R5CT6073PQW'), policy);
    expect(other.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['LOW_CONFIDENCE', 'SERIAL_MISMATCH']));
  });
});

describe('a serial or IMEI printed on the receipt but not readable', () => {
  const tvReceipt = receipt(
    { model: 'QE77S95DATXXN', serial: null, imei: null, purchaseDate: '2025-01-11' },
    { unreadIdentifiers: [{ kind: 'serial', source: 'Sevien-Ne.: ~~ ~', location: null }] },
  );

  it("sends a claim whose family needs no serial to review, since the form's serial was not checked", () => {
    const decision = assess(claim({ form: form({ serial: '3BW1YDZ4748735V' }), receipt: tvReceipt }), policy);
    expect(decision.status).toBe('needs_review');
    expect(decision.flags).toEqual([
      expect.objectContaining({
        code: 'LOW_CONFIDENCE',
        evidence: expect.objectContaining({ rule: 'consistency.unread_identifier', field: 'serial', value: null }),
      }),
    ]);
  });

  it('is not flagged without a number on the form, nor under tables before 2026.5', () => {
    expect(assess(claim({ receipt: tvReceipt }), policy).status).toBe('eligible');
    expect(assess(claim({ form: form({ serial: '3BW1YDZ4748735V' }), receipt: tvReceipt }), loadPolicy('2026.4')).status).toBe('eligible');
  });

  it('is MISSING_SERIAL alone where the family needs the number on the receipt', () => {
    const phone = receipt({ imei: null }, { unreadIdentifiers: [{ kind: 'imei', source: 'IMEI: -', location: null }] });
    expect(flagCodes(assess(claim({ form: form({ imei: VALID_IMEI }), receipt: phone }), policy))).toEqual(['MISSING_SERIAL']);
  });
});

describe('a model printed on the receipt but not readable', () => {
  // A monitor needs only its purchase date on the receipt, so nothing else compares the models.
  const monitorReceipt = receipt(
    { model: null, serial: null, imei: null, purchaseDate: '2025-01-03' },
    { unreadModel: { source: 'LS32BM801UU!', location: null } },
  );
  const monitorForm = form({ model: 'LS34BG850SUXEN', serial: '7FJ5WYYA143210X' });

  it("sends the claim to review, since the form's model was not checked", () => {
    const decision = assess(claim({ form: monitorForm, receipt: monitorReceipt }), policy);
    expect(decision.status).toBe('needs_review');
    expect(decision.flags).toEqual([
      expect.objectContaining({
        code: 'LOW_CONFIDENCE',
        evidence: expect.objectContaining({
          rule: 'consistency.unread_model',
          field: 'model',
          source: 'LS32BM801UU!',
          form: 'LS34BG850SUXEN',
        }),
      }),
    ]);
  });

  it('is not flagged without a model on the form, nor under tables before 2026.7', () => {
    const withoutModel = assess(claim({ form: form({ serial: '7FJ5WYYA143210X' }), receipt: monitorReceipt }), policy);
    expect(withoutModel.flags.map((f) => f.evidence.rule)).not.toContain('consistency.unread_model');
    expect(assess(claim({ form: monitorForm, receipt: monitorReceipt }), loadPolicy('2026.6')).status).toBe('eligible');
  });
});
