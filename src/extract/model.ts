/**
 * Model code: tokens that fit a product family's code pattern, preferring those after a model
 * label. OCR damage inside a code is repaired only where the family pattern says which positions
 * hold digits and which letters, and only when the repair then fits the pattern exactly.
 */
import type { Field } from '../domain/extraction.js';
import { EMPTY_FIELD } from '../domain/extraction.js';
import { fieldFrom, fold, type IndexedLine, type Span } from './text-spans.js';

/** Exact code shapes per family (letters vs digits by position), suffix after "/" kept. */
export const MODEL_FAMILY_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['mobile', /^SM-[A-Z]\d{3}(?:[A-Z][A-Z0-9]{0,8}|[05])?(?:\/[A-Z0-9]{1,4})?$/],
  ['tv', /^(?:QE|UE|GQ|GU)\d{2}[A-Z]{1,3}\d{2,4}[A-Z0-9]{0,8}(?:\/[A-Z0-9]{1,4})?$/],
  ['audio', /^HW-[A-Z]{1,2}\d{2,4}[A-Z0-9]{0,3}(?:\/[A-Z0-9]{1,4})?$/],
  ['appliance', /^(?:WW|WD|DV|RB|RS|RT|DW)\d{2}[A-Z]\d{3,4}[A-Z0-9]{1,7}(?:\/[A-Z0-9]{1,3})?$/],
  ['monitor', /^(?:LS|LC|LF|LU)\d{2}[A-Z]\d{2,3}[A-Z0-9]{2,10}(?:\/[A-Z0-9]{2,3})?$/],
  ['notebook', /^NP\d{3}[A-Z0-9]{2,4}-[A-Z0-9]{4,6}(?:\/[A-Z0-9]{2,4})?$/],
  ['ssd', /^MZ-[A-Z0-9]{5,10}(?:\/[A-Z0-9]{2})?$/],
  ['memory card', /^MB-M[A-Z]\d{2,3}[A-Z0-9]{1,6}(?:\/[A-Z0-9]{2,3})?$/],
  ['usb drive', /^MUF-\d{2,3}[A-Z]{2}(?:\/[A-Z0-9]{2,3})?$/],
];

/** A cheap pre-filter: something that starts like one of the families. */
const FAMILY_PREFIX = /^(?:SM|QE|UE|GQ|GU|HW|WW|WD|DV|RB|RS|RT|DW|LS|LC|LF|LU|NP|MZ|MB|MUF)/;

function familyOf(code: string): string | null {
  return MODEL_FAMILY_PATTERNS.find(([, re]) => re.test(code))?.[0] ?? null;
}

/** Both readings of characters OCR confuses, tried when a code does not fit its pattern. */
const LOOKALIKES: Record<string, string> = {
  O: '0',
  '0': 'O',
  S: '5',
  '5': 'S',
  I: '1',
  '1': 'I',
  B: '8',
  '8': 'B',
  Z: '2',
  '2': 'Z',
  G: '6',
  '6': 'G',
  D: '0',
  Q: '0',
  T: '7',
  A: '4',
  L: '1',
  '?': '2',
};

/** The closest variant fitting a family pattern, at most `maxChanges` characters swapped. */
function repairToFamily(code: string, maxChanges = 3): string | null {
  const positions = [...code].flatMap((ch, i) => (LOOKALIKES[ch] && i >= 2 ? [i] : []));
  if (positions.length > 12) return null;
  let best: { code: string; changes: number } | null = null;
  const chars = [...code];
  const visit = (k: number, changes: number) => {
    if (changes > maxChanges || (best && changes >= best.changes)) return;
    if (k === positions.length) {
      const candidate = chars.join('');
      if (familyOf(candidate)) best = { code: candidate, changes };
      return;
    }
    const i = positions[k]!;
    visit(k + 1, changes);
    const original = chars[i]!;
    chars[i] = LOOKALIKES[original]!;
    visit(k + 1, changes + 1);
    chars[i] = original;
  };
  visit(0, 0);
  return best ? (best as { code: string }).code : null;
}

/** Region and variant suffixes printed after the "/" of a model code. */
const KNOWN_SUFFIXES = new Set([
  'EU',
  'WW',
  'BW',
  'KW',
  'LW',
  'ZG',
  'XZG',
  'EN',
  'XEN',
  'SEG',
  'DE',
  'EF',
  'EG',
  'EC',
  'ET',
  'S2',
  'S3',
  'S6',
  'U1',
  'DS',
  'DSN',
  'APC',
  'XEU',
  'XE',
  'AM',
  'AA',
  'WS',
]);

