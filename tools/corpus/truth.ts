import { luhnValid } from '../../src/domain/identifiers.js';
import { requiredOnReceipt, warrantyMonths, type Family, type Product } from './catalogue.js';
import type { PrintedFacts } from './content.js';
import type { Retailer } from './retailers.js';

/**
 * The expected decision, derived from what the receipt shows and the form says by the rules of
 * docs/warranty-rules.md §4 (not by the pipeline's code): the oracle the corpus is scored against.
 */

export interface ClaimForm {
  serial?: string;
  imei?: string;
  model?: string;
  purchaseDate?: string;
  country: string;
  claimDate: string;
}

export interface Expected {
  status: 'eligible' | 'not_eligible' | 'needs_review';
  flags: string[];
  warranty: { family: Family; months: number; expires: string } | null;
  rules: string[];
}

export interface EarlierClaims {
  /** Normalised serials and IMEIs of earlier claims (form and receipt). */
  identifiers: Map<string, string>;
}

const REVIEW_FLAGS = new Set([
  'MISSING_PURCHASE_DATE',
  'MISSING_RETAILER',
  'MISSING_MODEL',
  'MISSING_SERIAL',
  'SERIAL_MISMATCH',
  'MODEL_MISMATCH',
  'DATE_MISMATCH',
  'INVALID_IMEI',
  'DUPLICATE_RECEIPT',
  'DUPLICATE_SERIAL',
  'FUTURE_DATE',
  'UNKNOWN_PRODUCT',
]);

/** Serials and IMEIs as the rules compare them: upper-case, no spaces or dashes, O→0 and S→5. */
export function comparableNumber(value: string): string {
  return value.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/S/g, '5');
}

const comparableModelCode = (value: string) => value.toUpperCase().replace(/\s/g, '');

/** The same calendar day `months` later, clamped to the month's last day (§4). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function claimIdentifiers(form: ClaimForm, facts: PrintedFacts): string[] {
  return [form.serial, form.imei, facts.serial, facts.imei].filter((v): v is string => Boolean(v)).map(comparableNumber);
}

export function expectedOutcome(input: {
  product: Product;
  retailer: Retailer;
  facts: PrintedFacts;
  form: ClaimForm;
  receiptOf?: string;
  earlier: EarlierClaims;
}): Expected {
  const { product, retailer, facts, form, earlier } = input;
  const flags: string[] = [];
  const rules: string[] = [];
  const family = product.family;
  if (!facts.model && !form.model) {
    flags.push('UNKNOWN_PRODUCT');
    rules.push('no model code on the receipt or the form');
  }
  for (const item of requiredOnReceipt(family)) {
    const missing =
      item === 'serialOrImei'
        ? !facts.serial && !facts.imei
        : item === 'serial'
          ? !facts.serial
          : item === 'retailer'
            ? false
            : !facts[item];
    if (!missing) continue;
    const code = item === 'purchaseDate' ? 'MISSING_PURCHASE_DATE' : item === 'model' ? 'MISSING_MODEL' : 'MISSING_SERIAL';
    if (!flags.includes(code)) flags.push(code);
    rules.push(`§2 ${family}: receipt must show ${item}`);
  }
  const numbersDiffer = (a?: string | null, b?: string | null) => Boolean(a && b && comparableNumber(a) !== comparableNumber(b));
  if (numbersDiffer(form.serial, facts.serial) || numbersDiffer(form.imei, facts.imei)) {
    flags.push('SERIAL_MISMATCH');
    rules.push('form serial/IMEI != receipt serial/IMEI');
  }
  if (form.model && facts.model && comparableModelCode(form.model) !== comparableModelCode(facts.model)) {
    flags.push('MODEL_MISMATCH');
    rules.push(`form model ${form.model} != receipt model ${facts.model}`);
  }
  if (form.purchaseDate && facts.purchaseDate && form.purchaseDate !== facts.purchaseDate) {
    flags.push('DATE_MISMATCH');
    rules.push('form date != receipt date');
  }
  if ([form.imei, facts.imei].some((imei) => imei && !luhnValid(imei))) {
    flags.push('INVALID_IMEI');
    rules.push('IMEI check digit fails');
  }
  if (input.receiptOf) {
    flags.push('DUPLICATE_RECEIPT');
    rules.push(`same receipt as ${input.receiptOf}`);
  }
  const repeated = claimIdentifiers(form, facts).find((id) => earlier.identifiers.has(id));
  if (repeated) {
    flags.push('DUPLICATE_SERIAL');
    rules.push(`serial/IMEI already claimed in ${earlier.identifiers.get(repeated)}`);
  }
  const purchase = facts.purchaseDate ?? form.purchaseDate ?? null;
  if (purchase && purchase > form.claimDate) {
    flags.push('FUTURE_DATE');
    rules.push('purchase date after claim date');
  }
  const extension = family === 'tv' && Boolean(retailer.manufacturerShop) && facts.extension && form.country === 'DE';
  const months = warrantyMonths(product, extension);
  const expires = purchase ? addMonths(purchase, months) : null;
  if (product.coverage === 'region') {
    flags.push('REGION_NOT_COVERED');
    rules.push(`§3 region/channel: ${product.model} not covered`);
  }
  if (product.coverage === 'product') {
    flags.push('PRODUCT_NOT_COVERED');
    rules.push(`§3 SSD channel: ${product.model} is a PC-integrator code`);
  }
  if (expires && form.claimDate > expires) {
    flags.push('WARRANTY_EXPIRED');
    rules.push(`period ${months} m ended ${expires}`);
  }
  const status = flags.some((f) => REVIEW_FLAGS.has(f)) ? 'needs_review' : flags.length > 0 ? 'not_eligible' : 'eligible';
  return { status, flags, warranty: expires ? { family, months, expires } : null, rules };
}
