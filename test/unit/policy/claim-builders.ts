import type { AssessInput, Decision, NormalisedForm } from '../../../src/domain/assessment.js';
import type { Extraction, Field, FieldName } from '../../../src/domain/extraction.js';
import type { Flag } from '../../../src/domain/flags.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';

/** Hand-built claims for policy tests: a clean phone claim that each test bends one way. */

export const policy = loadPolicy();

/** A valid IMEI (Luhn) used across tests. */
export const VALID_IMEI = '356938035643809';

type FieldInput = string | null | { value: string | null; confidence: number };

function field(input: FieldInput): Field {
  if (input === null) return { value: null, confidence: 0, source: null };
  if (typeof input === 'string') return { value: input, confidence: 0.95, source: input };
  return { ...input, source: input.value };
}

/** What the receipt shows; by default a phone bought 2024-03-12 at MediaMarkt with its IMEI. */
export function receipt(fields: Partial<Record<FieldName, FieldInput>> = {}, facts: Partial<Extraction['facts']> = {}): Extraction {
  const shown: Record<FieldName, FieldInput> = {
    purchaseDate: '2024-03-12',
    retailer: 'MediaMarkt',
    model: 'SM-S921B/DS',
    serial: null,
    imei: VALID_IMEI,
    ...fields,
  };
  return {
    purchaseDate: field(shown.purchaseDate),
    retailer: field(shown.retailer),
    model: field(shown.model),
    serial: field(shown.serial),
    imei: field(shown.imei),
    facts: { extendedWarranty: false, otherDates: [], ...facts },
  };
}

/** The normalised form; by default only the claim country and date, claimed 2025-06-01 in DE. */
export function form(fields: Partial<NormalisedForm> = {}): NormalisedForm {
  return {
    serial: null,
    imei: null,
    model: null,
    purchaseDate: null,
    country: 'DE',
    claimDate: '2025-06-01',
    flags: [],
    ...fields,
  };
}

export function claim(parts: { form?: NormalisedForm; receipt?: Extraction | null; signals?: Flag[] } = {}): AssessInput {
  return {
    form: parts.form ?? form(),
    extraction: parts.receipt === undefined ? receipt() : parts.receipt,
    signals: parts.signals ?? [],
  };
}

export function flagCodes(decision: Decision): string[] {
  return decision.flags.map((f) => f.code);
}
