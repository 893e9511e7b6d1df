/** Edit distance for matching OCR-damaged words ("MedlaMarkt", "Elkjep") against known names. */

/** Levenshtein distance, stopping early once it must exceed `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Glyphs OCR takes for one another on receipts, lower case. */
const GLYPH_CLASSES = ['il1!|j', 'o0qd', 's5$', 'b86', 'g9q', 'z2', 't7f', 'ec', 'uv', 'nh', 'a4'];
const SAME_GLYPH = new Set(GLYPH_CLASSES.flatMap((cls) => [...cls].flatMap((a) => [...cls].map((b) => a + b))));
const VOWELS = new Set('aeiouy');

/**
 * `UNSURE_VOWEL` stands for an accented vowel in read text that no word in the name list carries
 * (OCR's "é" for the "i" of "LIDL"): it costs a quarter against a vowel.
 */
export const UNSURE_VOWEL = '*';

function substitutionCost(read: string, known: string): number {
  if (read === known) return 0;
  if (read === UNSURE_VOWEL) return VOWELS.has(known) ? 0.25 : 1;
  return SAME_GLYPH.has(read + known) ? 0.5 : 1;
}

/**
 * Edit distance where swapping look-alike glyphs costs half and an unsure vowel a quarter: a name
 * read with OCR damage stays close, another word with the same number of wrong letters does not.
 */
export function ocrDistance(read: string, known: string, max: number): number {
  if (Math.abs(read.length - known.length) > max) return max + 1;
  let prev = Array.from({ length: known.length + 1 }, (_, j) => j);
  for (let i = 1; i <= read.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= known.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + substitutionCost(read[i - 1]!, known[j - 1]!));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[known.length]!;
}

/** What a name of this length may differ by and still count: one look-alike in four letters, more in longer ones. */
export function toleratedDistance(length: number): number {
  if (length < 4) return 0;
  if (length < 5) return 0.5;
  if (length < 9) return 1;
  return 2;
}
