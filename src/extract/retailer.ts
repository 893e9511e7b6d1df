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

const ALIASES_BY_COMPACT = new Map<string, AliasForm[]>();
for (const alias of ALIASES) ALIASES_BY_COMPACT.set(alias.compact, [...(ALIASES_BY_COMPACT.get(alias.compact) ?? []), alias]);

interface BrandHit {
  entry: RetailerEntry;
  line: IndexedLine;
  start: number;
  end: number;
  quality: number;
  weight: number;
}

/**
 * Exact brand names in a body line ("www.mediamarkt.de" in the footer). Only the header is matched
 * fuzzily: in item lines a near miss is more often another word ("Discount" is not "Cdiscount").
 */
function exactBrandHits(line: IndexedLine): BrandHit[] {
  const toks = tokens(line.text);
  const hits: BrandHit[] = [];
  for (let i = 0; i < toks.length; i++) {
    let joined = '';
    for (let n = 1; n <= 3 && i + n <= toks.length; n++) {
      joined += toks[i + n - 1]!.text;
      for (const alias of ALIASES_BY_COMPACT.get(joined) ?? []) {
        if (alias.entry.commonWord) continue;
        hits.push({ entry: alias.entry, line, start: toks[i]!.start, end: toks[i + n - 1]!.end, quality: 1, weight: 1 });
      }
    }
  }
  return hits;
}

/** Brand names in a header line: windows of 1–3 tokens, joined without spaces, against each alias. */
function brandHits(line: IndexedLine): BrandHit[] {
  if (line.index >= HEADER_LINES) return exactBrandHits(line);
  const toks = tokens(line.text);
  const hits: BrandHit[] = [];
  // Ordinary words count as a brand only where they open a header line (after OCR specks).
  const firstWord = toks.findIndex((t) => t.text.length > 2);
  for (const alias of ALIASES) {
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
          weight: line.index < 3 ? 3 : 2,
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

/** Legal-form endings that mark a company name line (tolerating OCR "8HD" for "BHD", "5/B"). */
const COMPANY_SUFFIX =
  /(?:^|[\s.,(])(gmbh|ag|kg|ohg|e\.?\s?k|as|asa|a\/s|ab|aps|oy|oyj|ltd|limited|plc|llc|inc|sarl|s\.?a\.?s?|s\.?r\.?l|s\.?p\.?a|s\.?l|b\.?v|n\.?v|sp\.? z o\.?o|s[deo]n\.?\s*[b8]h[do]|[b8]hd|[s5]\/[b8]|enterprise|trading|co|company)\.?\)?$/i;

/** Lines that are clearly not a business name: addresses, numbers, document titles, contact data. */
const NOT_A_NAME =
  /^(?:tel|tlf|fax|phone|www|http|gst|vat|ust|org|mva|reg|company|invoice|tax|simplified|receipt|kvittering|kassenbon|rechnung|faktura|quittung|bon|cash|date|datum|dato|no\.|lot|unit|jalan|jln|formerly)\b|@|\b\d{4,}\b/i;

/** Enough real words to be a name, not OCR specks ("aa i El i"). */
function plausibleName(text: string, allowLeadingNumber = false): boolean {
  if (NOT_A_NAME.test(text) || (!allowLeadingNumber && /^\d/.test(text))) return false;
  const words = text.match(/\p{L}+/gu) ?? [];
  const letters = words.join('').length;
  const inWords = words.filter((w) => w.length >= 3).join('').length;
  return words.some((w) => w.length >= 4) && inWords / letters >= 0.7 && letters / text.replace(/\s/g, '').length >= 0.6;
}

function mostlyUpperCase(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  return letters.filter((l) => l === l.toUpperCase()).length >= 0.8 * letters.length;
}

/** Header text without registration numbers in brackets ("(519537-X)") and edge punctuation. */
function cleanName(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[({][^(){}]*\d[^(){}]*[)}]?\s*$/, '')
    .replace(/^[^\p{L}\d(]+|[^\p{L}\d).]+$/gu, '')
    .trim();
}

/** Words that rarely start a company name but often end one ("… HARDWARE" / "ENTERPRISE (M) SDN BHD"). */
const CONTINUATION = /^(?:\(|co\b|company|enterprise|trading|holdings|industries|services|marketing|restaurants?|bakeries|electrical)/i;

/** Whether a name printed over several lines continues from the line above into `current`. */
function continuesFrom(above: string, current: string): boolean {
  if (!plausibleName(above) || !mostlyUpperCase(above) || !mostlyUpperCase(current)) return false;
  const unclosed = (above.match(/\(/g)?.length ?? 0) > (above.match(/\)/g)?.length ?? 0);
  const wordsBeforeSuffix = current.replace(COMPANY_SUFFIX, '').trim().split(/\s+/).filter(Boolean).length;
  return /[&(]$/.test(above) || unclosed || CONTINUATION.test(current) || wordsBeforeSuffix <= 1;
}

function wholeLine(line: IndexedLine) {
  return { line, start: 0, end: line.text.length };
}

/** No known brand: the header line with a legal-form ending, else the first name-like line. */
function headerField(lines: IndexedLine[]): Field | null {
  const header = lines.slice(0, HEADER_LINES);
  for (let i = 0; i < header.length; i++) {
    const text = cleanName(header[i]!.text);
    if (!COMPANY_SUFFIX.test(text) || NOT_A_NAME.test(text)) continue;
    // A name broken over up to three lines ("AIK HUAT HARDWARE" / "ENTERPRISE (SETIA" / "ALAM) SDN BHD").
    let first = i;
    let name = text;
    while (first > 0 && i - first < 2 && continuesFrom(cleanName(header[first - 1]!.text), name)) {
      first--;
      name = `${cleanName(header[first]!.text)} ${name}`;
    }
    if (!plausibleName(name, true) && !/\p{L}{3}.*\p{L}{3}/u.test(name)) continue;
    const used = header.slice(first, i + 1);
    return fieldFrom(name, used.map((l) => l.text.trim()).join(' / '), used.map(wholeLine), 0.7);
  }
  for (let i = 0; i < header.length; i++) {
    const line = header[i]!;
    const text = cleanName(line.text);
    if (!plausibleName(text)) continue;
    const next = header[i + 1];
    if (next && /&\s*$/.test(line.text) && plausibleName(cleanName(next.text))) {
      const joined = `${text} ${cleanName(next.text)}`;
      return fieldFrom(joined, `${line.text.trim()} / ${next.text.trim()}`, [wholeLine(line), wholeLine(next)], 0.5);
    }
    return fieldFrom(text, line.text.trim(), [wholeLine(line)], 0.45);
  }
  return null;
}

export function extractRetailer(lines: IndexedLine[]): Field {
  return brandField(lines) ?? headerField(lines) ?? EMPTY_FIELD;
}
