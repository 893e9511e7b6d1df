/**
 * Model code: tokens that fit a product family's naming (the product-code grammar), preferring
 * those after a model label. OCR damage inside a code is repaired only where the grammar says which
 * positions hold digits and which letters, and only when the repair then fits it exactly.
 */
import type { Field } from '../domain/extraction.js';
import { EMPTY_FIELD } from '../domain/extraction.js';
import { productCodeGrammar } from '../policy/product-codes.js';
import { fieldFrom, fold, locate, type IndexedLine, type Span } from './text-spans.js';

/** Samsung's naming of each family's model codes (src/policy/product-codes), the newest version. */
const grammar = productCodeGrammar();

/** Both readings of characters OCR confuses, tried when a code fits no family's naming. */
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

/** The closest variant some family's naming accepts, at most `maxChanges` characters swapped. */
function repairToFamily(code: string, maxChanges = 3): string | null {
  const positions = [...code].flatMap((ch, i) => (LOOKALIKES[ch] && i >= 2 ? [i] : []));
  if (positions.length > 12) return null;
  let best: { code: string; changes: number } | null = null;
  const chars = [...code];
  const visit = (k: number, changes: number) => {
    if (changes > maxChanges || (best && changes >= best.changes)) return;
    if (k === positions.length) {
      const candidate = chars.join('');
      if (grammar.familyOf(candidate)) best = { code: candidate, changes };
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
    if (repaired && grammar.slashSuffixes.has(repaired.split('/')[1]!)) out.push(repaired);
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
const HYPHENATED = grammar.hyphenatedPrefixes.join('|');
const CODE_TOKEN = new RegExp(
  `(?:\\b(?:${HYPHENATED})\\s?[-–—]?\\s?[A-Z0-9][A-Za-z0-9/|\\-–—?]{2,24}|[A-Za-z0-9][A-Za-z0-9/|\\-–—?]{4,24})` +
    '(?:(?:\\s?[-–—]|(?<=[-–—]))\\s?[A-Za-z0-9]{3,8}\\b)?',
  'g',
);

function codeTokens(text: string): Array<{ raw: string; start: number; end: number }> {
  return [...text.matchAll(CODE_TOKEN)].map((m) => ({ raw: m[0], start: m.index, end: m.index + m[0].length }));
}

const HYPHENATED_START = new RegExp(`^(${HYPHENATED})(?=[A-Z0-9])`);

function normaliseCode(raw: string): string {
  let code = raw
    .toUpperCase()
    .replace(/[–—]/g, '-')
    .replace(/\s/g, '')
    .replace(/[-/|]+$/, '');
  // The family prefixes that carry a dash are sometimes printed or read without it.
  code = code.replace(HYPHENATED_START, '$1-');
  // The manufacturer's model codes use no letter O, so an O inside one is OCR's reading of 0.
  if (grammar.familyStart.test(code)) code = code.slice(0, 2) + code.slice(2).replace(/O/g, '0');
  return code;
}

/** A code after a model label that yielded no model: what was read there, and where. */
interface UnreadModelCode {
  source: string;
  span: Span;
}

/** The model a code-like token reads as, if any; `labelled` when a model label comes before it. */
function candidateOf(code: string, source: string, span: Span, labelled: boolean): ModelCandidate | null {
  const base = labelled ? 5 : 0;
  if (grammar.familyOf(code)) return { code, source, span, score: base + 3, certainty: labelled ? 0.98 : 0.9 };
  if (!grammar.familyStart.test(code)) {
    const codeShaped = labelled && /[A-Z]/.test(code) && /\d/.test(code) && code.length >= 5;
    return codeShaped ? { code, source, span, score: base, certainty: 0.5 } : null;
  }
  // A word OCR read without any digit ("McDonald", "UniTea") is a word, not a damaged code.
  if ((code.match(/\d/g)?.length ?? 0) < 2) return null;
  const repaired = slashRepairs(code)[0] ?? repairToFamily(code);
  return repaired ? { code: repaired, source, span, score: base + 2, certainty: labelled ? 0.75 : 0.6 } : null;
}

function candidatesInLine(line: IndexedLine, unread: UnreadModelCode[]): ModelCandidate[] {
  const out: ModelCandidate[] = [];
  for (const tok of codeTokens(line.text)) {
    const code = normaliseCode(tok.raw);
    const labelled = MODEL_LABEL.test(fold(line.text.slice(0, tok.start)));
    const span = { line, start: tok.start, end: tok.end };
    const candidate = candidateOf(code, tok.raw, span, labelled);
    if (candidate) out.push(candidate);
    else if (labelled && /\d/.test(code) && code.length >= 5) unread.push({ source: tok.raw, span });
  }
  return out;
}

export interface ModelReading {
  model: Field;
  /** The first code after a model label that could not be read as any model, when no model was read at all. */
  unread: { source: string; location: Field['location'] } | null;
}

export function extractModel(lines: IndexedLine[]): ModelReading {
  const unread: UnreadModelCode[] = [];
  const candidates = lines.flatMap((line) => candidatesInLine(line, unread));
  if (candidates.length === 0) {
    const first = unread[0];
    return { model: EMPTY_FIELD, unread: first ? { source: first.source, location: locate([first.span]) } : null };
  }
  // The same code printed again (item line and "Modell:" line) supports it, and so does its short
  // form in an item name ("WW90T534" beside "WW90T534DAW/S2"): the full code is the better reading.
  const supports = (c: ModelCandidate, o: ModelCandidate) => o !== c && c.code.startsWith(o.code);
  for (const c of candidates) c.score += Math.min(2, candidates.filter((o) => supports(c, o)).length);
  const best = candidates.reduce((a, b) => (b.score > a.score ? b : a));
  return { model: fieldFrom(best.code, best.source, [best.span], best.certainty), unread: null };
}
