import type { Extraction } from '../domain/extraction.js';
import type { DocumentSignals, ReceiptFingerprint } from '../domain/fraud.js';
import { comparableModel, comparableSerial } from '../domain/identifiers.js';
import { editDistance } from '../extract/fuzzy.js';
import type { FraudPolicy } from '../policy/policy-schema.js';
import type { FingerprintCandidate } from '../domain/fraud.js';
import { hashDistance } from './image-hash.js';
import { numberOverlap } from './receipt-numbers.js';

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
  /** What confirmed the match beyond the fields. */
  confirmedBy: 'numbers' | 'unit';
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

/**
 * The earlier receipt this one copies, if any. Fields alone are not enough (one shop sells the same
 * model many times a day) and neither is the image (one layout hashes alike): the fields must agree
 * and the receipt's own numbers or its unit serial confirm it. The image distance is shown as
 * supporting evidence only.
 */
export function matchReceipt(
  fp: ReceiptFingerprint,
  candidates: FingerprintCandidate[],
  policy: FraudPolicy['duplicateReceipt'],
): ReceiptMatch | null {
  let best: ReceiptMatch | null = null;
  for (const candidate of candidates) {
    const { compared, agreeing } = compareFields(fp, candidate.fingerprint);
    if (compared.length < 2) continue;
    const fieldAgreement = agreeing.length / compared.length;
    if (fieldAgreement < policy.minFieldAgreement) continue;
    const overlap = numberOverlap(fp.numbers, candidate.fingerprint.numbers);
    const imageDistance =
      fp.imageHash && candidate.fingerprint.imageHash ? hashDistance(fp.imageHash, candidate.fingerprint.imageHash) : null;
    // The image never confirms: another slip of the same layout hashes alike and shares the shop's
    // numbers, so a weak number overlap plus a close image is still another purchase.
    const confirmedBy = overlap >= policy.minNumberOverlap ? 'numbers' : agreeing.includes('unit') ? 'unit' : null;
    if (!confirmedBy) continue;
    const match: ReceiptMatch = {
      candidate,
      fieldsCompared: compared,
      fieldsAgreeing: agreeing,
      fieldAgreement,
      numberOverlap: overlap,
      imageDistance,
      confirmedBy,
    };
    // Candidates come newest first: on a tie the older claim wins, naming the receipt's first use.
    if (!best || overlap >= best.numberOverlap) best = match;
  }
  return best;
}
