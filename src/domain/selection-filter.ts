import { z } from 'zod';
import { FLAG_CODES } from './flags.js';
import { StoredClaimStatus } from './claim-status.js';
import { FilterError } from '../errors/filter-error.js';

/**
 * The `--where` language: clauses joined by `and`, each `field op value[,value…]` (a list means
 * any of them). Field names map to fixed SQL fragments and every value becomes a bind parameter,
 * so no text typed by an operator is ever spliced into SQL.
 *
 *   status=needs_review and created<2026-01-01
 *   flag=DUPLICATE_SERIAL,SERIAL_MISMATCH and family!=tv and retailer="Media Markt"
 *   id=C-1,C-2,C-3
 */

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
const EQUALITY: Op[] = ['=', '!='];
const ORDERING: Op[] = ['=', '<', '<=', '>', '>='];

/** A calendar day (zod checks month lengths and leap years); PostgreSQL has no year 0. */
const IsoDate = z.iso.date().refine((d) => !d.startsWith('0000'));

interface FieldSpec {
  ops: Op[];
  value: z.ZodType<string>;
  /** What a valid value looks like, for the error message. */
  expects: string;
  /** Takes exactly one value (bound as text), not a list (bound as text[]). */
  single?: true;
  /** SQL over the claims row `c` for one clause; `p` names the bound value(s). */
  sql: (op: Op, p: string) => string;
}

/** `=` on a list is "any of"; `!=` is "none of", also when the column is NULL. */
const anyOf =
  (column: string, lower = false) =>
  (op: Op, p: string) => {
    const match = lower ? `lower(${column}) = ANY(${p}::text[])` : `${column} = ANY(${p}::text[])`;
    return op === '=' ? match : `NOT coalesce(${match}, false)`;
  };

/** Dates compare by whole days: `created<2026-01-01` is before that day, `created<=…` includes it. */
const byDay = (column: string, cast: string) => (op: Op, p: string) => {
  const day = `${p}::${cast}`;
  const next = cast === 'date' ? `(${p}::date + 1)` : `(${p}::date + 1)::timestamptz`;
  switch (op) {
    case '<':
      return `${column} < ${day}`;
    case '>=':
      return `${column} >= ${day}`;
    case '<=':
      return `${column} < ${next}`;
    case '>':
      return `${column} >= ${next}`;
    default:
      return `(${column} >= ${day} AND ${column} < ${next})`;
  }
};

const text = z.string().min(1);
const FIELD_SPECS: Record<string, FieldSpec> = {
  status: { ops: EQUALITY, value: StoredClaimStatus, expects: StoredClaimStatus.options.join(', '), sql: anyOf('c.status') },
  flag: {
    ops: EQUALITY,
    value: z.enum(FLAG_CODES),
    expects: 'a flag code such as DUPLICATE_SERIAL',
    sql: (op, p) => {
      const has = `EXISTS (SELECT 1 FROM jsonb_array_elements(c.result->'flags') f WHERE f->>'code' = ANY(${p}::text[]))`;
      return op === '=' ? has : `NOT ${has}`;
    },
  },
  family: { ops: EQUALITY, value: text, expects: 'a product family id such as phone', sql: anyOf(`(c.result->'warranty'->>'family')`) },
  retailer: {
    ops: EQUALITY,
    value: text.transform((v) => v.toLowerCase()),
    expects: 'a retailer name (any case)',
    sql: anyOf(`(c.result->'fields'->'retailer'->>'value')`, true),
  },
  policy: { ops: EQUALITY, value: text, expects: 'a policy version such as 2026.1', sql: anyOf('c.policy_version') },
  id: { ops: EQUALITY, value: text, expects: 'a claim id', sql: anyOf('c.id') },
  created: { ops: ORDERING, single: true, value: IsoDate, expects: 'a date YYYY-MM-DD', sql: byDay('c.created_at', 'timestamptz') },
  claimed: {
    ops: ORDERING,
    single: true,
    value: IsoDate,
    expects: 'a date YYYY-MM-DD',
    // The claim date as the form gave it (stored with the form stage output).
    sql: byDay(`(SELECT (s.output->>'claimDate')::date FROM stage_outputs s WHERE s.claim_id = c.id AND s.stage = 'form')`, 'date'),
  },
  reviewed: {
    ops: ['='],
    single: true,
    value: z.enum(['yes', 'no']),
    expects: 'yes or no',
    sql: (_op, p) => `(c.decided_by IS NOT NULL) = (${p}::text = 'yes')`,
  },
};
// Looked up in a Map: a typed field name such as "constructor" or "__proto__" must not find
// Object.prototype's members.
const FIELDS = new Map(Object.entries(FIELD_SPECS));

