/**
 * Purchase date: every date on the receipt is found and given a role from the label before it
 * (invoice date, delivery date, return-by date, TSE timestamp …); the purchase date is the best
 * scored one, the rest go to `otherDates` for consistency checks.
 */
import * as chrono from 'chrono-node';
import type { Extraction, Field } from '../domain/extraction.js';
import { EMPTY_FIELD } from '../domain/extraction.js';
import { editDistance } from './fuzzy.js';
import { fieldFrom, fold, type IndexedLine, type Span } from './text-spans.js';

export type DateRole = 'purchase' | 'date' | 'payment' | 'unknown' | 'delivery' | 'return_by' | 'due' | 'tse';

export interface DateCandidate {
  iso: string;
  role: DateRole;
  source: string;
  span: Span;
  /** How sure the reading itself is (format strength, repairs), 0..1. */
  certainty: number;
  /** A clock time follows the date, as on a till slip's sale line. */
  withTime: boolean;
}

/**
 * Month names (folded) in the languages of European receipts, with common abbreviations. Finnish
 * dates name the month in the partitive ("12. tammikuuta 2025"); Danish March is "marts".
 */
const MONTH_NAMES: ReadonlyArray<readonly [number, readonly string[]]> = [
  [
    1,
    [
      'january',
      'januar',
      'janner',
      'januari',
      'janvier',
      'enero',
      'gennaio',
      'janeiro',
      'stycznia',
      'styczen',
      'jan',
      'janv',
      'ene',
      'gen',
      'sty',
      'tammikuuta',
      'tammikuu',
      'tammi',
    ],
  ],
  [
    2,
    [
      'february',
      'februar',
      'februari',
      'fevrier',
      'febrero',
      'febbraio',
      'fevereiro',
      'lutego',
      'luty',
      'feb',
      'febr',
      'fev',
      'fevr',
      'lut',
      'helmikuuta',
      'helmikuu',
      'helmi',
    ],
  ],
  [
    3,
    [
      'march',
      'marz',
      'mars',
      'maart',
      'marzo',
      'marco',
      'marca',
      'marzec',
      'mar',
      'mrz',
      'mrt',
      'maaliskuuta',
      'maaliskuu',
      'maalis',
      'marts',
    ],
  ],
  [4, ['april', 'avril', 'abril', 'aprile', 'kwietnia', 'kwiecien', 'apr', 'avr', 'abr', 'kwi', 'huhtikuuta', 'huhtikuu', 'huhti']],
  [5, ['may', 'mai', 'maj', 'mei', 'mayo', 'maggio', 'maio', 'maja', 'mag', 'toukokuuta', 'toukokuu', 'touko']],
  [6, ['june', 'juni', 'juin', 'junio', 'giugno', 'junho', 'czerwca', 'czerwiec', 'jun', 'giu', 'cze', 'kesakuuta', 'kesakuu']],
  [7, ['july', 'juli', 'juillet', 'julio', 'luglio', 'julho', 'lipca', 'lipiec', 'jul', 'juil', 'lug', 'lip', 'heinakuuta', 'heinakuu']],
  [8, ['august', 'augusti', 'augustus', 'aout', 'agosto', 'sierpnia', 'sierpien', 'aug', 'ago', 'sie', 'elokuuta', 'elokuu']],
  [
    9,
    [
      'september',
      'septembre',
      'septiembre',
      'setiembre',
      'settembre',
      'setembro',
      'wrzesnia',
      'wrzesien',
      'sep',
      'sept',
      'set',
      'wrz',
      'syyskuuta',
      'syyskuu',
      'syys',
    ],
  ],
  [
    10,
    [
      'october',
      'oktober',
      'octobre',
      'octubre',
      'ottobre',
      'outubro',
      'pazdziernika',
      'pazdziernik',
      'oct',
      'okt',
      'ott',
      'out',
      'paz',
      'lokakuuta',
      'lokakuu',
      'loka',
    ],
  ],
  [11, ['november', 'novembre', 'noviembre', 'novembro', 'listopada', 'listopad', 'nov', 'lis', 'marraskuuta', 'marraskuu', 'marras']],
  [
    12,
    [
      'december',
      'dezember',
      'desember',
      'decembre',
      'diciembre',
      'dicembre',
      'dezembro',
      'grudnia',
      'grudzien',
      'dec',
      'dez',
      'des',
      'dic',
      'gru',
      'joulukuuta',
      'joulukuu',
      'joulu',
    ],
  ],
];

