import { luhnCheckDigit, luhnValid } from '../../src/domain/identifiers.js';
import type { Family } from './catalogue.js';
import { serialLength } from './catalogue.js';
import type { SeededRandom } from '../lib/random.js';

/** Letters Samsung serials use (no I, O: they read as 1 and 0). */
const SERIAL_LETTERS = 'ABCDEFGHJKLMNPQRSTVWXYZ';
const SERIAL_CHARS = `${SERIAL_LETTERS}0123456789`;
/** Samsung's year letters in serials: R = 2021 … V = 2025 (and on). */
const YEAR_LETTER: Record<number, string> = { 2019: 'N', 2020: 'T', 2021: 'R', 2022: 'W', 2023: 'X', 2024: 'Y', 2025: 'Z', 2026: 'A' };
const MONTH_CHAR = '123456789ABC';

/**
 * A unit's serial in Samsung's shape for its family, made in `made` (ISO date): mobile serials are
 * 11 characters (R + factory + line + year + month + 6), the others 15 (plant and line, model
 * group, year, month, a 6-digit running number and a check letter).
 */
export function serialNumber(rng: SeededRandom, family: Family, made: string): string {
  const year = YEAR_LETTER[Number(made.slice(0, 4))] ?? 'X';
  const month = MONTH_CHAR[Number(made.slice(5, 7)) - 1]!;
  if (serialLength(family) === 11)
    return `R${rng.pick(['5', '9', 'F', '3', '2'])}${rng.pick(['C', 'G', '8', 'J'])}${year}${month}${rng.chars(6, SERIAL_CHARS)}`;
  if (family === 'ssd') return `S${rng.chars(3, SERIAL_CHARS)}NX0${year}${rng.digits(6)}${rng.pick([...SERIAL_LETTERS])}`;
  return `${rng.int(0, 9)}${rng.chars(3, SERIAL_CHARS)}${rng.chars(2, SERIAL_LETTERS)}${year}${month}${rng.digits(6)}${rng.pick([...SERIAL_LETTERS])}`;
}

/** Type allocation codes of Samsung devices (the first 8 IMEI digits are the model's TAC). */
const SAMSUNG_TAC_PREFIXES = ['350', '351', '352', '353', '354', '355', '356', '357', '358', '359'];

export function imeiNumber(rng: SeededRandom): string {
  const first14 = `${rng.pick(SAMSUNG_TAC_PREFIXES)}${rng.digits(11)}`;
  return `${first14}${luhnCheckDigit(first14)}`;
}

/** The same IMEI with its check digit wrong: a typo or an altered number. */
export function withWrongCheckDigit(imei: string): string {
  const wrong = (Number(imei.at(-1)) + 1 + (Number(imei[3]) % 8)) % 10;
  const altered = `${imei.slice(0, 14)}${wrong}`;
  if (luhnValid(altered)) throw new Error('a changed check digit cannot still pass');
  return altered;
}

/**
 * The form's serial with one character the customer mistyped for its look-alike letter (0 → O,
 * 5 → S), which the rules treat as the same serial; null when it has neither digit.
 */
export function withLetterLookAlike(rng: SeededRandom, serial: string): string | null {
  const positions = [...serial].flatMap((c, i) => (c === '0' || c === '5' ? [i] : []));
  if (positions.length === 0) return null;
  const at = rng.pick(positions);
  return `${serial.slice(0, at)}${serial[at] === '0' ? 'O' : 'S'}${serial.slice(at + 1)}`;
}

/** Characters OCR confuses, and the O/0, S/5 pair the rules forgive: a real mismatch avoids them all. */
const LOOK_ALIKES = new Set([...'0ODQ5SI1LB8Z2G6T7']);

/** Another unit's serial: one character replaced by a clearly different one (not a look-alike). */
export function withOtherCharacter(rng: SeededRandom, code: string): string {
  const positions = [...code].flatMap((c, i) => (LOOK_ALIKES.has(c) ? [] : [i]));
  const at = positions.length ? rng.pick(positions) : code.length - 2;
  const original = code[at]!;
  const digit = /\d/.test(original);
  const choices = [...(digit ? '349' : 'AEHKMNPRWXY')].filter((c) => c !== original && !LOOK_ALIKES.has(c));
  return `${code.slice(0, at)}${rng.pick(choices)}${code.slice(at + 1)}`;
}
