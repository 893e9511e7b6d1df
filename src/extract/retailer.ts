/**
 * Retailer: the chain the receipt names anywhere in its text, matched against a list of European
 * chains (retailers.json). Till slips often print the chain's name only as a logo, so the header
 * is not enough: its web address, its legal entity ("Lidl Vertriebs-GmbH & Co. KG") and the footer
 * count too. When no known chain is named, the header's business-name line as printed; when there
 * is none, nothing. A customer's name, an address, a model line, a web address or a slogan is never
 * taken for the retailer.
 */
import type { Field } from '../domain/extraction.js';
import { EMPTY_FIELD } from '../domain/extraction.js';
import { ocrDistance, toleratedDistance, UNSURE_VOWEL } from './fuzzy.js';
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
  // fold() may lengthen a line (ß→ss); offsets then only approximate the source words.
  return [...fold(text).matchAll(/[a-z0-9&+]+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/**
 * Tokens for fuzzy matching: like tokens(), but an accented vowel that is not one of the letters
 * the names are spelled with (ä ö ü å ø æ are) becomes UNSURE_VOWEL, as OCR makes "LéDL" of "LIDL".
 */
function glyphTokens(text: string): Token[] {
  const marked = text.replace(/[éèêëíìîïóòôúùûáàâ]/giu, UNSURE_VOWEL);
  return [...fold(marked).matchAll(/[a-z0-9&+*]+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

interface AliasForm {
  entry: RetailerEntry;
  compact: string;
  tokenCount: number;
  /** A single ordinary word: counts only where a header line or a legal name starts with it. */
  common: boolean;
}

const ALIASES: AliasForm[] = RETAILERS.flatMap((entry) =>
  [entry.name, ...entry.aliases].map((alias) => {
    const parts = fold(alias).match(/[a-z0-9&+]+/g) ?? [];
    return { entry, compact: parts.join(''), tokenCount: parts.length, common: entry.commonWord && parts.length === 1 };
  }),
);

const ALIASES_BY_COMPACT = new Map<string, AliasForm[]>();
for (const alias of ALIASES) ALIASES_BY_COMPACT.set(alias.compact, [...(ALIASES_BY_COMPACT.get(alias.compact) ?? []), alias]);

/** Second-level names of the chains' web addresses ("mediamarkt", "mueller", "netto-online" → "nettoonline"). */
const CHAINS_BY_WEB_NAME = new Map<string, RetailerEntry>();
for (const entry of RETAILERS) {
  const spellings = [entry.name, ...entry.aliases].filter((a) => !/\./.test(a) || /^[^.]+\.[a-z]{2,3}$/i.test(a));
  const names = [
    ...entry.web,
    ...spellings.flatMap((a) => [a, a.replace(/ä/gi, 'ae').replace(/ö/gi, 'oe').replace(/ü/gi, 'ue').replace(/å/gi, 'aa')]),
  ];
  for (const name of names) {
    const key = (fold(name.replace(/\.[a-z]{2,3}$/i, '')).match(/[a-z0-9]+/g) ?? []).join('');
    if (key.length >= 2 && !CHAINS_BY_WEB_NAME.has(key)) CHAINS_BY_WEB_NAME.set(key, entry);
  }
}

/** How strongly a place on the receipt names its seller. */
const WEIGHT = { headerTop: 3, header: 2, webAddress: 3, legalEntity: 3, body: 1 } as const;

interface BrandHit {
  entry: RetailerEntry;
  line: IndexedLine;
  start: number;
  end: number;
  quality: number;
  weight: number;
}

/** A web or e-mail address: "www.lidl.de", "lidl.de/filialen", "kundenservice@rewe.de", "https://shop.mueller.de". */
const WEB_ADDRESS =
  /(?:https?:\/\/|www\.|@|\b)((?:[a-z0-9-]+\.)*?)([a-z0-9-]{2,})\.(?:de|at|ch|nl|be|lu|no|se|dk|fi|fr|it|es|pt|pl|cz|sk|hu|ie|co\.uk|uk|eu|com|net|shop|online)\b/g;

function webAddressHits(line: IndexedLine): BrandHit[] {
  const text = fold(line.text).replace(/\s*\.\s*/g, '.');
  return [...text.matchAll(WEB_ADDRESS)].flatMap((m) => {
    const entry = CHAINS_BY_WEB_NAME.get(m[2]!.replace(/-/g, ''));
    return entry ? [{ entry, line, start: 0, end: line.text.length, quality: 1, weight: WEIGHT.webAddress }] : [];
  });
}

/**
 * Legal forms of a company's registered name, across the receipts' countries. The two-letter ones
 * are words too ("as", "se", "sa"), so they count only as printed, in capitals.
 */
const LEGAL_FORM =
  /(?:^|[\s.,(])(?:gmbh|ohg|e\.\s?k\.|b\.\s?v\.|n\.\s?v\.|asa|a\/s|aps|oyj|ltd|limited|plc|llp|s\.a\.s?|sarl|s\.p\.a\.?|srl|s\.r\.o\.?|sp\.\s?z\s?o\.?\s?o\.?|kft|sdn\.?\s?bhd)(?=$|[\s,.)&])/i;
const SHORT_LEGAL_FORM = /(?:^|[\s.,(])(?:AG|KG|SE|BV|NV|AS|AB|OY|SA|SAS)(?=$|[\s,.)&])/;
const isLegalEntity = (text: string) => LEGAL_FORM.test(text) || SHORT_LEGAL_FORM.test(text);

/** Whether offset `at` of a line lies inside brackets: "(TESCO EXTRA ARA DAMANSARA)" is where the shop is, not who. */
function inBrackets(text: string, at: number): boolean {
  const before = text.slice(0, at);
  return (before.match(/\(/g)?.length ?? 0) > (before.match(/\)/g)?.length ?? 0);
}

/**
 * Windows of 1–3 tokens of a line, joined without spaces, against each alias. `fuzzy` allows OCR
 * damage of a name's letters (not of its length: "Bill" is not "Billa", "Super" not "Super U"); an
 * ordinary-word alias counts only as the line's first word, whole and exact.
 */
function aliasHits(line: IndexedLine, weight: number, fuzzy: boolean): BrandHit[] {
  const toks = fuzzy ? glyphTokens(line.text) : tokens(line.text);
  const firstWord = toks.findIndex((t) => t.text.length > 2);
  const folded = fold(line.text);
  // A two-letter name ("dm", "EE") is told from OCR specks only when it stands alone on its line.
  const alone = toks.length === 1;
  const hits: BrandHit[] = [];
  for (const alias of ALIASES) {
    const tolerance = fuzzy && !alias.common ? toleratedDistance(alias.compact.length) : 0;
    for (let i = 0; i < toks.length; i++) {
      if (alias.common && (i > Math.max(0, firstWord) || (alias.compact.length <= 2 && !alone))) break;
      // OCR rarely loses a name's first letter; requiring it keeps "Discount" from being "Cdiscount".
      if (toks[i]!.text[0] !== alias.compact[0]) continue;
      const sizes = alias.common ? [1] : [alias.tokenCount - 1, alias.tokenCount, alias.tokenCount + 1].filter((n) => n >= 1 && n <= 3);
      for (const n of sizes) {
        if (i + n > toks.length) continue;
        const window = toks.slice(i, i + n);
        const joined = window.map((t) => t.text).join('');
        if (Math.abs(joined.length - alias.compact.length) > Math.floor(tolerance / 2)) continue;
        const distance = tolerance === 0 ? (joined === alias.compact ? 0 : 1) : ocrDistance(joined, alias.compact, tolerance);
        if (distance > tolerance) continue;
        hits.push({
          entry: alias.entry,
          line,
          start: window[0]!.start,
          end: window[n - 1]!.end,
          quality: 1 - distance / alias.compact.length,
          weight: inBrackets(folded, window[0]!.start) ? WEIGHT.body : weight,
        });
      }
    }
  }
  return hits;
}

/** Exact, specific names in a body line ("Vielen Dank für Ihren Einkauf bei REWE"). */
function bodyHits(line: IndexedLine): BrandHit[] {
  const toks = tokens(line.text);
  const hits: BrandHit[] = [];
  for (let i = 0; i < toks.length; i++) {
    let joined = '';
    for (let n = 1; n <= 3 && i + n <= toks.length; n++) {
      joined += toks[i + n - 1]!.text;
      for (const alias of ALIASES_BY_COMPACT.get(joined) ?? []) {
        if (alias.common) continue;
        hits.push({ entry: alias.entry, line, start: toks[i]!.start, end: toks[i + n - 1]!.end, quality: 1, weight: WEIGHT.body });
      }
    }
  }
  return hits;
}

/** A line ending in an amount: an item or a total, where brand words name products, not the seller. */
const PRICED_LINE = /\d+[.,]\d{2}\s*(?:[A-Z*]|eur|€|kr|nok|sek|dkk|chf)?\s*$/i;

function brandHits(line: IndexedLine): BrandHit[] {
  const hits = webAddressHits(line);
  if (PRICED_LINE.test(line.text)) return hits;
  if (line.index < HEADER_LINES) return [...hits, ...aliasHits(line, line.index < 3 ? WEIGHT.headerTop : WEIGHT.header, true)];
  if (isLegalEntity(line.text)) return [...hits, ...aliasHits(line, WEIGHT.legalEntity, true)];
  return [...hits, ...bodyHits(line)];
}

function brandField(lines: IndexedLine[]): { field: Field; score: number } | null {
  const byBrand = new Map<string, BrandHit[]>();
  for (const line of lines) {
    for (const hit of brandHits(line)) byBrand.set(hit.entry.name, [...(byBrand.get(hit.entry.name) ?? []), hit]);
  }
  let best: { hits: BrandHit[]; score: number } | null = null;
  for (const hits of byBrand.values()) {
    // Each line counts once, by its strongest mention ("Tesco Extra" is not two mentions of Tesco).
    const byLine = new Map<number, number>();
    for (const h of hits) byLine.set(h.line.index, Math.max(byLine.get(h.line.index) ?? 0, h.weight * h.quality));
    // Longer names win ties: "Samsung Shop" over a bare brand word on the same line.
    const score = [...byLine.values()].reduce((s, v) => s + v, 0) + Math.max(...hits.map((h) => h.end - h.start)) / 100;
    if (!best || score > best.score) best = { hits, score };
  }
  if (!best) return null;
  const top = best.hits.reduce((a, b) => (b.weight * b.quality > a.weight * a.quality ? b : a));
  const certainty = top.quality * (top.weight >= 2 ? 0.97 : 0.8);
  return { field: fieldFrom(top.entry.name, top.line.text.trim(), [wholeLine(top.line)], certainty), score: best.score };
}

// ---------------------------------------------------------------------------------------------
// No known chain: a business name printed in the header

/** Legal-form endings that mark a company name line (tolerating OCR "8HD" for "BHD", "5/B"). */
const COMPANY_SUFFIX =
  /(?:^|[\s.,(])(gmbh|ag|kg|ohg|e\.?\s?k|as|asa|a\/s|ab|aps|oy|oyj|ltd|limited|plc|llc|inc|sarl|s\.?a\.?s?|s\.?r\.?l|s\.?p\.?a|s\.?l|b\.?v|n\.?v|sp\.? z o\.?o|s[deo]n\.?\s*[b8]h[do]|[b8]hd|[s5]\/[b8]|enterprise|trading|co|company)\.?\)?$/i;

/** Lines that are clearly not a business name: numbers, document titles, contact data. */
const NOT_A_NAME =
  /^(?:tel|tlf|fax|phone|www|http|gst|vat|ust|org|mva|reg|company|invoice|tax|simplified|receipt|kvittering|kassenbon|rechnung|faktura|quittung|bon|cash|date|datum|dato|no\.|lot|unit|jalan|jln|formerly)\b|@|\b\d{4,}\b/i;

/** A web address anywhere in the line ("lidl.de", "www.example.com"). */
const HAS_WEB_ADDRESS = /\b[a-z0-9-]+\.(?:de|at|ch|nl|be|lu|no|se|dk|fi|fr|it|es|pt|pl|uk|eu|com|net|my)\b/i;

/** Street names and postal addresses: a street word, or a Title Case name ending in a house number. */
const STREET_WORD =
  /(?:stra(?:ss|ß)e|str\.|gasse|allee|platz|\bweg\b|gate\b|gata\b|gatan|\bvej\b|v[äa]g(?:en)?\b|veien|\bvei\b|katu\b|straat|\blaan\b|\bplein\b|\brue\b|avenue|\broad\b|\bstreet\b|\blane\b|\bulica\b|\bul\.|jalan|\bjln\b|lorong|taman|persiaran)/iu;
const NAME_AND_HOUSE_NUMBER = /^\p{Lu}\p{Ll}+(?:[ -]\p{L}\p{Ll}+)*\s\d{1,4}\s?[a-z]?,?$/u;
const isAddress = (text: string) => STREET_WORD.test(text) || NAME_AND_HOUSE_NUMBER.test(text);

/** Labels that open the customer's block on an invoice; the lines after them are the customer's. */
const CUSTOMER_LABEL =
  /^(?:kunde|kundin|kunden-?(?:nr|nummer|name)|customer|bill to|ship to|sold to|deliver to|rechnungs(?:adresse|empf[aä]nger)|liefer(?:adresse|anschrift)|empf[aä]nger|k[aä]ufer|leveringsadresse|fakturaadresse|kund|asiakas|klant|afleveradres|client|adresse de livraison)\b/i;

/** A salutation or a staff label: the line names a person. */
const PERSON =
  /^(?:herr|frau|hr\.|fr\.|mr\.?|mrs\.?|ms\.?|mme|m\.|dhr\.?|mevr\.?|kassierer(?:in)?|bediener(?:in)?|verk[aä]ufer(?:in)?|cashier|served by|operat(?:or|ør)|ekspedient|betjent av|kassör)\b/i;

/** Labels of product lines: the text after them is a product, not the seller. */
const PRODUCT_LABEL = /\b(?:modell?|model|typ|type|art\.?-?nr|artikel|ean|sku|varenavn|produkt|product)\b/i;

/** Prose rather than a name: a slogan says something ("Ich bin doch nicht blöd", "Lidl lohnt sich!"). */
const PRONOUN = /\b(?:ich|wir|uns|unser|you|we|our|your|vi|jeg|wij|jij|nous|vous)\b/i;
const FUNCTION_WORD =
  /\b(?:der|die|das|den|dem|und|ist|sind|nicht|doch|noch|mit|f[uü]r|bei|the|and|is|are|with|for|of|het|een|van|voor|met|och|att|med|f[oö]r|og|til|ikke|la|le|les|est|pour|avec)\b/gi;

function isSlogan(text: string): boolean {
  return /[!?]\s*$/.test(text) || PRONOUN.test(text) || (text.match(FUNCTION_WORD)?.length ?? 0) >= 2;
}

/**
 * Lines that hold the customer's name and address: a customer label's own line, and when the label
 * ends its line ("Rechnungsadresse:"), the address block below it, up to the next "label: value" line.
 */
function customerLines(lines: IndexedLine[]): Set<number> {
  const out = new Set<number>();
  for (const line of lines) {
    const label = CUSTOMER_LABEL.exec(line.text.trim());
    if (!label) continue;
    out.add(line.index);
    if (/[\p{L}\d]/u.test(line.text.trim().slice(label[0].length))) continue;
    for (let k = 1; k <= 4; k++) {
      const next = lines[line.index + k];
      if (!next || CUSTOMER_LABEL.test(next.text.trim()) || /^[^:]{1,25}:\s*\S/.test(next.text.trim())) break;
      out.add(next.index);
    }
  }
  return out;
}

/** Two or three capitalised words above a street line: the addressee of an invoice, a person. */
function addressee(text: string, next: IndexedLine | undefined): boolean {
  return next !== undefined && isAddress(next.text.trim()) && /^(?:\p{Lu}\p{Ll}+[ -]){1,2}\p{Lu}\p{Ll}+$/u.test(text);
}

/** Enough real words to be a name, not OCR specks ("aa i El i"), and not a person, an address, a product, a web address or a slogan. */
function plausibleName(text: string, allowLeadingNumber = false): boolean {
  if (NOT_A_NAME.test(text) || (!allowLeadingNumber && /^\d/.test(text))) return false;
  // One token of letters and digits is a code (a model, an article number), not a name.
  if (/^(?=\S*\d)(?=\S*\p{L})\S+$/u.test(text)) return false;
  if (HAS_WEB_ADDRESS.test(text) || isAddress(text) || PERSON.test(text) || PRODUCT_LABEL.test(text) || isSlogan(text)) return false;
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

/** The header line with a legal-form ending ("SINAR PERDANA TRADING SDN BHD"), joined with the lines it continues from. */
function companyLine(header: IndexedLine[]): Field | null {
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
  return null;
}

/** The first name-like header line (joined with the next when it ends in "&"). */
function nameLine(header: IndexedLine[]): Field | null {
  for (let i = 0; i < header.length; i++) {
    const line = header[i]!;
    const text = cleanName(line.text);
    if (!plausibleName(text) || addressee(text, header[i + 1])) continue;
    const next = header[i + 1];
    if (next && /&\s*$/.test(line.text) && plausibleName(cleanName(next.text))) {
      const joined = `${text} ${cleanName(next.text)}`;
      return fieldFrom(joined, `${line.text.trim()} / ${next.text.trim()}`, [wholeLine(line), wholeLine(next)], 0.5);
    }
    return fieldFrom(text, line.text.trim(), [wholeLine(line)], 0.45);
  }
  return null;
}

/** Less than one header mention: a chain named only in passing ("(TESCO EXTRA …)", a footer voucher). */
const WEAK_BRAND = WEIGHT.header;

export function extractRetailer(lines: IndexedLine[]): Field {
  const customer = customerLines(lines);
  const sellerLines = lines.filter((l) => !customer.has(l.index) && !PRODUCT_LABEL.test(l.text));
  const header = sellerLines.filter((l) => l.index < HEADER_LINES);
  const brand = brandField(sellerLines);
  // A company printed with its legal form in the header outweighs a chain named only in passing.
  if (brand && brand.score >= WEAK_BRAND) return brand.field;
  return companyLine(header) ?? brand?.field ?? nameLine(header) ?? EMPTY_FIELD;
}
