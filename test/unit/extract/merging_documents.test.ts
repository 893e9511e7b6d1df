import { describe, expect, it } from 'vitest';
import { EMPTY_FIELD, type Extraction, type Field } from '../../../src/domain/extraction.js';
import { mergeDocuments } from '../../../src/extract/merge-documents.js';
import { disagreementFlags } from '../../../src/policy/document-agreement.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';

const read = (value: string, confidence = 0.9, more: Partial<Field> = {}): Field => ({
  value,
  confidence,
  source: `printed ${value}`,
  location: { page: 1, box: [1, 2, 3, 4] },
  ...more,
});

function extraction(
  fields: Partial<Record<'purchaseDate' | 'retailer' | 'model' | 'serial' | 'imei', Field>>,
  facts: Partial<Extraction['facts']> = {},
): Extraction {
  return {
    purchaseDate: EMPTY_FIELD,
    retailer: EMPTY_FIELD,
    model: EMPTY_FIELD,
    serial: EMPTY_FIELD,
    imei: EMPTY_FIELD,
    ...fields,
    facts: { extendedWarranty: false, otherDates: [], textSource: 'ocr', ...facts },
  };
}

describe("merging the evidence of a claim's documents", () => {
  it('keeps a single document as it was read', () => {
    const only = extraction({ purchaseDate: read('2025-02-22') });
    expect(mergeDocuments([{ document: 0, extraction: only }])).toEqual({ extraction: only, disagreements: [] });
  });

  it('takes each field from the document that shows it and names that document', () => {
    const receipt = extraction({ purchaseDate: read('2025-02-22'), retailer: read('MediaMarkt'), model: read('SM-S921B/DS', 0.8) });
    const label = extraction({ model: read('SM-S921B/DS', 0.95), imei: read('350917642084132') });
    const { extraction: merged, disagreements } = mergeDocuments([
      { document: 1, extraction: label },
      { document: 0, extraction: receipt },
    ]);
    expect(disagreements).toEqual([]);
    expect(merged.purchaseDate).toMatchObject({ value: '2025-02-22', document: 0 });
    expect(merged.retailer).toMatchObject({ value: 'MediaMarkt', document: 0 });
    // The surer reading of the same model wins.
    expect(merged.model).toMatchObject({ value: 'SM-S921B/DS', confidence: 0.95, document: 1 });
    expect(merged.imei).toMatchObject({ value: '350917642084132', document: 1, location: { page: 1 } });
    // Shown by neither document: empty, from no document.
    expect(merged.serial).toEqual(EMPTY_FIELD);
  });

  it('prefers a value decoded from a barcode over an OCR reading, however sure the OCR', () => {
    const receipt = extraction({ serial: read('R5CX12ABCDE', 0.99) });
    const label = extraction({ serial: read('R5CX12ABCDE', 0.6, { via: 'barcode', source: 'Code 128 barcode: R5CX12ABCDE' }) });
    const { extraction: merged } = mergeDocuments([
      { document: 0, extraction: receipt },
      { document: 1, extraction: label },
    ]);
    expect(merged.serial).toMatchObject({ via: 'barcode', document: 1, source: 'Code 128 barcode: R5CX12ABCDE' });
  });

  it('says when documents disagree, with every value, its document and its source, compared as the checks compare', () => {
    const first = extraction({ purchaseDate: read('2025-02-22'), serial: read('R5CX-12ABCDO'), model: read('SM-S921B/DS') });
    const second = extraction({ purchaseDate: read('2025-03-14'), serial: read('r5cx12abcd0'), model: read('SM-S921B/DS') });
    const third = extraction({ retailer: read('Saturn') });
    const { disagreements } = mergeDocuments([
      { document: 0, extraction: first },
      { document: 1, extraction: second },
      { document: 2, extraction: third },
    ]);
    // The serials differ only in separators, case and O/0: the same serial. A document without a date does not disagree.
    expect(disagreements).toEqual([
      {
        field: 'purchaseDate',
        values: [
          { document: 0, value: '2025-02-22', source: 'printed 2025-02-22', location: { page: 1, box: [1, 2, 3, 4] } },
          { document: 1, value: '2025-03-14', source: 'printed 2025-03-14', location: { page: 1, box: [1, 2, 3, 4] } },
        ],
      },
    ]);
  });

  it('finds two models and two IMEIs as disagreements too', () => {
    const { disagreements } = mergeDocuments([
      { document: 0, extraction: extraction({ model: read('SM-S921B/DS'), imei: read('350917642084132') }) },
      { document: 1, extraction: extraction({ model: read('SM-S928B/DS'), imei: read('352628115309728') }) },
    ]);
    expect(disagreements.map((d) => d.field)).toEqual(['imei', 'model']);
  });

  it('joins the facts: any warranty extension, every other date once, unread identifiers', () => {
    const delivery = { value: '2025-02-25', role: 'delivery', source: 'Lieferdatum 25.02.2025' };
    const { extraction: merged } = mergeDocuments([
      { document: 0, extraction: extraction({}, { otherDates: [delivery] }) },
      {
        document: 1,
        extraction: extraction(
          {},
          { extendedWarranty: true, otherDates: [delivery], unreadIdentifiers: [{ kind: 'serial', source: 'S/N:' }] },
        ),
      },
    ]);
    expect(merged.facts).toEqual({
      extendedWarranty: true,
      otherDates: [delivery],
      textSource: 'ocr',
      unreadIdentifiers: [{ kind: 'serial', source: 'S/N:' }],
    });
  });

  it('raises DOCUMENTS_DISAGREE for each disagreement, naming the rule of the table that has it', () => {
    const { disagreements } = mergeDocuments([
      { document: 0, extraction: extraction({ purchaseDate: read('2025-02-22') }) },
      { document: 1, extraction: extraction({ purchaseDate: read('2025-03-14') }) },
    ]);
    const [flag] = disagreementFlags(disagreements, loadPolicy('2026.6'));
    expect(flag).toMatchObject({
      code: 'DOCUMENTS_DISAGREE',
      evidence: {
        rule: 'consistency.documents_disagree',
        policyVersion: '2026.6',
        field: 'purchaseDate',
        values: disagreements[0]!.values,
      },
    });
    expect(flag!.message).toBe(
      'The claim\'s documents show different purchase dates: document 1 shows 2025-02-22 ("printed 2025-02-22"), document 2 shows 2025-03-14 ("printed 2025-03-14").',
    );
    // A table from before several documents still flags the claim: a silent pick is never right.
    expect(disagreementFlags(disagreements, loadPolicy('2026.5'))[0]).toMatchObject({
      code: 'DOCUMENTS_DISAGREE',
      evidence: { rule: null },
    });
  });
});
