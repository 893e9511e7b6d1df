import { describe, expect, it } from 'vitest';
import type { NormalisedForm } from '../../../src/domain/assessment.js';
import { EMPTY_FIELD, type Extraction } from '../../../src/domain/extraction.js';
import { claimIdentifiers, duplicateFlags } from '../../../src/fraud/duplicates.js';

const form: NormalisedForm = {
  serial: 'R5CT6O73PQV',
  imei: null,
  model: null,
  purchaseDate: null,
  country: 'DE',
  claimDate: '2025-01-01',
  flags: [],
};
const field = (value: string) => ({ value, confidence: 0.9, source: value });
const extraction: Extraction = {
  purchaseDate: field('2024-07-07'),
  retailer: field('MediaMarkt'),
  model: field('SM-X710'),
  serial: field('R5CT6073PQV'),
  imei: EMPTY_FIELD,
  facts: { extendedWarranty: false, otherDates: [] },
};

describe('duplicate identifiers', () => {
  it('registers serials once after O/0 and S/5 normalisation, the file hash and the receipt content', () => {
    const ids = claimIdentifiers(['f'.repeat(64)], form, [extraction]);
    expect(ids).toEqual([
      { kind: 'receipt_hash', value: 'f'.repeat(64) },
      { kind: 'serial', value: 'R5CT6073PQV' },
      { kind: 'receipt_content', value: 'MEDIAMARKT|2024-07-07|SM-X710|R5CT6073PQV' },
    ]);
  });

  it('builds no content key from a receipt missing its date, retailer or model', () => {
    const partial = { ...extraction, purchaseDate: EMPTY_FIELD };
    expect(claimIdentifiers([], { ...form, serial: null }, [partial]).map((i) => i.kind)).toEqual(['serial']);
  });

  it('names the earlier claim, and says a reused receipt once rather than twice', () => {
    const earlier = [
      { kind: 'receipt_content' as const, value: 'k', claimId: 'C-1', requestNumber: 'WR-AAAA-BBBB', file: 'a.jpg' },
      { kind: 'serial' as const, value: 'R5CT6073PQV', claimId: 'C-1', requestNumber: 'WR-AAAA-BBBB', file: 'a.jpg' },
    ];
    const flags = duplicateFlags(earlier);
    expect(flags.map((f) => f.code)).toEqual(['DUPLICATE_RECEIPT']);
    expect(flags[0]!.message).toMatch(/copy of the same receipt.*C-1.*WR-AAAA-BBBB/);
  });

  it('flags a serial claimed before on another receipt', () => {
    const flags = duplicateFlags([{ kind: 'serial', value: 'R5CT6073PQV', claimId: 'C-7', requestNumber: 'WR-CCCC-DDDD', file: null }]);
    expect(flags).toMatchObject([{ code: 'DUPLICATE_SERIAL', evidence: { earlierClaimId: 'C-7', serial: 'R5CT6073PQV' } }]);
  });
});