/**
 * The "/" before a region suffix is often read as I, l, 1 or |: "WW90T534DAWIS2". Variants with the
 * slash restored count only when they then end in a known suffix.
 */
function slashRepairs(code: string): string[] {
  if (code.includes('/')) return [];
  const out: string[] = [];
  for (let cut = code.length - 2; cut >= Math.max(3, code.length - 4); cut--) {
    if (!/[Il1|]/.test(code[cut]!)) continue;
    const repaired = repairToFamily(`${code.slice(0, cut)}/${code.slice(cut + 1)}`);
    if (repaired && KNOWN_SUFFIXES.has(repaired.split('/')[1]!)) out.push(repaired);
  }
  return out;
}

/** Labels before a model code; "Art.-Nr." / article numbers are deliberately not among them. */
const MODEL_LABEL =
  /(?:^|[^a-z])(modell(?:nr|nummer|-nr)?|model(?:\s?(?:no|nr|number|code))?|modele|modelo|modello|malli|typ(?:e)?|type|product code|produktcode|varenavn)\b[\s.:#-]*$/;

interface ModelCandidate {
  code: string;
  source: string;
  span: Span;
  score: number;
  certainty: number;
}

/**
 * Code-like tokens of a line with their offsets; "SM X710" / "SM—X710" are joined into one, and so
 * are halves that OCR split with a space beside the hyphen ("NP950XED -KA1DE").
 */
function codeTokens(text: string): Array<{ raw: string; start: number; end: number }> {
  const out: Array<{ raw: string; start: number; end: number }> = [];
  const re =
    /(?:\b(?:SM|HW|MZ|MB|MUF)\s?[-–—]?\s?[A-Z0-9][A-Za-z0-9/|\-–—?]{2,24}|[A-Za-z0-9][A-Za-z0-9/|\-–—?]{4,24})(?:(?:\s?[-–—]|(?<=[-–—]))\s?[A-Za-z0-9]{3,8}\b)?/g;
  for (const m of text.matchAll(re)) out.push({ raw: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

function normaliseCode(raw: string): string {
  let code = raw
    .toUpperCase()
    .replace(/[–—]/g, '-')
    .replace(/\s/g, '')
    .replace(/[-/|]+$/, '');
  // The family prefixes that carry a dash are sometimes printed or read without it.
  code = code.replace(/^(SM|HW|MZ|MB|MUF)(?=[A-Z0-9])/, '$1-');
  // The manufacturer's model codes use no letter O, so an O inside one is OCR's reading of 0.
  if (FAMILY_PREFIX.test(code)) code = code.slice(0, 2) + code.slice(2).replace(/O/g, '0');
  return code;
}

function candidatesInLine(line: IndexedLine): ModelCandidate[] {
  const out: ModelCandidate[] = [];
  for (const tok of codeTokens(line.text)) {
    const code = normaliseCode(tok.raw);
    const labelled = MODEL_LABEL.test(fold(line.text.slice(0, tok.start)));
    const span = { line, start: tok.start, end: tok.end };
    const base = labelled ? 5 : 0;
    if (familyOf(code)) {
      out.push({ code, source: tok.raw, span, score: base + 3, certainty: labelled ? 0.98 : 0.9 });
      continue;
    }
    if (!FAMILY_PREFIX.test(code)) {
      if (labelled && /[A-Z]/.test(code) && /\d/.test(code) && code.length >= 5) {
        out.push({ code, source: tok.raw, span, score: base, certainty: 0.5 });
      }
      continue;
    }
    const repaired = slashRepairs(code)[0] ?? repairToFamily(code);
    if (repaired) out.push({ code: repaired, source: tok.raw, span, score: base + 2, certainty: labelled ? 0.75 : 0.6 });
  }
  return out;
}

export function extractModel(lines: IndexedLine[]): Field {
  const candidates = lines.flatMap(candidatesInLine);
  if (candidates.length === 0) return EMPTY_FIELD;
  // The same code printed again (item line and "Modell:" line) supports it.
  for (const c of candidates) c.score += Math.min(2, candidates.filter((o) => o !== c && o.code === c.code).length);
  const best = candidates.reduce((a, b) => (b.score > a.score ? b : a));
  return fieldFrom(best.code, best.source, [best.span], best.certainty);
}
