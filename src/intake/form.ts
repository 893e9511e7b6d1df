import type { NormalisedForm } from '../domain/assessment.js';
import type { ClaimForm } from '../domain/claim.js';
import { type Flag, flag } from '../domain/flags.js';
import { checkImei, comparableModel, compactCode, describeImeiProblem } from '../domain/identifiers.js';

/**
 * Form validation rules from the registration page [R]. They judge what the customer typed before
 * any receipt is read, so they live here rather than in the versioned policy table.
 */
const SERIAL_FORMAT_RULE = {
  rule: 'form.serial_format',
  clause: '[R] IMEI and product serials are 15 characters, mobile/tablet/wearable serials 11: "enter an 11- or 15-digit number"',
};
const IMEI_RULE = {
  rule: 'form.imei',
  clause: 'GSMA: an IMEI is 15 digits, the last a Luhn check digit; [R] O/0 and S/5 confusions are normalised, not refused',
};

const SERIAL_LENGTHS = [11, 15];

/**
 * Validates and normalises the claim form: codes upper-case without spaces or dashes, IMEI O/S
 * confusions repaired (and noted), defaults applied. Problems become flags; nothing is refused here.
 */
export function normaliseForm(form: ClaimForm, defaults: { country: string; today: string }): NormalisedForm {
  const flags: Flag[] = [];

  const serial = nonEmpty(form.serial && compactCode(form.serial));
  if (serial !== null && !SERIAL_LENGTHS.includes(serial.length)) {
    flags.push(
      flag(
        'INVALID_SERIAL_FORMAT',
        `Serial number ${serial} has ${serial.length} characters: enter an 11- or 15-character number; you entered ${serial.length}.`,
        { ...SERIAL_FORMAT_RULE, serial, length: serial.length, allowedLengths: SERIAL_LENGTHS },
      ),
    );
  }

  let imei = nonEmpty(form.imei && normaliseImei(form.imei, flags));
  // Customers type IMEIs into the serial field: a 15-digit "serial" is checked as an IMEI too.
  const serialIsImei = serial !== null && /^\d{15}$/.test(serial);
  if (serialIsImei && serial !== imei) {
    flagImeiProblem(serial, 'typed in the serial field', flags);
    imei ??= serial;
  }

  return {
    serial,
    imei,
    model: nonEmpty(form.model && comparableModel(form.model)),
    purchaseDate: form.purchaseDate ?? null,
    country: (form.country ?? defaults.country).toUpperCase(),
    claimDate: form.claimDate ?? defaults.today,
    flags,
  };
}

/** Upper case, no separators, O→0 and S→5 (an IMEI has no letters); flags what it repaired or rejects. */
function normaliseImei(raw: string, flags: Flag[]): string {
  const typed = compactCode(raw);
  const imei = typed.replace(/O/g, '0').replace(/S/g, '5');
  if (imei !== typed) {
    flags.push(
      flag('FORM_NORMALISED', `The IMEI on the form had letters O/S where digits belong; read ${typed} as ${imei}.`, {
        ...IMEI_RULE,
        typed,
        normalised: imei,
      }),
    );
  }
  flagImeiProblem(imei, 'on the form', flags);
  return imei;
}

function flagImeiProblem(imei: string, where: string, flags: Flag[]): void {
  const problem = checkImei(imei);
  if (problem) {
    flags.push(flag('INVALID_IMEI', describeImeiProblem(imei, problem, where), { ...IMEI_RULE, imei, where, ...problem }));
  }
}

function nonEmpty(value: string | undefined): string | null {
  return value ? value : null;
}
