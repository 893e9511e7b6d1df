/**
 * Identifier rules shared by extraction, form validation, comparison and fraud checks: OCR and
 * typing confusions, the IMEI check digit.
 * The rules digest fixes the comparison normalisation: upper case, no spaces or dashes, O→0, S→5.
 */

/** Canonical form for comparing two serials/IMEIs: a difference that vanishes here is no mismatch. */
export function comparableSerial(raw: string): string {
  return raw
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/O/g, '0')
    .replace(/S/g, '5');
}

/** Canonical form for comparing model codes: upper case without spaces. */
export function comparableModel(raw: string): string {
  return raw.toUpperCase().replace(/\s+/g, '');
}

/** Upper case, spaces and dashes removed: how a serial or IMEI is reported. */
export function compactCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s\-_.]/g, '');
}

/** Letters OCR reads in place of digits inside a number that must be all digits. */
const DIGIT_LOOKALIKES: Record<string, string> = {
  O: '0',
  Q: '0',
  D: '0',
  U: '0',
  I: '1',
  L: '1',
  '|': '1',
  '!': '1',
  Z: '2',
  S: '5',
  B: '8',
  G: '6',
  T: '7',
  Y: '9',
  A: '4',
};

/** Repairs a token that should be all digits (an IMEI); returns null when it cannot be one. */
export function asDigits(token: string): string | null {
  let out = '';
  for (const ch of token.toUpperCase()) {
    if (ch >= '0' && ch <= '9') out += ch;
    else if (DIGIT_LOOKALIKES[ch]) out += DIGIT_LOOKALIKES[ch];
    else return null;
  }
  return out;
}

/** Luhn check used by IMEIs (GSMA): the 15th digit checks the first 14. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The check digit that would make the first 14 digits a valid IMEI. */
export function luhnCheckDigit(first14: string): number {
  for (let d = 0; d <= 9; d++) if (luhnValid(first14 + d)) return d;
  throw new Error(`not a digit string: ${first14}`);
}

/** Second readings OCR makes of letters inside digit runs (I as 7, S as 8, B as 3, …). */
const OTHER_DIGIT_READINGS: Record<string, string> = {
  I: '7',
  L: '7',
  Z: '7',
  S: '8',
  B: '3',
  G: '9',
  T: '1',
  A: '4',
};

/** Whether OCR takes one of two characters for the other: a letter read in place of a digit, either way. */
export function ocrLookalikes(a: string, b: string): boolean {
  const [x, y] = [a.toUpperCase(), b.toUpperCase()];
  return [DIGIT_LOOKALIKES, OTHER_DIGIT_READINGS].some((readings) => readings[x] === y || readings[y] === x);
}

/** One column of two codes set side by side: the same character, one for another, or one side without it (null). */
export interface AlignedCharacter {
  form: string | null;
  receipt: string | null;
  /** The two differ by characters OCR takes for one another (B/8, O/0, I/1…): perhaps a misreading. */
  lookalike: boolean;
}

/**
 * Two codes (as the form and the receipt give them) lined up character by character: position by
 * position when they are as long, else along their longest common subsequence, so a dropped or
 * doubled character shows as one gap instead of shifting every character after it.
 */
export function alignCharacters(form: string, receipt: string): AlignedCharacter[] {
  const a = [...form];
  const b = [...receipt];
  const column = (x: string | null, y: string | null): AlignedCharacter => ({
    form: x,
    receipt: y,
    lookalike: x !== null && y !== null && x !== y && ocrLookalikes(x, y),
  });
  if (a.length === b.length) return a.map((x, i) => column(x, b[i]!));
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const common = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  const out: AlignedCharacter[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) out.push(column(a[i++]!, b[j++]!));
    else if (j >= b.length || (i < a.length && common[i + 1]![j]! >= common[i]![j + 1]!)) out.push(column(a[i++]!, null));
    else out.push(column(null, b[j++]!));
  }
  // A character the form has where the receipt has another is one column, not two gaps.
  return out.reduce<AlignedCharacter[]>((columns, next) => {
    const last = columns.at(-1);
    if (last && last.receipt === null && next.form === null) columns[columns.length - 1] = column(last.form, next.receipt);
    else columns.push(next);
    return columns;
  }, []);
}

/**
 * Every digit string a token with lookalike letters may stand for, the plain `asDigits` reading
 * first; used to find the reading of an IMEI that passes its check digit. Bounded to 6 letters.
 */
export function digitReadings(token: string): string[] {
  const primary = asDigits(token);
  if (!primary) return [];
  const upper = token.toUpperCase();
  const choices = [...upper].map((ch, i) => {
    const other = OTHER_DIGIT_READINGS[ch];
    return other && other !== primary[i] ? [primary[i]!, other] : [primary[i]!];
  });
  if (choices.filter((c) => c.length > 1).length > 6) return [primary];
  let readings = [''];
  for (const options of choices) readings = readings.flatMap((r) => options.map((o) => r + o));
  const changes = (r: string) => [...r].filter((d, i) => d !== primary[i]).length;
  return readings.sort((a, b) => changes(a) - changes(b));
}

/** What is wrong with an IMEI, or null when it is 15 digits with a valid Luhn check digit. */
export type ImeiProblem =
  { kind: 'notFifteenDigits'; length: number } | { kind: 'checkDigitFails'; checkDigit: number; expectedCheckDigit: number };

export function checkImei(imei: string): ImeiProblem | null {
  if (!/^\d{15}$/.test(imei)) return { kind: 'notFifteenDigits', length: imei.length };
  if (luhnValid(imei)) return null;
  return {
    kind: 'checkDigitFails',
    checkDigit: Number(imei.slice(-1)),
    expectedCheckDigit: luhnCheckDigit(imei.slice(0, 14)),
  };
}

/** Reviewer-facing wording of an IMEI problem; `where` says whose IMEI it is ("on the form"). */
export function describeImeiProblem(imei: string, problem: ImeiProblem, where: string): string {
  return problem.kind === 'notFifteenDigits'
    ? `IMEI ${imei} ${where} is not an IMEI: an IMEI has 15 digits, this has ${problem.length} characters.`
    : `IMEI ${imei} ${where} fails the check digit: it ends in ${problem.checkDigit}, but its first 14 digits ` +
        `call for ${problem.expectedCheckDigit}. Likely a typo or an altered number.`;
}
