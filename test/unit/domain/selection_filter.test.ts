import { describe, expect, it } from 'vitest';
import { FilterError } from '../../../src/errors/filter-error.js';
import { filterSql, parseFilter } from '../../../src/domain/selection-filter.js';

const errorOf = (filter: string): FilterError => {
  try {
    parseFilter(filter);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error(`"${filter}" parsed`);
};

describe('selection filter', () => {
  it('parses clauses joined by "and", lists meaning "any of"', () => {
    const filter = parseFilter(
      "status=needs_review and created<2026-01-01 AND flag!=DUPLICATE_SERIAL,SERIAL_MISMATCH and retailer='Media Markt'",
    );
    expect(filter.clauses).toEqual([
      { field: 'status', op: '=', values: ['needs_review'] },
      { field: 'created', op: '<', values: ['2026-01-01'] },
      { field: 'flag', op: '!=', values: ['DUPLICATE_SERIAL', 'SERIAL_MISMATCH'] },
      { field: 'retailer', op: '=', values: ['media markt'] },
    ]);
  });

  it('binds every value as a parameter and never puts typed text into the SQL', () => {
    const hostile = `id="x'); DROP TABLE claims; --" and family=phone`;
    const { sql, params } = filterSql(parseFilter(hostile), 3);
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain('phone');
    expect(sql).toContain('$3');
    expect(sql).toContain('$4');
    expect(params).toEqual([["x'); DROP TABLE claims; --"], ['phone']]);
  });

  it('takes one date for date fields and a list for the others', () => {
    expect(filterSql(parseFilter('claimed>=2025-06-01 and policy=2026.1')).params).toEqual(['2025-06-01', ['2026.1']]);
    expect(errorOf('created<2025-01-01,2025-02-01').message).toContain('takes one value');
  });

  it.each([
    ['', 'the filter is empty'],
    ['stat=eligible', 'unknown field "stat"; known fields: status, flag'],
    [
      'status=approved',
      '"approved" is not a valid status; expected received, read, extracted, eligible, not_eligible, needs_review, rejected_input, awaiting_customer, closed',
    ],
    ['status<eligible', '"status" does not take <; use = !='],
    ['created<2026-02-30', 'expected a date YYYY-MM-DD'],
    ['flag=DUPLICATE', 'expected a flag code'],
    ['status=eligible or status=needs_review', 'expected "and" between conditions, found "or"'],
    ['status=', 'expected a value for "status"'],
    ['status', 'expected an operator after "status"'],
    ['retailer="Media', 'unclosed quote'],
    ['status!eligible', 'use != for "not"'],
    ['created<2026-13-45', '"2026-13-45" is not a valid created; expected a date YYYY-MM-DD'],
    ['claimed>=2026-00-10', '"2026-00-10" is not a valid claimed; expected a date YYYY-MM-DD'],
    ['created<2025-02-29', '"2025-02-29" is not a valid created'],
    ['created<0000-01-01', '"0000-01-01" is not a valid created'],
  ])('refuses %j with a message saying what is wrong', (filter, message) => {
    expect(errorOf(filter).message).toContain(message);
  });

  it.each(['constructor=1', '__proto__=x', 'CONSTRUCTOR=1', 'hasOwnProperty=x', 'valueof=1', 'status=eligible and __proto__=x'])(
    'refuses the object-prototype name in %j as an unknown field',
    (filter) => {
      const error = errorOf(filter);
      expect(error.message).toMatch(
        /^unknown field "\w+"; known fields: status, flag, family, retailer, policy, id, created, claimed, reviewed\n/,
      );
    },
  );

  it('accepts a leap day', () => {
    expect(parseFilter('created<=2024-02-29').clauses).toEqual([{ field: 'created', op: '<=', values: ['2024-02-29'] }]);
  });

  it('points at the offending spot', () => {
    const error = errorOf('status=eligible and colour=red');
    expect(error.column).toBe(20);
    expect(error.message.split('\n')[2]).toBe(`  ${' '.repeat(20)}^`);
  });
});