export interface FilterClause {
  field: string;
  op: Op;
  values: string[];
}

export interface SelectionFilter {
  /** The filter as the operator typed it, kept with a batch so its selection can be explained. */
  text: string;
  clauses: FilterClause[];
}

interface Token {
  kind: 'word' | 'op' | 'comma';
  text: string;
  at: number;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === ',') {
      tokens.push({ kind: 'comma', text: ch, at: i++ });
    } else if ('=!<>'.includes(ch)) {
      const two = input.slice(i, i + 2);
      const op = ['!=', '<=', '>='].includes(two) ? two : ch;
      if (op === '!') throw new FilterError('"!" must be followed by "=" (use != for "not")', input, i);
      tokens.push({ kind: 'op', text: op, at: i });
      i += op.length;
    } else if (ch === '"' || ch === "'") {
      const end = input.indexOf(ch, i + 1);
      if (end < 0) throw new FilterError(`unclosed quote ${ch}`, input, i);
      tokens.push({ kind: 'word', text: input.slice(i + 1, end), at: i });
      i = end + 1;
    } else {
      const match = /^[^\s,=!<>"']+/.exec(input.slice(i))!;
      tokens.push({ kind: 'word', text: match[0], at: i });
      i += match[0].length;
    }
  }
  return tokens;
}

/** Parses and validates a filter; throws FilterError naming the problem and where it is. */
export function parseFilter(input: string): SelectionFilter {
  const tokens = tokenize(input);
  if (tokens.length === 0) throw new FilterError('the filter is empty; name at least one condition, e.g. status=needs_review', input, 0);
  const clauses: FilterClause[] = [];
  let i = 0;
  const end = input.length;
  for (;;) {
    const fieldToken = tokens[i++];
    if (!fieldToken || fieldToken.kind !== 'word') throw new FilterError('expected a field name', input, fieldToken?.at ?? end);
    const field = fieldToken.text.toLowerCase();
    const spec = FIELDS.get(field);
    if (!spec)
      throw new FilterError(`unknown field "${fieldToken.text}"; known fields: ${[...FIELDS.keys()].join(', ')}`, input, fieldToken.at);
    const opToken = tokens[i++];
    if (!opToken || opToken.kind !== 'op')
      throw new FilterError(`expected an operator after "${field}" (${spec.ops.join(' ')})`, input, opToken?.at ?? end);
    const op = opToken.text as Op;
    if (!spec.ops.includes(op)) throw new FilterError(`"${field}" does not take ${op}; use ${spec.ops.join(' ')}`, input, opToken.at);
    const values: string[] = [];
    for (;;) {
      const valueToken = tokens[i++];
      if (!valueToken || valueToken.kind !== 'word')
        throw new FilterError(`expected a value for "${field}": ${spec.expects}`, input, valueToken?.at ?? end);
      const parsed = spec.value.safeParse(valueToken.text);
      if (!parsed.success)
        throw new FilterError(`"${valueToken.text}" is not a valid ${field}; expected ${spec.expects}`, input, valueToken.at);
      values.push(parsed.data);
      if (tokens[i]?.kind !== 'comma') break;
      i++;
    }
    if (values.length > 1 && spec.single) throw new FilterError(`"${field}" takes one value, not a list`, input, opToken.at);
    clauses.push({ field, op, values });
    const next = tokens[i++];
    if (!next) return { text: input, clauses };
    if (next.kind !== 'word' || next.text.toLowerCase() !== 'and') {
      throw new FilterError(`expected "and" between conditions, found "${next.text}"`, input, next.at);
    }
  }
}

/** The filter as a WHERE condition over `claims c`, its parameters numbered from `$firstParam`. */
export function filterSql(filter: SelectionFilter, firstParam = 1): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts = filter.clauses.map((clause) => {
    const spec = FIELDS.get(clause.field)!;
    params.push(spec.single ? clause.values[0] : clause.values);
    return `(${spec.sql(clause.op, `$${firstParam + params.length - 1}`)})`;
  });
  return { sql: parts.join(' AND '), params };
}
