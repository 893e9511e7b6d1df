import { describe, expect, it } from 'vitest';
import { alignCharacters } from '../../../src/domain/identifiers.js';

/** The columns where the two differ, as "form/receipt" with "-" for a missing character and "~" for OCR look-alikes. */
const differences = (form: string, receipt: string) =>
  alignCharacters(form, receipt)
    .filter((c) => c.form !== c.receipt)
    .map((c) => `${c.form ?? '-'}/${c.receipt ?? '-'}${c.lookalike ? '~' : ''}`);

describe('two codes lined up character by character', () => {
  it('compares codes of one length position by position', () => {
    expect(differences('7XK2LPQA704915B', '7XK2LPQA704915R')).toEqual(['B/R']);
    expect(alignCharacters('7XK2LPQA704915B', '7XK2LPQA704915R')[14]).toEqual({ form: 'B', receipt: 'R', lookalike: false });
  });

  it('marks characters OCR takes for one another as look-alikes', () => {
    expect(differences('H4ZN7PQB301846E', 'H4ZN7PQ8301846E')).toEqual(['B/8~']);
    expect(differences('R5CX12ABCD', 'R5CXI2ABCD')).toEqual(['1/I~']);
  });

  it('shows a dropped or doubled character as one gap, not as every later character differing', () => {
    expect(differences('H4ZN7PQB301846E', 'H4ZN7PQB30846E')).toEqual(['1/-']);
    expect(differences('UE55CU8079UXZG', 'UE55CU80079UXZG')).toEqual(['-/0']);
  });

  it('keeps a changed character as one column where the lengths also differ', () => {
    expect(differences('ABC1234', 'ABD12345')).toEqual(['C/D', '-/5']);
  });
});
