import { describe, expect, it } from 'vitest';
import { printedDate } from '../../../../ui/claim/printed-date.js';

describe('a purchase date typed as printed', () => {
  it.each([
    ['19.02.2024', '2024-02-19'],
    ['19/02/2024', '2024-02-19'],
    ['19-02-2024', '2024-02-19'],
    ['1.2.2024', '2024-02-01'],
    ['2024-02-19', '2024-02-19'],
    ['2024-2-9', '2024-02-09'],
    ['29.02.2024', '2024-02-29'],
  ])('reads %s as %s', (typed, iso) => {
    expect(printedDate(typed)).toBe(iso);
  });

  it.each(['31.02.2024', '29.02.2023', '2024-13-01', '19.02.24', '02/19/2024', 'Feb 19 2024', ''])('does not guess at %s', (typed) => {
    expect(printedDate(typed)).toBeNull();
  });
});
