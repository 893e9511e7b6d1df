import type { NormalisedForm } from '../domain/assessment.js';
import type { Extraction, Field } from '../domain/extraction.js';
import { type Flag, flag } from '../domain/flags.js';
import { comparableSerial, compactCode } from '../domain/identifiers.js';
import type { Family, Policy } from './policy-schema.js';
import { productCodeGrammar } from './product-codes.js';

/** One character of the reading replaced by the form's: where, what was read, what was typed. */
export interface LookalikeRepair {
  position: number;
  read: string;
  typed: string;
}

/** A receipt serial read with OCR look-alikes, reconciled with the serial the customer typed. */
export interface SerialReconciliation {
  serial: Field;
  flag: Flag;
}

/**
 * The receipt's serial reconciled with the form's, or null when there is nothing to reconcile.
 *
 * A character of the reading is replaced by the form's only where all of this holds: the two are
 * look-alikes of one group in the policy; the family's serial grammar rules out the character read
 * at that position (so the reading cannot be what is printed) and allows the one typed; and no
 * other member of the group is allowed there (so the printed character can only be the typed one).
 * A correctly read serial of another unit always fits the grammar, so it is never taken for the
 * claimed one. The reading must come from OCR (a PDF's text layer is exact), have the form's
 * length, need at most `maxPositions` such repairs, and become a serial the grammar accepts.
 * IMEIs are left to the check digit: a 15-digit number is never reconciled.
 */
export function reconcileSerial(
  form: NormalisedForm,
  extraction: Extraction,
  family: Family | null,
  policy: Policy,
): SerialReconciliation | null {
  const rule = policy.checks.serialLookalikes;
  const read = extraction.serial.value === null ? null : compactCode(extraction.serial.value);
  const typed = form.serial;
  if (!rule || !policy.productCodes || !family || read === null || typed === null) return null;
  if (extraction.facts.textSource !== 'ocr' || read.length !== typed.length || /^\d{15}$/.test(typed) || read === typed) return null;
  const grammar = productCodeGrammar(policy.productCodes);
  if (!grammar.acceptsSerial(family.id, typed)) return null;

  const repairs: LookalikeRepair[] = [];
  for (let position = 0; position < read.length; position++) {
    const [r, t] = [read[position]!, typed[position]!];
    if (r === t) continue;
    const group = rule.groups.find((g) => g.includes(r) && g.includes(t));
    if (!group) return null;
    const allowed = grammar.allowedAt(family.id, read.length, position, group);
    if (!allowed.includes(r) && allowed.length === 1 && allowed[0] === t) repairs.push({ position, read: r, typed: t });
    // Otherwise the difference stands: only O/0 and S/5 vanish in the policy's comparison.
    else if (comparableSerial(r) !== comparableSerial(t)) return null;
  }
  if (repairs.length === 0 || repairs.length > rule.maxPositions) return null;

  const chars = [...read];
  for (const repair of repairs) chars[repair.position] = repair.typed;
  const value = chars.join('');
  if (!grammar.acceptsSerial(family.id, value)) return null;
  const where = repairs.map((r) => `${r.read}→${r.typed} at position ${r.position + 1}`).join(', ');
  return {
    serial: { ...extraction.serial, value },
    flag: flag(
      'SERIAL_RECONCILED',
      `The receipt's serial was read as ${read}; ${where} cannot be what a ${family.label} serial holds there and is an OCR ` +
        `look-alike of what the form gives, so the receipt is read as ${value}.`,
      {
        rule: rule.id,
        clause: rule.source,
        policyVersion: policy.version,
        productCodes: policy.productCodes,
        family: family.id,
        reconciledFrom: read,
        reconciled: value,
        form: typed,
        positions: repairs.map((r) => ({ ...r, position: r.position + 1 })),
      },
    ),
  };
}
