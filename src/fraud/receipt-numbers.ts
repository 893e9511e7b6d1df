import type { TextLayer } from '../domain/text-layer.js';
import { editDistance } from '../extract/fuzzy.js';

/** Digits a receipt number, time or amount is read as when OCR takes it for a letter. */
const AS_DIGIT: Record<string, string> = { O: '0', D: '0', Q: '0', I: '1', L: '1', S: '5', B: '8', Z: '2' };

/**
 * The receipt's numeric tokens of four or more digits: receipt and till numbers, times, amounts,
 * terminal and trace numbers. Two purchases at one shop share the shop's numbers but rarely their
 * own, so the overlap of these sets tells a copy of one slip from another slip of the same layout.
 */
export function receiptNumbers(layer: TextLayer): string[] {
  const numbers = new Set<string>();
  for (const page of layer.pages) {
    for (const line of page.lines) {
      for (const word of line.words) {
        const token = numericToken(word.text);
        if (token) numbers.add(token);
      }
    }
  }
  return [...numbers].sort();
}

/** A word as receiptNumbers counts it: its digits (look-alike letters read as digits), or null for words and short numbers. */
export function numericToken(word: string): string | null {
  const text = word.toUpperCase();
  if ((text.match(/\d/g)?.length ?? 0) < 3) return null;
  const digits = text.replace(/[A-Z]/g, (c) => AS_DIGIT[c] ?? c).replace(/\D/g, '');
  return digits.length >= 4 ? digits : null;
}

/**
 * A 13-digit number with a valid GS1 check digit: a product's EAN, printed on every receipt of
 * that model, so it tells one purchase from another no better than the model does.
 */
export function isEan13(n: string): boolean {
  if (!/^\d{13}$/.test(n)) return false;
  const sum = [...n.slice(0, 12)].reduce((total, d, i) => total + Number(d) * (i % 2 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(n[12]);
}

/** Jaccard overlap of two number sets, 0..1 (0 when either is empty). */
export function numberOverlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  const shared = b.filter((n) => set.has(n)).length;
  return shared / (a.length + b.length - shared);
}

/**
 * Whether two numeric tokens are one number as OCR read it twice: equal, or (from five digits on)
 * one digit apart, the way a poor photo turns a 0 into an 8 or loses a digit. Shorter numbers
 * (times, small amounts) collide by chance too often to forgive a digit.
 */
export function sameNumberRead(a: string, b: string): boolean {
  if (a === b) return true;
  return Math.min(a.length, b.length) >= 5 && editDistance(a, b, 1) <= 1;
}

/** How much of a sparser reading's numbers another reading holds: `held` of `judged`; `long…`: of six digits or more. */
export interface NumbersHeld {
  judged: number;
  held: number;
  longJudged: number;
  longHeld: number;
}

/**
 * Of the numbers in the reading with fewer of them, how many the other reading also holds
 * (sameNumberRead). A re-photographed copy is read with fewer numbers, not with other ones, so it
 * is held almost whole; another purchase prints its own receipt, customer and order numbers,
 * which the earlier receipt does not hold. `ignore`: numbers that tell no purchase from another
 * (its date, the shop's own numbers), judged neither way.
 */
export function numbersHeld(a: readonly string[], b: readonly string[], ignore: (n: string) => boolean): NumbersHeld {
  const [sparser, fuller] = a.length <= b.length ? [a, b] : [b, a];
  const judged = sparser.filter((n) => !ignore(n));
  const held = judged.filter((n) => fuller.some((m) => sameNumberRead(n, m)));
  const long = (n: string) => n.length >= 6;
  return { judged: judged.length, held: held.length, longJudged: judged.filter(long).length, longHeld: held.filter(long).length };
}
