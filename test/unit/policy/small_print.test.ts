import { describe, expect, it } from 'vitest';
import type { Extraction } from '../../../src/domain/extraction.js';
import { assess } from '../../../src/policy/assess.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { claim, flagCodes, form, receipt } from './claim-builders.js';

// The bar applied to the scores as given: the small-print check is the subject here, not calibration
// (which reads every date this extractor reads as likely right).
const policy = { ...loadPolicy('2026.7'), confidenceCalibration: undefined };
const threshold = policy.checks.smallPrint!.minCoreHeight;

/** Print measured in the customer's picture: `xHeight` px letters on page 1. */
const printed = (xHeight: number): Partial<Extraction['facts']> => ({
  textSource: 'ocr',
  textSize: { page: 1, xHeight, lineHeight: Math.round(xHeight * 1.4 * 10) / 10 },
});

const unsureDate = { purchaseDate: { value: '2024-03-12', confidence: 0.4 } };

describe('asking for a sharper photo when the print is too small to read', () => {
  it('replaces LOW_CONFIDENCE by SHARPER_PHOTO_NEEDED, naming the measured height, the threshold and the field', () => {
    const decision = assess(claim({ receipt: receipt(unsureDate, printed(5.5)) }), policy);
    expect(decision.status).toBe('needs_review');
    expect(flagCodes(decision)).toEqual(['SHARPER_PHOTO_NEEDED']);
    const [sharper] = decision.flags;
    expect(sharper!.message).toMatch(/5\.5 px/);
    expect(sharper!.message).toMatch(/sharper photo/);
    expect(sharper!.evidence).toEqual(
      expect.objectContaining({
        rule: 'evidence.small_print',
        fields: ['purchaseDate'],
        coreHeight: 5.5,
        threshold,
        page: 1,
        readings: [{ field: 'purchaseDate', value: '2024-03-12', confidence: 0.4 }],
      }),
    );
  });

  it('keeps MISSING_* beside it for a field not found at all: the receipt may not print it', () => {
    const decision = assess(claim({ receipt: receipt({ imei: null }, printed(6)) }), policy);
    expect(flagCodes(decision)).toEqual(['MISSING_SERIAL', 'SHARPER_PHOTO_NEEDED']);
    expect(decision.flags[1]!.evidence.fields).toEqual(['serial']);
  });

  it('stands for an unread serial label as well: the number is printed, too small to read', () => {
    const unread = { unreadIdentifiers: [{ kind: 'serial' as const, source: 'S/N:', location: null }] };
    const tv = receipt({ model: 'QE55Q80CATXZG', imei: null }, { ...printed(6), ...unread });
    const decision = assess(claim({ form: form({ serial: '0B3T3HMW700123A' }), receipt: tv }), policy);
    expect(flagCodes(decision)).toEqual(['SHARPER_PHOTO_NEEDED']);
    expect(decision.flags[0]!.evidence.fields).toEqual(['serial']);
  });

  it('is not raised where the print was large enough: the reading was unsure for another reason', () => {
    const decision = assess(claim({ receipt: receipt(unsureDate, printed(threshold)) }), policy);
    expect(flagCodes(decision)).toEqual(['LOW_CONFIDENCE']);
  });

  it('is not raised for small print when every field the decision rests on was read surely', () => {
    const decision = assess(claim({ receipt: receipt({}, printed(5)) }), policy);
    expect(decision.status).toBe('eligible');
    expect(decision.flags).toEqual([]);
  });

  it('is not raised where the print was not measured (a PDF text layer, an output read before it was)', () => {
    const decision = assess(claim({ receipt: receipt(unsureDate) }), policy);
    expect(flagCodes(decision)).toEqual(['LOW_CONFIDENCE']);
  });

  it('leaves decisions under 2026.6 and before as they were', () => {
    for (const version of ['2026.1', '2026.5', '2026.6']) {
      const older = loadPolicy(version);
      expect(older.checks.smallPrint).toBeUndefined();
      expect(flagCodes(assess(claim({ receipt: receipt(unsureDate, printed(5)) }), older))).toEqual(['LOW_CONFIDENCE']);
      expect(flagCodes(assess(claim({ receipt: receipt({ imei: null }, printed(5)) }), older))).toEqual(['MISSING_SERIAL']);
    }
  });
});
