import { describe, expect, it } from 'vitest';
import { Extraction } from '../../../src/domain/extraction.js';
import type { TextLayer } from '../../../src/domain/text-layer.js';
import { textLayerFromText } from '../../../src/domain/text-layer.js';
import { extract } from '../../../src/extract/extract.js';

const invoice = [
  'MediaMarkt',
  'Rechnungsdatum: 14.03.2024',
  'Lieferdatum: 16.03.2024',
  '1 5512093 Samsung Galaxy S24 128GB 1 899,00',
  'Modell: SM-S921B/DS',
  'IMEI: 490154203237518',
  '2 0201222 Samsung Garantieverlängerung +3 Jahre 1 44,95',
  'Bitte bewahren Sie diese Rechnung als Kaufbeleg / Garantienachweis auf.',
].join('\n');

describe('extraction', () => {
  it('fills the contract fields from an invoice', () => {
    const x = extract(textLayerFromText([invoice]));
    expect(Extraction.parse(x)).toEqual(x);
    expect(x.purchaseDate.value).toBe('2024-03-14');
    expect(x.retailer.value).toBe('MediaMarkt');
    expect(x.model.value).toBe('SM-S921B/DS');
    expect(x.imei.value).toBe('490154203237518');
    expect(x.serial.value).toBeNull();
  });

  it('sees a warranty extension line but not the word Garantienachweis', () => {
    expect(extract(textLayerFromText([invoice])).facts.extendedWarranty).toBe(true);
    const withoutExtension = invoice
      .split('\n')
      .filter((l) => !l.includes('verlängerung'))
      .join('\n');
    expect(extract(textLayerFromText([withoutExtension])).facts.extendedWarranty).toBe(false);
    expect(extract(textLayerFromText(['Extended warranty 3 years 49.00'])).facts.extendedWarranty).toBe(true);
  });

  it('scales confidence by the OCR confidence of the source words and locates them', () => {
    const layer: TextLayer = {
      source: 'ocr',
      confidence: 0.8,
      pages: [
        {
          number: 1,
          width: 1000,
          height: 2000,
          lines: [
            {
              text: 'Datum: 14.03.2024',
              confidence: 0.8,
              box: [10, 100, 400, 130],
              words: [
                { text: 'Datum:', confidence: 0.9, box: [10, 100, 120, 130] },
                { text: '14.03.2024', confidence: 0.6, box: [140, 100, 400, 130] },
              ],
            },
          ],
        },
      ],
    };
    const field = extract(layer).purchaseDate;
    expect(field.value).toBe('2024-03-14');
    expect(field.confidence).toBeLessThanOrEqual(0.6);
    expect(field.location).toEqual({ page: 1, box: [140, 100, 400, 130] });
  });

  it('returns empty fields for an empty page', () => {
    const x = extract(textLayerFromText(['']));
    expect([x.purchaseDate, x.retailer, x.model, x.serial, x.imei].every((f) => f.value === null)).toBe(true);
  });
});