const MONTH_BY_NAME = new Map<string, number>(MONTH_NAMES.flatMap(([m, names]) => names.map((n) => [n, m] as const)));
const LONG_MONTH_NAMES = [...MONTH_BY_NAME.entries()].filter(([name]) => name.length >= 5);

/** Month number of a (folded) word, tolerating one OCR error in long names ("Novemper"). */
function monthOf(word: string): { month: number; exact: boolean } | null {
  const folded = fold(word);
  const exact = MONTH_BY_NAME.get(folded);
  if (exact) return { month: exact, exact: true };
  if (folded.length < 5) return null;
  for (const [name, month] of LONG_MONTH_NAMES) if (editDistance(folded, name, 1) <= 1) return { month, exact: false };
  return null;
}

/**
 * Label stems (folded, matched at a word start) and the role they give the date after them.
 * The nearest label before a date wins; for labels ending at the same place the longer one.
 */
const ROLE_LABELS: ReadonlyArray<readonly [DateRole, readonly string[]]> = [
  [
    'purchase',
    [
      'rechnung',
      'kauf',
      'verkauf',
      'beleg',
      'bestell',
      'auftrag',
      'kassenbon',
      'bon-datum',
      'faktura',
      'kjop',
      'kob',
      'kop',
      'ordre',
      'order',
      'kvitter',
      'kvitto',
      'salg',
      'sale',
      'invoice',
      'purchase',
      'transaction',
      'receipt',
      'bill date',
      'factuur',
      'aankoop',
      'besteldatum',
      'bon',
      'facture',
      'achat',
      'commande',
      'factura',
      'compra',
      'pedido',
      'venta',
      'fattura',
      'acquisto',
      'ordine',
      'scontrino',
      'nota fiscal',
      'emissao',
      'sprzedaz',
      'zakup',
      'wystawienia',
      'lasku',
      'osto',
      'tilaus',
      'date of issue',
      'issue date',
      "date d'emission",
      'fecha de emision',
    ],
  ],
  ['date', ['datum', 'dato', 'date', 'data', 'fecha', 'tarikh', 'paivays', 'paivamaara', 'dt']],
  [
    'payment',
    [
      'bezahlt',
      'betalt',
      'betaald',
      'paid',
      'payment',
      'zahlung',
      'betaling',
      'betalning',
      'paiement',
      'pago',
      'pagamento',
      'maksettu',
      'zaplacono',
      'abbuchung',
      'rate',
      'instalment',
      'installment',
    ],
  ],
  [
    'delivery',
    [
      'liefer',
      'leistung',
      'lever',
      'versand',
      'deliver',
      'dispatch',
      'shipp',
      'shipment',
      'livraison',
      'expedition',
      'entrega',
      'envio',
      'consegna',
      'spedizione',
      'toimitus',
      'dostawa',
      'wysylka',
    ],
  ],
  [
    'return_by',
    [
      'umtausch',
      'ruckgabe',
      'widerruf',
      'retur',
      'return',
      'exchange',
      'bytte',
      'apent kjop',
      'oppet kop',
      'abent kob',
      'angrerett',
      'angerr',
      'bis',
      'til',
      'till',
      'until',
      'tot',
      'jusqu',
      'hasta',
      'fino al',
      'gultig',
      'valid',
      'garantie bis',
    ],
  ],
  [
    'due',
    [
      'fallig',
      'zahlbar',
      'zahlungsziel',
      'forfall',
      'due',
      'payable',
      'vervaldatum',
      'echeance',
      'vencimiento',
      'scadenza',
      'vencimento',
      'erapaiva',
      'termin platnosci',
    ],
  ],
  ['tse', ['tse', 'signatur', 'sig-', 'kassensicherung']],
  [
    'unknown',
    ['tel', 'tlf', 'telefon', 'phone', 'fax', 'mobil', 'hotline', 'geboren', 'birth', 'gueltig ab', 'uhrzeit', 'zeit', 'time', 'kl'],
  ],
];

