import type { Extraction } from '../domain/extraction.js';
import type { DocumentSignals, ReceiptFingerprint } from '../domain/fraud.js';
import { comparableModel, comparableSerial } from '../domain/identifiers.js';
import { editDistance } from '../extract/fuzzy.js';
import type { FraudPolicy } from '../policy/policy-schema.js';
import type { FingerprintCandidate } from '../domain/fraud.js';
import { hashDistance } from './image-hash.js';
import { isEan13, numberOverlap, numbersHeld, numericToken, type NumbersHeld } from './receipt-numbers.js';

export function receiptFingerprint(extraction: Extraction, signals: DocumentSignals): ReceiptFingerprint {
  const unit = extraction.serial.value ?? extraction.imei.value;
  return {
    retailer: extraction.retailer.value?.toUpperCase() ?? null,
    purchaseDate: extraction.purchaseDate.value,
    model: extraction.model.value ? comparableModel(extraction.model.value) : null,
    unit: unit ? comparableSerial(unit) : null,
    numbers: signals.numbers,
    imageHash: signals.imageHash,
  };
}

/**
 * Keys under which a receipt is looked up again: any two of retailer, date and model, or its unit.
 * One misread field still leaves a key that finds the earlier copy.
 */
export function blockingKeys(fp: ReceiptFingerprint): string[] {
  const keys: string[] = [];
  const pair = (tag: string, a: string | null, b: string | null) => a && b && keys.push(`${tag}:${a}|${b}`);
  pair('rd', fp.retailer, fp.purchaseDate);
  pair('rm', fp.retailer, fp.model);
  pair('dm', fp.purchaseDate, fp.model);
  if (fp.unit) keys.push(`u:${fp.unit}`);
  return keys;
}

export interface ReceiptMatch {
  candidate: FingerprintCandidate;
  fieldsCompared: string[];
  fieldsAgreeing: string[];
  fieldAgreement: number;
  numberOverlap: number;
  imageDistance: number | null;
  /** Of the sparser reading's numbers (not its date, not the shop's own), how many the other holds. */
  numbersHeld: NumbersHeld;
  /**
   * What confirmed the match beyond the fields; `unconfirmed`: shop and date agree but the readings
   * hold too few numbers to confirm the copy or rule it out, so it is not let through unchecked.
   */
  confirmedBy: 'numbers' | 'unit' | 'numbers_held' | 'unconfirmed';
}

/** Field-by-field agreement, tolerant of one OCR error in a model code and two in a serial. */
function compareFields(a: ReceiptFingerprint, b: ReceiptFingerprint): { compared: string[]; agreeing: string[] } {
  const checks: Array<[string, string | null, string | null, number]> = [
    ['retailer', a.retailer, b.retailer, 0],
    ['purchaseDate', a.purchaseDate, b.purchaseDate, 0],
    ['model', a.model, b.model, 1],
    ['unit', a.unit, b.unit, 2],
  ];
  const compared: string[] = [];
  const agreeing: string[] = [];
  for (const [name, x, y, tolerance] of checks) {
    if (x === null || y === null) continue;
    compared.push(name);
    if (editDistance(x, y, tolerance) <= tolerance) agreeing.push(name);
  }
  return { compared, agreeing };
}

/** The purchase date as receipts print it without separators: 19.05.2023 reads as 19052023. */
function dateSpellings(isoDate: string | null): string[] {
  if (!isoDate) return [];
  const [y, m, d] = isoDate.split('-') as [string, string, string];
  const yy = y.slice(2);
  return [`${d}${m}${y}`, `${y}${m}${d}`, `${m}${d}${y}`, `${d}${m}${yy}`, `${yy}${m}${d}`, `${m}${d}${yy}`];
}

/**
 * Numbers printed on the shop's receipts whatever the purchase (its VAT and phone numbers, a
 * model's EAN and price): those an earlier receipt from the same retailer but another day holds.
 */
function shopNumbers(fp: ReceiptFingerprint, candidates: FingerprintCandidate[]): Set<string> {
  const numbers = new Set<string>();
  if (!fp.retailer || !fp.purchaseDate) return numbers;
  for (const { fingerprint: other } of candidates) {
    if (other.retailer !== fp.retailer || !other.purchaseDate || other.purchaseDate === fp.purchaseDate) continue;
    for (const n of other.numbers) numbers.add(n);
  }
  return numbers;
}

