/**
 * Product serial number and IMEI, read after their labels. Other numbers on a receipt (TSE and till
 * serials, order, article, EAN, card, terminal, phone numbers) have labels of their own and are never
 * taken as the product's serial.
 */
import type { Extraction, Field } from '../domain/extraction.js';
import { EMPTY_FIELD } from '../domain/extraction.js';
import { asDigits, compactCode, digitReadings, luhnValid } from '../domain/identifiers.js';
import { ocrDistance } from './fuzzy.js';
import { fieldFrom, fold, locate, type IndexedLine, type Span } from './text-spans.js';

type UnreadIdentifier = NonNullable<Extraction['facts']['unreadIdentifiers']>[number];

/** Serial labels in the receipts' languages, folded; tolerates OCR "gerienr", "5eriennr", "S|N". */
const SERIAL_LABEL =
  /(?<![a-z0-9])(?:s\s?[/|]\s?n|s\.\s?n\.|sn|[sg5$]er[il1](?:al(?:\s?(?:no|nr|num|number|#))?|e?n?-?\s?(?:nr|nummer|no|number|numm?er)|e)|numero de serie|n[°o]\.? de serie|numero di serie|numer seryjny|sarjanumero|sarjanro|sarjan:o|serijski broj)(?![a-z])\.?/g;

/** Words before a serial label meaning it is the till's or a module's serial, not the product's. */
const FOREIGN_OWNERS = 'tse|kasse|kassen|terminal|drucker|printer|register|zertifikat|certificate|pos|modul|signatur';
const FOREIGN_SERIAL_OWNER = new RegExp(`(${FOREIGN_OWNERS})[\\s-]*$`);

/**
 * Serial labels spelled out, letters only: a label OCR garbled past SERIAL_LABEL ("Sevien-Ne.") is
 * still one when it is this close to one of them and a serial-shaped code follows it.
 */
const SPELLED_SERIAL_LABELS = [
  'seriennr',
  'seriennummer',
  'serienummer',
  'serienr',
  'serialno',
  'serialnumber',
  'serialnr',
  'sarjanumero',
  'sarjanro',
];
/** A label, a colon or full stop, then the value: "Sevien-Ne.: SBW1…". */
const LABELLED_VALUE = /^(.*?[a-z$|].*?)\s*[:;.]\s+(\S.*)$/;
/** Labels of other numbers that are as close to a serial label as OCR garble can be. */
const OTHER_NUMBER_LABEL = new RegExp(`servic|kunden|bestell|rechnung|order|artikel|beleg|vertrag|${FOREIGN_OWNERS}`);

const IMEI_LABEL = /(?<![a-z])[il1|]me[il1|](?:\s?[12])?(?:\s?(?:no|nr|number))?\.?/g;

/** Everything after the label on its line, or the next line when the label ends its line. */
function valueAfter(lines: IndexedLine[], line: IndexedLine, labelEnd: number): { text: string; span: Span } | null {
  const rest = line.text.slice(labelEnd);
  const lead = /^[\s:;.,#=)\-–]*/.exec(rest)![0].length;
  if (rest.length > lead) return { text: rest.slice(lead), span: { line, start: labelEnd + lead, end: line.text.length } };
  const next = lines[line.index + 1];
  return next
    ? { text: next.text.trim(), span: { line: next, start: next.text.length - next.text.trimStart().length, end: next.text.length } }
    : null;
}

const SERIAL_LENGTHS = [11, 15];

/**
 * The code at the start of `text`: words separated by single spaces are joined while the code
 * is still shorter than a serial ("R5CX 12AB CDE"), or while the next word completes a serial
 * that OCR split past its eleventh character ("7A0T7HXM04866 4E"); column gaps end it.
 */
function leadingCode(text: string, maxLength: number): { code: string; length: number } {
  const words = text.split(/(\s+)/);
  const clean = (word: string | undefined) => (word ?? '').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  let code = '';
  let consumed = 0;
  for (let i = 0; i < words.length; i += 2) {
    const word = clean(words[i]);
    if (!/^[A-Za-z0-9.-]+$/.test(word) || code.length + word.length > maxLength) break;
    code += compactCode(word);
    consumed += words[i]!.length + (words[i - 1]?.length ?? 0);
    if (words[i + 1] !== ' ') break;
    if (code.length >= 11) {
      const next = compactCode(clean(words[i + 2]));
      const completes =
        !SERIAL_LENGTHS.includes(code.length) && /^[A-Za-z0-9]+$/.test(next) && SERIAL_LENGTHS.includes(code.length + next.length);
      if (!completes) break;
    }
  }
  return { code, length: consumed };
}

/** Digit groups at the start of `text` ("35 170813 860049 2"), joined until an IMEI's length. */
function leadingDigitGroups(text: string): { code: string; length: number } {
  const groups = /^[0-9A-Za-z|]+(?: [0-9A-Za-z|]+)*/.exec(text)?.[0].split(' ') ?? [];
  let code = '';
  let consumed = 0;
  for (const group of groups) {
    if (code.length >= 15) break;
    code += group;
    consumed += group.length + (consumed ? 1 : 0);
  }
  return { code, length: consumed };
}

function serialLengthCertainty(length: number): number {
  if (length === 11 || length === 15) return 0.95;
  // One character lost or gained by OCR is common; still the best reading on offer.
  if (length === 10 || length === 12 || length === 14 || length === 16) return 0.55;
  return 0.35;
}

interface SerialResult {
  serial: Field;
  /** A serial label followed by 15 Luhn-valid digits is an IMEI ("S/N / IMEI: 35…"). */
  imeiFromSerialLabel: Field | null;
  /** A serial label with no readable code after it. */
  unread: UnreadIdentifier | null;
}

function unreadLabel(kind: UnreadIdentifier['kind'], line: IndexedLine): UnreadIdentifier {
  return { kind, source: line.text.trim(), location: locate([{ line, start: 0, end: line.text.length }]) };
}

/** Where a serial label ends on a line; `garbled`: OCR damaged it past SERIAL_LABEL. */
interface SerialLabel {
  end: number;
  garbled: boolean;
  /** More than a bare "SN", which is too common a pair of letters in OCR noise to stand for a printed serial. */
  spelled: boolean;
}

/** The product-serial labels on a line: those SERIAL_LABEL finds, else one OCR garbled past it. */
function serialLabelsOn(line: IndexedLine): SerialLabel[] {
  const folded = fold(line.text);
  const clean = [...folded.matchAll(SERIAL_LABEL)]
    .filter((m) => !FOREIGN_SERIAL_OWNER.test(folded.slice(0, m.index)))
    .map((m) => ({ end: m.index + m[0].length, garbled: false, spelled: m[0].replace(/[^a-z]/g, '').length > 2 }));
  if (clean.length > 0) return clean;
  const end = garbledLabelEnd(line.text, folded);
  return end === null ? [] : [{ end, garbled: true, spelled: true }];
}

/**
 * The end of a label OCR garbled beyond SERIAL_LABEL ("Sevien-Ne.:"): within two edits of a
 * spelled-out serial label, not another number's label, followed on its line by a value.
 */
function garbledLabelEnd(text: string, folded: string): number | null {
  const m = LABELLED_VALUE.exec(folded);
  // Offsets into the folded text are the line's own only where folding kept its length (no ß, æ).
  if (!m || folded.length !== text.length) return null;
  const label = m[1]!.replace(/[^a-z$|5]/g, '');
  if (label.length < 6 || !/^[s5$]/.test(label) || OTHER_NUMBER_LABEL.test(label)) return null;
  if (!SPELLED_SERIAL_LABELS.some((known) => ocrDistance(label, known, 2) <= 2)) return null;
  return text.length - m[2]!.length;
}

/**
 * The serial after the receipt's serial labels, the surest reading; one after a garbled label (10 to
 * 16 letters and digits, reported less surely) only where no clean label gave one.
 */
function extractSerialField(lines: IndexedLine[]): SerialResult {
  let best: { field: Field; certainty: number } | null = null;
  let garbled: Field | null = null;
  let imeiFromSerialLabel: Field | null = null;
  let unread: UnreadIdentifier | null = null;
  for (const line of lines) {
    for (const label of serialLabelsOn(line)) {
      const after = valueAfter(lines, line, label.end);
      const { code: read, length } = after ? leadingCode(after.text, 18) : { code: '', length: 0 };
      if (!after || read.length < 8 || !/\d/.test(read)) {
        if (!label.garbled && label.spelled) unread ??= unreadLabel('serial', line);
        continue;
      }
      // Serials are compared with O read as 0 (rules digest §4); report that canonical form.
      const code = read.replace(/O/g, '0');
      const span = { ...after.span, end: after.span.start + length };
      const source = after.text.slice(0, length).trim();
      if (label.garbled) {
        if (code.length >= 10 && code.length <= 16 && /[A-Z]/i.test(read)) {
          garbled ??= fieldFrom(code, source, [span], serialLengthCertainty(code.length) * 0.8);
        }
        continue;
      }
      if (/^\d{15}$/.test(code) && luhnValid(code)) {
        imeiFromSerialLabel ??= fieldFrom(code, after.text.slice(0, length), [span], 0.85);
        continue;
      }
      // O and I are OCR's usual misreads of 0 and 1; such a serial is reported less surely.
      const ambiguous = /[OI]/.test(read);
      const certainty = serialLengthCertainty(code.length) * (ambiguous ? 0.8 : 1);
      if (!best || certainty > best.certainty) best = { field: fieldFrom(code, source, [span], certainty), certainty };
    }
  }
  const serial = best?.field ?? garbled ?? EMPTY_FIELD;
  return { serial, imeiFromSerialLabel, unread: serial.value === null && imeiFromSerialLabel === null ? unread : null };
}

/**
 * The IMEI as printed, letters read as digits. Among the readings of ambiguous letters the one
 * passing Luhn is preferred; digits that fail Luhn as printed are kept: that is evidence, not noise.
 */
function imeiReading(code: string): { digits: string; certainty: number } | null {
  const primary = asDigits(code);
  if (!primary) return null;
  if (primary.length < 14 || primary.length > 16) return { digits: primary, certainty: 0.3 };
  const printedDigitsOnly = /^\d+$/.test(code);
  if (primary.length === 16 && luhnValid(primary.slice(0, 15))) return { digits: primary.slice(0, 15), certainty: 0.7 };
  if (primary.length !== 15) return { digits: primary, certainty: 0.35 };
  if (luhnValid(primary)) return { digits: primary, certainty: printedDigitsOnly ? 0.97 : 0.85 };
  if (!printedDigitsOnly) {
    const valid = digitReadings(code).find(luhnValid);
    if (valid) return { digits: valid, certainty: 0.75 };
  }
  return { digits: primary, certainty: 0.6 };
}

function extractImeiField(lines: IndexedLine[]): { imei: Field | null; unread: UnreadIdentifier | null } {
  let unread: UnreadIdentifier | null = null;
  for (const line of lines) {
    const folded = fold(line.text);
    for (const m of folded.matchAll(IMEI_LABEL)) {
      const after = valueAfter(lines, line, m.index + m[0].length);
      const { code, length } = after ? leadingDigitGroups(after.text) : { code: '', length: 0 };
      const reading = code.length >= 8 ? imeiReading(code) : null;
      if (!after || !reading) {
        unread ??= unreadLabel('imei', line);
        continue;
      }
      const span = { ...after.span, end: after.span.start + length };
      return { imei: fieldFrom(reading.digits, after.text.slice(0, length).trim(), [span], reading.certainty), unread: null };
    }
  }
  return { imei: null, unread };
}

export function extractSerialAndImei(lines: IndexedLine[]): { serial: Field; imei: Field; unread: UnreadIdentifier[] } {
  const serial = extractSerialField(lines);
  const imei = extractImeiField(lines);
  return {
    serial: serial.serial,
    imei: imei.imei ?? serial.imeiFromSerialLabel ?? EMPTY_FIELD,
    unread: [serial.unread, imei.imei === null && serial.imeiFromSerialLabel === null ? imei.unread : null].filter((u) => u !== null),
  };
}