const ROLE_LABEL_LIST = ROLE_LABELS.flatMap(([role, stems]) => stems.map((stem) => ({ role, stem })));

/** Role from the nearest label in `prefix` (folded text before the date on its line); null when none. */
function roleFromLabel(prefix: string): { role: DateRole; labelEnd: number } | null {
  type Hit = { role: DateRole; end: number; length: number };
  const hits: Hit[] = [];
  for (const { role, stem } of ROLE_LABEL_LIST) {
    let at = prefix.indexOf(stem);
    while (at >= 0) {
      const wordStart = at === 0 || !/[a-z]/.test(prefix[at - 1]!);
      // Short stems must be whole words ("bon" not in "bonus", "tel" not in "hotel").
      const wordEnd = stem.length > 3 || !/[a-z]/.test(prefix[at + stem.length] ?? ' ');
      if (wordStart && wordEnd) hits.push({ role, end: at + stem.length, length: stem.length });
      at = prefix.indexOf(stem, at + 1);
    }
  }
  hits.sort((a, b) => b.end - a.end || b.length - a.length);
  let best = hits[0];
  if (!best) return null;
  // "Invoice date", "Delivery date": a generic date word takes the role of the word just before it.
  if (best.role === 'date') {
    const start = best.end - best.length;
    const qualifier = hits.find((h) => h.role !== 'date' && h.end <= start && /^[\s-]{0,2}$/.test(prefix.slice(h.end, start)));
    if (qualifier) best = { ...qualifier, end: best.end };
  }
  // A date's own word (e.g. "Bestelldatum") ends at a word boundary; prefer the end of that word.
  const rest = prefix.slice(best.end);
  const wordTail = /^[a-z-]*/.exec(rest)?.[0].length ?? 0;
  return { role: best.role, labelEnd: best.end + wordTail };
}

/** Whether a line carries a purchase-date label ("Kaufdatum", "Rechnungsdatum", "Date"): where the purchase date is printed. */
export function hasPurchaseDateLabel(text: string): boolean {
  const role = roleFromLabel(fold(text))?.role;
  return role === 'purchase' || role === 'date';
}

/**
 * Same-length copy of a line with OCR letters read as digits inside number-like tokens
 * ("2O.O1.2024" → "20.01.2024"), so offsets into the copy are offsets into the line.
 */