/**
 * Numbers any purchase of this model at this shop that day would print as well: the date spelled
 * as a number, the model code's digits, the product's EAN and the shop's own numbers.
 */
function notOfThePurchase(a: ReceiptFingerprint, b: ReceiptFingerprint, shop: Set<string>): (n: string) => boolean {
  const shared = new Set([...dateSpellings(a.purchaseDate), ...dateSpellings(b.purchaseDate), ...shop]);
  for (const model of [a.model, b.model]) {
    const digits = model && numericToken(model);
    if (digits) shared.add(digits);
  }
  return (n) => shared.has(n) || isEan13(n);
}

/**
 * What the numbers say when they do not overlap enough (policy 2026.7 on): a sparser reading held
 * by the other confirms the copy; one with too few numbers of its own to judge, on a receipt
 * of the same shop and day, leaves it open; otherwise it is another purchase.
 */
function heldVerdict(held: NumbersHeld, agreeing: string[], policy: FraudPolicy['duplicateReceipt']): ReceiptMatch['confirmedBy'] | null {
  const { minNumbersHeld, minHeldNumbers } = policy;
  if (minNumbersHeld === undefined || minHeldNumbers === undefined) return null;
  if (held.longJudged < minHeldNumbers) {
    return agreeing.includes('retailer') && agreeing.includes('purchaseDate') ? 'unconfirmed' : null;
  }
  return held.longHeld >= minHeldNumbers && held.held >= minNumbersHeld * held.judged ? 'numbers_held' : null;
}

/** Confirmed matches by number overlap; unconfirmed ones after them, equal, so the earliest is named. */
const strength = (m: ReceiptMatch) => (m.confirmedBy === 'unconfirmed' ? 0 : 1 + m.numberOverlap);

/**
 * The earlier receipt this one copies, if any. Fields alone are not enough (one shop sells the same
 * model many times a day) and neither is the image (one layout hashes alike): the fields must agree
 * and the receipt's own numbers or its unit serial confirm it. The image distance is shown as
 * supporting evidence only. From 2026.7 a copy read with fewer numbers is confirmed by the other
 * holding them, and a same-shop, same-day receipt too poorly read to tell is an unconfirmed match.
 */
export function matchReceipt(
  fp: ReceiptFingerprint,
  candidates: FingerprintCandidate[],
  policy: FraudPolicy['duplicateReceipt'],
): ReceiptMatch | null {
  let best: ReceiptMatch | null = null;
  const shop = shopNumbers(fp, candidates);
  for (const candidate of candidates) {
    const { compared, agreeing } = compareFields(fp, candidate.fingerprint);
    if (compared.length < 2) continue;
    const fieldAgreement = agreeing.length / compared.length;
    if (fieldAgreement < policy.minFieldAgreement) continue;
    const overlap = numberOverlap(fp.numbers, candidate.fingerprint.numbers);
    const held = numbersHeld(fp.numbers, candidate.fingerprint.numbers, notOfThePurchase(fp, candidate.fingerprint, shop));
    const imageDistance =
      fp.imageHash && candidate.fingerprint.imageHash ? hashDistance(fp.imageHash, candidate.fingerprint.imageHash) : null;
    // The image never confirms: another slip of the same layout hashes alike and shares the shop's
    // numbers, so a weak number overlap plus a close image is still another purchase.
    const confirmedBy =
      overlap >= policy.minNumberOverlap ? 'numbers' : agreeing.includes('unit') ? 'unit' : heldVerdict(held, agreeing, policy);
    if (!confirmedBy) continue;
    const match: ReceiptMatch = {
      candidate,
      fieldsCompared: compared,
      fieldsAgreeing: agreeing,
      fieldAgreement,
      numberOverlap: overlap,
      imageDistance,
      numbersHeld: held,
      confirmedBy,
    };
    // Candidates come newest first: on a tie the older claim wins, naming the receipt's first use.
    if (!best || strength(match) >= strength(best)) best = match;
  }
  return best;
}
