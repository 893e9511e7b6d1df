import type { TextLayer } from '../domain/text-layer.js';

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
        const text = word.text.toUpperCase();
        if ((text.match(/\d/g)?.length ?? 0) < 3) continue;
        const digits = text.replace(/[A-Z]/g, (c) => AS_DIGIT[c] ?? c).replace(/\D/g, '');
        if (digits.length >= 4) numbers.add(digits);
      }
    }
  }
  return [...numbers].sort();
}

/** Jaccard overlap of two number sets, 0..1 (0 when either is empty). */
export function numberOverlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  const shared = b.filter((n) => set.has(n)).length;
  return shared / (a.length + b.length - shared);
}