function digitised(text: string): { text: string; repaired: boolean } {
  let repaired = false;
  const out = text.replace(/[0-9OoIlDQ|]+(?:\s?[./-]\s?[0-9OoIlDQ|]+)+/g, (token) => {
    if ((token.match(/\d/g)?.length ?? 0) < 3) return token;
    const fixed = token.replace(/[OoDQ]/g, '0').replace(/[Il|]/g, '1');
    if (fixed !== token) repaired = true;
    return fixed;
  });
  // A dot read as ':' or ',' in one place of a dd.mm.yyyy date ("24.05:2024"); a four-digit year
  // keeps clock times and prices out.
  const separators = out.replace(/(?<![\d.,:])(\d{1,2})([.:,])(\d{1,2})([.:,])(\d{4})(?![\d.,:]?\d)/g, (token, d, a, m, b, y) => {
    if (a === b || (a !== '.' && b !== '.')) return token;
    repaired = true;
    return `${d}.${m}.${y}`;
  });
  return { text: separators, repaired };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fullYear(printed: string): number {
  const n = Number(printed.replace(/'/, ''));
  return printed.replace(/'/, '').length === 2 ? 2000 + n : n;
}

/** Years a warranty claim's purchase can fall in; others are misreads or not dates at all. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2049;

/** ISO date when the parts make a real calendar day in a plausible purchase year. */
function isoDate(year: number, month: number, day: number): string | null {
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

interface RawDate {
  iso: string;
  start: number;
  end: number;
  certainty: number;
  /** The ISO timestamp form ("2023-08-13T14:10:12") that tills and TSE modules print. */
  timestamp: boolean;
  /** A clock time follows, as on till slips' sale line. */
  withTime: boolean;
}

// Both separators must be the same character ("12 - 12/72" is a quantity, not a date).
const NUMERIC_DMY = /(?<![\d.,/-])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![.,/-]?\d)/g;
const NUMERIC_YMD = /(?<![\d.,/-])(20\d{2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{1,2})(?![.,/-]?\d)/g;
const NAMED_DMY =
  /(?<![\p{L}\d])(\d{1,2})(?:st|nd|rd|th|er|e)?\s?[.,/-]?\s?(?:de\s)?(\p{L}{3,12})\.?\s?[,/-]?\s?(?:de\s)?('?\d{4}|'?\d{2})(?!\d)/gu;
const NAMED_MDY = /(?<![\p{L}\d])(\p{L}{3,12})\.?\s(\d{1,2})(?:st|nd|rd|th)?,?\s(\d{4})(?!\d)/gu;

/** All dates printed on one line, in any of the supported formats. */
function datesInLine(original: string): RawDate[] {
  const { text, repaired } = digitised(original);
  const found: RawDate[] = [];
  const add = (iso: string | null, m: RegExpExecArray, certainty: number) => {
    if (!iso) return;
    const start = m.index;
    const end = start + m[0].length;
    if (found.some((d) => start < d.end && end > d.start)) return;
    const repairedHere = repaired && text.slice(start, end) !== original.slice(start, end);
    const after = text.slice(end);
    found.push({
      iso,
      start,
      end,
      certainty: repairedHere ? certainty * 0.9 : certainty,
      timestamp: /^T\d/.test(after),
      withTime: /^[\s,]{1,12}\d{1,2}[:.]\d{2}(?![.,]?\d{2,})/.test(after),
    });
  };
  for (const m of text.matchAll(NUMERIC_YMD)) add(isoDate(Number(m[1]), Number(m[3]), Number(m[4])), m, 0.97);
  for (const m of text.matchAll(NUMERIC_DMY)) {
    const printedYear = fullYear(m[4]!);
    // OCR reads a thermal print's 0 as 8, 6, 9 or 3 in the year's second place ("2821" for "2021").
    const misreadCentury = /^2[3689]\d\d$/.test(m[4]!);
    const [a, b, y] = [Number(m[1]), Number(m[3]), misreadCentury ? 2000 + (printedYear % 100) : printedYear];
    const yearCertainty = misreadCentury ? 0.8 : m[4]!.length === 4 ? 1 : 0.97;
    // Day first, as in Europe; month first only when the day-first reading is impossible.
    const dayFirst = isoDate(y, b, a);
    add(dayFirst ?? isoDate(y, a, b), m, (dayFirst ? 0.97 : 0.8) * yearCertainty);
  }
  for (const m of text.matchAll(NAMED_DMY)) {
    const month = monthOf(m[2]!);
    if (month) add(isoDate(fullYear(m[3]!), month.month, Number(m[1])), m, month.exact ? 0.98 : 0.9);
  }
  for (const m of text.matchAll(NAMED_MDY)) {
    const month = monthOf(m[1]!);
    if (month) add(isoDate(Number(m[3]), month.month, Number(m[2])), m, month.exact ? 0.95 : 0.88);
  }
  return found;
}

/** Every date on the receipt with the role its label suggests. */
export function findDates(lines: IndexedLine[]): DateCandidate[] {
  const candidates: DateCandidate[] = [];
  lines.forEach((line, i) => {
    for (const raw of datesInLine(line.text)) {
      const prefix = fold(line.text.slice(0, raw.start));
      let label = roleFromLabel(prefix);
      // Label-above layouts: a line holding only the date takes the label ending the line above.
      const previous = lines[i - 1];
      if (!label && prefix.trim() === '' && previous && datesInLine(previous.text).length === 0) {
        const above = fold(previous.text);
        const aboveLabel = roleFromLabel(above);
        if (aboveLabel && above.slice(aboveLabel.labelEnd).replace(/[\s:.]/g, '') === '') label = aboveLabel;
      }
      let role: DateRole = label?.role ?? 'unknown';
      if (raw.timestamp && (role === 'unknown' || role === 'date')) role = 'tse';
      candidates.push({
        iso: raw.iso,
        role,
        source: line.text.slice(raw.start, raw.end).trim(),
        span: { line, start: raw.start, end: raw.end },
        certainty: raw.certainty,
        withTime: raw.withTime,
      });
    }
  });
  return candidates;
}

/** When no format above matched, chrono's day-first parsers may still read a labelled date. */
function chronoFallback(lines: IndexedLine[]): DateCandidate[] {
  const out: DateCandidate[] = [];
  for (const line of lines) {
    const label = roleFromLabel(fold(line.text));
    if (label?.role !== 'purchase' && label?.role !== 'date') continue;
    for (const parser of [chrono.en.GB, chrono.de]) {
      const result = parser.parse(line.text).find((r) => ['year', 'month', 'day'].every((c) => r.start.isCertain(c as 'year')));
      if (!result) continue;
      const iso = isoDate(result.start.get('year')!, result.start.get('month')!, result.start.get('day')!);
      if (!iso) continue;
      const span = { line, start: result.index, end: result.index + result.text.length };
      out.push({ iso, role: label.role, source: result.text, span, certainty: 0.7, withTime: false });
      break;
    }
  }
  return out;
}

const ROLE_SCORE: Record<DateRole, number> = {
  purchase: 10,
  date: 7,
  payment: 4,
  unknown: 3,
  delivery: -20,
  return_by: -20,
  due: -20,
  tse: -20,
};
const ROLE_CERTAINTY: Record<DateRole, number> = {
  purchase: 1,
  date: 0.97,
  payment: 0.85,
  unknown: 0.7,
  delivery: 0.3,
  return_by: 0.3,
  due: 0.3,
  tse: 0.3,
};

export interface PurchaseDateResult {
  field: Field;
  otherDates: Extraction['facts']['otherDates'];
}

/** The purchase date: labelled sale dates first, then repetition and an early position on the page. */
export function extractPurchaseDate(lines: IndexedLine[]): PurchaseDateResult {
  let candidates = findDates(lines);
  if (candidates.length === 0) candidates = chronoFallback(lines);
  const total = Math.max(1, lines.length);
  const scored = candidates.map((c) => {
    const repeats = candidates.filter((o) => o !== c && o.iso === c.iso && ROLE_SCORE[o.role] > 0).length;
    const score = ROLE_SCORE[c.role] + Math.min(2, repeats) + (c.withTime ? 1 : 0) + c.certainty + (1 - c.span.line.index / total);
    return { c, score };
  });
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0]?.c;
  const otherDates = candidates.filter((c) => c !== best).map((c) => ({ value: c.iso, role: c.role, source: c.source }));
  if (!best || ROLE_SCORE[best.role] < 0) return { field: EMPTY_FIELD, otherDates };
  // Another sale-labelled date that disagrees makes the choice less certain.
  const rivals = candidates.some((c) => c.iso !== best.iso && ROLE_SCORE[c.role] >= ROLE_SCORE[best.role]);
  const certainty = best.certainty * ROLE_CERTAINTY[best.role] * (rivals ? 0.8 : 1);
  return { field: fieldFrom(best.iso, best.source, [best.span], certainty), otherDates };
}
