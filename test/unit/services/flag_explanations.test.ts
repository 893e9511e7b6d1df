import { describe, expect, it } from 'vitest';
import { flag } from '../../../src/domain/flags.js';
import { textLayerFromText, type TextLayer } from '../../../src/domain/text-layer.js';
import { dateConsistencySignals } from '../../../src/fraud/tamper-signals.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { checkImei, describeImeiProblem } from '../../../src/domain/identifiers.js';
import { explainFlag } from '../../../src/services/flag-explanations.js';
import { resultForSubmitter } from '../../../src/services/submitter-view.js';
import { assess } from '../../../src/policy/assess.js';
import { claim, receipt } from '../policy/claim-builders.js';

describe('print too small in the photo', () => {
  const decision = assess(
    claim({
      receipt: receipt({ purchaseDate: { value: '2024-03-12', confidence: 0.4 } }, { textSize: { page: 1, xHeight: 6, lineHeight: 8 } }),
    }),
    // Scores as given, not calibrated: a date this extractor reads is likely right at any score.
    { ...loadPolicy('2026.7'), confidenceCalibration: undefined },
  );
  const sharper = decision.flags.find((f) => f.code === 'SHARPER_PHOTO_NEEDED')!;

  it('tells the reviewer how small the print was, what the OCR needs and which fields it cost', () => {
    const explained = explainFlag(sharper, null);
    expect(explained.severity).toBe('review');
    expect(explained.title).toMatch(/sharper photo/);
    expect(explained.details[0]).toMatch(/only 6 px \(the OCR needs 9\), so purchaseDate could not be read/);
  });

  it('asks the submitter for a sharper photo without the measured figures or the threshold', () => {
    const result = resultForSubmitter({ flags: [sharper] } as Parameters<typeof resultForSubmitter>[0]);
    expect(result.flags[0]!.message).toMatch(/sharper photo/);
    expect(result.flags[0]!.message).not.toMatch(/px|\b9\b/);
    expect(Object.keys(result.flags[0]!.evidence)).toEqual(['rule', 'clause']);
  });
});

describe('flags explained for a reviewer', () => {
  it('shows which IMEI digit fails and what it should be', () => {
    const problem = checkImei('350917642084133')!;
    const explained = explainFlag(
      flag('INVALID_IMEI', describeImeiProblem('350917642084133', problem, 'on the form'), { imei: '350917642084133', ...problem }),
      null,
    );
    expect(explained.imei).toEqual({ digits: '350917642084133', checkDigit: 3, expectedCheckDigit: 2 });
    expect(explained.details[0]).toMatch(/last digit \(3\) should be 2/);
  });

  it('points at the printed date that contradicts the purchase date', () => {
    const text: TextLayer = textLayerFromText(['MediaMarkt\nKaufdatum 12.03.2024\nLieferdatum 02.01.2023']);
    text.pages[0]!.lines[2]!.box = [10, 200, 300, 220];
    const extraction = {
      purchaseDate: { value: '2024-03-12', confidence: 0.9, source: '12.03.2024' },
      retailer: { value: null, confidence: 0, source: null },
      model: { value: null, confidence: 0, source: null },
      serial: { value: null, confidence: 0, source: null },
      imei: { value: null, confidence: 0, source: null },
      facts: { extendedWarranty: false, otherDates: [{ value: '2023-01-02', role: 'delivery', source: 'Lieferdatum 02.01.2023' }] },
    };
    const [tampering] = dateConsistencySignals(extraction, loadPolicy().checks.receiptDates);
    const explained = explainFlag(tampering!, text);
    expect(explained.location).toEqual({ page: 1, box: [10, 200, 300, 220] });
    expect(explained.details[0]).toMatch(
      /delivery date 2023-01-02 printed on the receipt \(highlighted\) is 435 days before the purchase date 2024-03-12/,
    );
  });

  it('names the earlier claim of a duplicate, for the side-by-side view', () => {
    const explained = explainFlag(
      flag('DUPLICATE_RECEIPT', 'x', { earlierClaimId: 'C-1', earlierRequestNumber: 'WR-AAAA-BBBB', match: 'receipt_content' }),
      null,
    );
    expect(explained.earlierClaimId).toBe('C-1');
    expect(explained.details[0]).toMatch(/different file .* backs claim WR-AAAA-BBBB: compare the two receipts side by side/);
  });

  it('says an unconfirmed reused-receipt match may be another purchase, for the side-by-side view', () => {
    const explained = explainFlag(
      flag('DUPLICATE_RECEIPT', 'x', {
        earlierClaimId: 'C-1',
        earlierRequestNumber: 'WR-AAAA-BBBB',
        match: 'receipt_fingerprint',
        confirmedBy: 'unconfirmed',
      }),
      null,
    );
    expect(explained.details[0]).toMatch(/same shop and day backs claim WR-AAAA-BBBB.*too poorly to tell whether it is the same slip/);
  });

  it('points at the field whose pixels raised a tampering signal', () => {
    const explained = explainFlag(
      flag('POSSIBLE_TAMPERING', 'x', { signal: 'error_level', field: 'purchaseDate', score: 4.2, page: 1, box: [120, 340, 310, 362] }),
      null,
    );
    expect(explained.location).toEqual({ page: 1, box: [120, 340, 310, 362] });
  });

  it('points at a number the receipt prints but the machine could not read', () => {
    const explained = explainFlag(
      flag('LOW_CONFIDENCE', 'x', {
        field: 'serial',
        value: null,
        source: 'S/N 7XK2 LPQA',
        location: { page: 1, box: [40, 500, 400, 524] },
      }),
      null,
    );
    expect(explained.location).toEqual({ page: 1, box: [40, 500, 400, 524] });
  });

  it('lines up a mismatched serial with the receipt number closest to it', () => {
    const explained = explainFlag(
      flag('SERIAL_MISMATCH', 'x', {
        form: { kind: 'serial', value: '7xk2-lpqa-704915b' },
        receipt: [
          { kind: 'serial', value: 'R5CX12ABCDE' },
          { kind: 'serial', value: '7XK2LPQA704915R' },
        ],
      }),
      null,
    );
    expect(explained.mismatch).toMatchObject({ field: 'serial', form: '7XK2LPQA704915B', receipt: '7XK2LPQA704915R' });
    expect(explained.mismatch!.characters.filter((c) => c.form !== c.receipt)).toEqual([{ form: 'B', receipt: 'R', lookalike: false }]);
  });

  it('says why an edited file is suspect', () => {
    const explained = explainFlag(flag('POSSIBLE_TAMPERING', 'x', { signal: 'editor_software', software: 'Adobe Photoshop 25.0' }), null);
    expect(explained.details[0]).toMatch(/saved by Adobe Photoshop 25.0.*look for retouched figures/);
  });
});
