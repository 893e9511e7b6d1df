/**
 * Retailer: a known brand found (fuzzily, for OCR noise) preferably in the header; otherwise the
 * header's business-name line as printed.
 */
import type { Field } from '../domain/extraction.js';
import { EMPTY_FIELD } from '../domain/extraction.js';
import { editDistance, toleratedEdits } from './fuzzy.js';
import { RETAILERS, type RetailerEntry } from './retailers.js';
import { fieldFrom, fold, type IndexedLine } from './text-spans.js';

/** Lines counted as the header, where the seller's name is printed. */
const HEADER_LINES = 8;

interface Token {
  text: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  const folded = fold(text);
  // fold() may lengthen a line (ß→ss); offsets then only approximate the source words.
  return [...folded.matchAll(/[a-z0-9&+]+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

interface AliasForm {
  entry: RetailerEntry;
  compact: string;
  tokenCount: number;
}

const ALIASES: AliasForm[] = RETAILERS.flatMap((entry) =>
  entry.aliases.map((alias) => {
    const parts = fold(alias).match(/[a-z0-9&+]+/g) ?? [];
    return { entry, compact: parts.join(''), tokenCount: parts.length };
  }),
);

interface BrandHit {
  entry: RetailerEntry;
  line: IndexedLine;
  start: number;
  end: number;
  quality: number;
  weight: number;
}

/** Brand names in one line: windows of 1–3 tokens, joined without spaces, against each alias. */
function brandHits(line: IndexedLine): BrandHit[] {
  const toks = tokens(line.text);
  const inHeader = line.index < HEADER_LINES;
  const hits: BrandHit[] = [];
  // Ordinary words count as a brand only where they open a header line (after OCR specks).
  const firstWord = toks.findIndex((t) => t.text.length > 2);
  for (const alias of ALIASES) {
    if (alias.entry.commonWord && !inHeader) continue;
    const edits = alias.entry.commonWord ? 0 : toleratedEdits(alias.compact.length);
    for (let i = 0; i < toks.length; i++) {
      if (alias.entry.commonWord && i > firstWord) break;
      // OCR rarely loses a name's first letter; requiring it keeps "Discount" from being "Cdiscount".
      if (toks[i]!.text[0] !== alias.compact[0]) continue;
      for (let n = Math.max(1, alias.tokenCount - 1); n <= Math.min(3, alias.tokenCount + 1) && i + n <= toks.length; n++) {
        const window = toks.slice(i, i + n);
        const dist = editDistance(window.map((t) => t.text).join(''), alias.compact, edits);
        if (dist > edits) continue;
        hits.push({
          entry: alias.entry,
          line,
          start: window[0]!.start,
          end: window[n - 1]!.end,
          quality: 1 - dist / alias.compact.length,
          weight: line.index < 3 ? 3 : inHeader ? 2 : 1,
        });
      }
    }
  }
  return hits;
}

function brandField(lines: IndexedLine[]): Field | null {
  const byBrand = new Map<string, BrandHit[]>();
  for (const line of lines) {
    for (const hit of brandHits(line)) byBrand.set(hit.entry.name, [...(byBrand.get(hit.entry.name) ?? []), hit]);
  }
  let best: { hits: BrandHit[]; score: number } | null = null;
  for (const hits of byBrand.values()) {
    // Longer names win ties: "Samsung Shop" over a bare brand word on the same line.
    const score = hits.reduce((s, h) => s + h.weight * h.quality, 0) + Math.max(...hits.map((h) => h.end - h.start)) / 100;
    if (!best || score > best.score) best = { hits, score };
  }
  if (!best) return null;
  const top = best.hits.reduce((a, b) => (b.weight * b.quality > a.weight * a.quality ? b : a));
  const certainty = top.quality * (top.weight >= 2 ? 0.97 : 0.8);
  return fieldFrom(top.entry.name, top.line.text.trim(), [{ line: top.line, start: 0, end: top.line.text.length }], certainty);
}

/** Legal-form endings that mark a company name line (tolerating OCR "8HD" for "BHD"). */
const COMPANY_SUFFIX =
  /(?:^|[\s.,(])(gmbh|ag|kg|ohg|e\.?\s?k|as|asa|a\/s|ab|aps|oy|oyj|ltd|limited|plc|llc|inc|sarl|s\.?a\.?s?|s\.?r\.?l|s\.?p\.?a|s\.?l|b\.?v|n\.?v|sp\.? z o\.?o|sdn\.?\s*[b8]hd|[b8]hd|s\/b|enterprise|trading|co)\.?\)?$/i;

/** Lines that are clearly not a business name: addresses, numbers, document titles, contact data. */
const NOT_A_NAME =
  /^(?:\d|tel|tlf|fax|phone|www|http|gst|vat|ust|org|mva|reg|company|invoice|tax|receipt|kvittering|kassenbon|rechnung|faktura|quittung|bon|cash|date|datum|dato|no\.|jalan|jln|lot)|@|\b\d{4,}\b/i;

function plausibleName(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  return letters >= 3 && letters / text.replace(/\s/g, '').length >= 0.6 && !NOT_A_NAME.test(text.trim());
}

function cleanName(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/^[^\p{L}\d(]+|[^\p{L}\d).]+$/gu, '').trim();
}

/** No known brand: the header line with a legal-form ending, else the first name-like line. */
function headerField(lines: IndexedLine[]): Field | null {
  const header = lines.slice(0, HEADER_LINES);
  for (let i = 0; i < header.length; i++) {
    const line = header[i]!;
    const text = cleanName(line.text);
    if (!COMPANY_SUFFIX.test(text) || !plausibleName(text)) continue;
    // A name broken over two lines ("HOME MASTER HARDWARE &" / "ELECTRICAL SDN BHD").
    const previous = header[i - 1];
    if (previous && /&\s*$/.test(previous.text)) {
      const joined = `${cleanName(previous.text)} ${text}`.replace(/\s+/g, ' ');
      return fieldFrom(joined, joined, [{ line: previous, start: 0, end: previous.text.length }, { line, start: 0, end: line.text.length }], 0.7);
    }
    return fieldFrom(text, line.text.trim(), [{ line, start: 0, end: line.text.length }], 0.7);
  }
  for (let i = 0; i < header.length; i++) {
    const line = header[i]!;
    const text = cleanName(line.text);
    if (!plausibleName(text)) continue;
    const next = header[i + 1];
    if (next && /&\s*$/.test(line.text) && plausibleName(cleanName(next.text))) {
      const joined = `${text} ${cleanName(next.text)}`;
      return fieldFrom(joined, joined, [{ line, start: 0, end: line.text.length }, { line: next, start: 0, end: next.text.length }], 0.5);
    }
    return fieldFrom(text, line.text.trim(), [{ line, start: 0, end: line.text.length }], 0.45);
  }
  return null;
}

export function extractRetailer(lines: IndexedLine[]): Field {
  return brandField(lines) ?? headerField(lines) ?? EMPTY_FIELD;
}
