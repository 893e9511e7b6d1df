import { describe, expect, it } from 'vitest';
import { EMPTY_FIELD, type Extraction } from '../../../src/domain/extraction.js';
import { dateConsistencySignals, metadataSignals } from '../../../src/fraud/tamper-signals.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';

const windows2026_2 = loadPolicy('2026.2').checks.receiptDates;
const windows2026_3 = loadPolicy('2026.3').checks.receiptDates;

const clean = { software: null, created: null, modified: null, incrementalUpdates: 0 };

function receipt(purchaseDate: string, otherDates: Extraction['facts']['otherDates']): Extraction {
  return {
    purchaseDate: { value: purchaseDate, confidence: 0.95, source: purchaseDate },
    retailer: EMPTY_FIELD,
    model: EMPTY_FIELD,
    serial: EMPTY_FIELD,
    imei: EMPTY_FIELD,
    facts: { extendedWarranty: false, otherDates },
  };
}

describe('tamper signals from the file', () => {
  it('flags an image saved by an image editor, naming it', () => {
    const [flag] = metadataSignals({ ...clean, software: 'Adobe Photoshop 25.0 (Windows)' }, 'jpeg');
    expect(flag).toMatchObject({
      code: 'POSSIBLE_TAMPERING',
      evidence: { signal: 'editor_software', software: 'Adobe Photoshop 25.0 (Windows)' },
    });
  });

  it('leaves a phone camera and a PDF reader alone', () => {
    expect(metadataSignals({ ...clean, software: 'S911BXXU3BWK5' }, 'jpeg')).toEqual([]);
    expect(metadataSignals({ ...clean, software: 'Adobe Acrobat Reader DC' }, 'pdf')).toEqual([]);
  });

  it('flags a PDF modified days after it was created, and incremental updates', () => {
    const flags = metadataSignals(
      { ...clean, created: '2024-03-01T10:00:00.000Z', modified: '2024-09-12T08:00:00.000Z', incrementalUpdates: 2 },
      'pdf',
    );
    expect(flags.map((f) => f.evidence.signal)).toEqual(['pdf_modified_after_creation', 'pdf_incremental_update']);
  });

  it('accepts a PDF re-saved the same day by its generator', () => {
    expect(metadataSignals({ ...clean, created: '2024-03-01T10:00:00.000Z', modified: '2024-03-01T10:00:05.000Z' }, 'pdf')).toEqual([]);
  });
});

describe('dates on the receipt that contradict each other', () => {
  it('flags a return-by date that belongs to another purchase date', () => {
    const [flag] = dateConsistencySignals(
      receipt('2025-03-02', [{ value: '2022-06-05', role: 'return_by', source: '05.06.2022' }]),
      windows2026_2,
    );
    expect(flag).toMatchObject({
      code: 'POSSIBLE_TAMPERING',
      evidence: { signal: 'contradicting_dates', rule: 'fraud.contradicting_dates', role: 'return_by', window: [1, 120] },
    });
    expect(flag!.message).toMatch(/return-by date 2022-06-05/);
  });

  it('flags a delivery before the order and a TSE time on another day', () => {
    const flags = dateConsistencySignals(
      receipt('2024-02-19', [
        { value: '2022-08-10', role: 'delivery', source: '10. August 2022' },
        { value: '2024-02-21', role: 'tse', source: '2024-02-21T10:00:00' },
      ]),
      windows2026_2,
    );
    expect(flags.map((f) => f.evidence.role)).toEqual(['delivery', 'tse']);
  });

  it('accepts the dates a genuine receipt carries', () => {
    expect(
      dateConsistencySignals(
        receipt('2024-03-07', [
          { value: '2024-03-21', role: 'return_by', source: '21.03.24' },
          { value: '2024-03-07', role: 'tse', source: '2024-03-07T13:11:34' },
          { value: '2024-03-09', role: 'delivery', source: '09.03.2024' },
          { value: '2019-01-01', role: 'unknown', source: '01.01.2019' },
        ]),
        windows2026_3,
      ),
    ).toEqual([]);
  });

  it('from policy 2026.3, flags an order date years from the invoice date, and accepts one weeks before', () => {
    const edited = receipt('2024-11-04', [{ value: '2020-11-04', role: 'purchase', source: 'Order date: 4 November 2020' }]);
    expect(dateConsistencySignals(edited, windows2026_2)).toEqual([]);
    expect(dateConsistencySignals(edited, windows2026_3)).toMatchObject([
      { evidence: { role: 'purchase', days: -1461, window: [-120, 120] } },
    ]);
    expect(
      dateConsistencySignals(
        receipt('2024-11-04', [{ value: '2024-09-20', role: 'purchase', source: 'Bestelldatum 20.09.2024' }]),
        windows2026_3,
      ),
    ).toEqual([]);
  });
});
