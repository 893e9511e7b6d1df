import type { Flag, FlagCode } from '../domain/flags.js';
import { FLAG_SEVERITY } from '../domain/flags.js';
import type { FlagView } from '../domain/review.js';
import type { Box, TextLayer } from '../domain/text-layer.js';
import { dateRoleName } from '../fraud/tamper-signals.js';
import { alignCharacters, comparableModel, compactCode, type AlignedCharacter } from '../domain/identifiers.js';

/**
 * A flag with what a reviewer needs to judge it (the workbench's FlagView), its place on the receipt
 * still on the normalised page the OCR read, not yet mapped onto the page as shown.
 */
export type ExplainedFlag = Omit<FlagView, 'highlight' | 'earlierClaim'> & {
  /** Where on the receipt the evidence is, when it is on the receipt; on the normalised page until mapped. */
  location: { page: number; box: Box } | null;
};

export const FLAG_TITLES: Record<FlagCode, string> = {
  MISSING_PURCHASE_DATE: 'No purchase date on the receipt',
  MISSING_RETAILER: 'No retailer on the receipt',
  MISSING_MODEL: 'No model on the receipt',
  MISSING_SERIAL: 'No serial number or IMEI on the receipt',
  SERIAL_MISMATCH: 'Serial/IMEI differs between form and receipt',
  MODEL_MISMATCH: 'Model differs between form and receipt',
  DATE_MISMATCH: 'Purchase date differs between form and receipt',
  INVALID_IMEI: 'IMEI fails its check digit',
  INVALID_SERIAL_FORMAT: 'Serial number has the wrong length',
  DUPLICATE_RECEIPT: 'Receipt already used for another claim',
  DUPLICATE_SERIAL: 'Product already claimed',
  POSSIBLE_TAMPERING: 'Possible tampering',
  LOW_CONFIDENCE: 'Read with low confidence',
  FUTURE_DATE: 'Purchase date after the claim date',
  WARRANTY_EXPIRED: 'Warranty period over',
  REGION_NOT_COVERED: 'Region not covered',
  PRODUCT_NOT_COVERED: 'Product not covered',
  UNKNOWN_PRODUCT: 'Unknown product',
  UNSUPPORTED_FILE: 'Unsupported file',
  FILE_TOO_LARGE: 'File too large',
  UNREADABLE_DOCUMENT: 'Unreadable document',
  INVALID_FORM_DATA: 'Invalid claim form',
  FORM_NORMALISED: 'Form value corrected (O/0, S/5)',
  CHECK_UNAVAILABLE: 'A required check could not run',
  PROCESSING_FAILED: 'Could not be processed automatically',
  SERIAL_RECONCILED: 'Receipt serial read with look-alikes, matched to the form',
  CUSTOMER_NO_RESPONSE: 'Closed: the customer did not answer in time',
  DOCUMENTS_DISAGREE: "The claim's documents disagree",
  SHARPER_PHOTO_NEEDED: 'Print too small in the photo: a sharper photo is needed',
};

const str = (v: unknown) =>
  v === null || v === undefined ? '–' : typeof v === 'object' ? JSON.stringify(v) : `${v as string | number | boolean}`;

/** A flag with what a reviewer needs to judge it: where to look, and what the evidence means. */
export function explainFlag(flag: Flag, text: TextLayer | null): ExplainedFlag {
  const e = flag.evidence;
  const base: ExplainedFlag = {
    code: flag.code,
    severity: FLAG_SEVERITY[flag.code],
    title: FLAG_TITLES[flag.code],
    message: flag.message,
    details: [],
    evidence: e,
    location: null,
    earlierClaimId: null,
    imei: null,
    mismatch: null,
  };
  switch (flag.code) {
    case 'DUPLICATE_RECEIPT':
      base.earlierClaimId = typeof e.earlierClaimId === 'string' ? e.earlierClaimId : null;
      base.details.push(
        e.match === 'receipt_hash'
          ? `The very same file was uploaded for claim ${str(e.earlierRequestNumber)}.`
          : e.confirmedBy === 'unconfirmed'
            ? `A receipt from the same shop and day backs claim ${str(e.earlierRequestNumber)}, and the numbers are read too poorly to tell whether it is the same slip: compare the two receipts side by side.`
            : `A different file showing the same retailer, date, model and serial backs claim ${str(e.earlierRequestNumber)}: compare the two receipts side by side.`,
      );
      break;
    case 'DUPLICATE_SERIAL':
      base.earlierClaimId = typeof e.earlierClaimId === 'string' ? e.earlierClaimId : null;
      base.details.push(
        `Serial/IMEI ${str(e.serial)} was claimed before in ${str(e.earlierRequestNumber)}. One device claimed twice needs a reason (a repair that failed again, a resale).`,
      );
      break;
    case 'POSSIBLE_TAMPERING':
      base.details.push(...tamperDetails(e));
      if (e.signal === 'contradicting_dates' && typeof e.source === 'string') base.location = locateText(text, e.source);
      break;
    case 'INVALID_IMEI':
      if (typeof e.imei === 'string' && typeof e.checkDigit === 'number' && typeof e.expectedCheckDigit === 'number') {
        base.imei = { digits: e.imei, checkDigit: e.checkDigit, expectedCheckDigit: e.expectedCheckDigit };
        base.details.push(
          `The last digit (${e.checkDigit}) should be ${e.expectedCheckDigit} for the 14 digits before it: a typo, a misread digit, or an altered number.`,
        );
      }
      break;
    case 'SERIAL_MISMATCH':
    case 'MODEL_MISMATCH':
    case 'DATE_MISMATCH':
      if (flag.code !== 'DATE_MISMATCH') base.mismatch = mismatchOf(flag.code, e);
      base.details.push('Compare the highlighted text on the receipt with the form; if the machine misread it, correct the receipt value.');
      break;
    case 'LOW_CONFIDENCE':
      base.details.push('Check the highlighted text on the receipt and correct the value if it was misread.');
      break;
    case 'CHECK_UNAVAILABLE':
      base.details.push(
        'The machine could not look at this receipt the way the policy asks, so nothing it found (or did not find) speaks for the receipt. Look at the receipt yourself for what the check looks at: altered dates, numbers or models.',
      );
      break;
    case 'DOCUMENTS_DISAGREE':
      base.details.push(
        'Each document shows its own value (listed with the text it was read from): decide which is right, or ask the customer which one belongs to the claim.',
      );
      break;
    case 'SHARPER_PHOTO_NEEDED':
      base.details.push(
        `The picture gives each letter only ${str(e.coreHeight)} px (the OCR needs ${str(e.threshold)}), so ${Array.isArray(e.fields) ? e.fields.join(', ') : 'some fields'} could not be read surely: read them on the receipt if you can, else ask the customer for a sharper photo (pre-ticked in the request).`,
      );
      break;
    case 'PROCESSING_FAILED':
      base.details.push('Nothing was read from the receipt: read it and enter the fields, or ask the customer for another copy.');
      break;
    default:
      // The flag's own message says all there is to say.
      break;
  }
  // Evidence found at a place on the receipt (a field's pixels, a date, a number that could not be
  // read) names its page and box, or its location.
  base.location ??= evidencePlace(e) ?? evidencePlace(e.location);
  return base;
}

function evidencePlace(place: unknown): ExplainedFlag['location'] {
  if (typeof place !== 'object' || place === null) return null;
  const { page, box } = place as { page?: unknown; box?: unknown };
  if (typeof page !== 'number' || !Array.isArray(box) || box.length !== 4 || !box.every((n) => typeof n === 'number')) return null;
  return { page, box: box as Box };
}

/**
 * The form's and the receipt's value of a mismatch lined up character by character, as they are
 * compared (upper case, no separators); of several receipt numbers, the one closest to the form's.
 */
function mismatchOf(code: 'SERIAL_MISMATCH' | 'MODEL_MISMATCH', e: Record<string, unknown>): FlagView['mismatch'] {
  const value = (v: unknown) =>
    typeof v === 'string' ? v : typeof (v as { value?: unknown })?.value === 'string' ? (v as { value: string }).value : null;
  const form = value(e.form);
  const receipts = (Array.isArray(e.receipt) ? e.receipt : [e.receipt]).map(value).filter((v): v is string => v !== null);
  if (form === null || receipts.length === 0) return null;
  const normal = code === 'MODEL_MISMATCH' ? comparableModel : compactCode;
  const field = code === 'MODEL_MISMATCH' ? 'model' : (e.form as { kind?: unknown }).kind === 'imei' ? 'imei' : 'serial';
  const differing = (characters: AlignedCharacter[]) => characters.filter((c) => c.form !== c.receipt).length;
  const [closest] = receipts
    .map((receipt) => ({ receipt: normal(receipt), characters: alignCharacters(normal(form), normal(receipt)) }))
    .sort((a, b) => differing(a.characters) - differing(b.characters));
  return { field, form: normal(form), ...closest! };
}

function tamperDetails(e: Record<string, unknown>): string[] {
  switch (e.signal) {
    case 'editor_software':
      return [
        `The file says it was saved by ${str(e.software)}. Till slips, scanners and phone cameras do not pass through an editor: look for retouched figures, mismatched fonts or blurred patches.`,
      ];
    case 'pdf_modified_after_creation':
      return [`Created ${str(e.created).slice(0, 10)}, modified ${str(e.modified).slice(0, 10)}: the PDF was changed after it was made.`];
    case 'pdf_incremental_update':
      return [`The PDF carries ${str(e.updates)} incremental update(s): content was added or changed after its first save.`];
    case 'contradicting_dates': {
      const days = Number(e.days);
      const when = `${Math.abs(days)} days ${days < 0 ? 'before' : 'after'}`;
      return [
        `The ${dateRoleName(str(e.role))} date ${str(e.date)} printed on the receipt (highlighted) is ${when} the purchase date ${str(e.purchaseDate)}. An edited purchase date often leaves the receipt's other dates behind.`,
      ];
    }
    default:
      return [];
  }
}

/** The first line on the receipt holding `text`: where a piece of evidence was read. */
export function locateText(text: TextLayer | null, wanted: string): { page: number; box: Box } | null {
  const needle = wanted.toLowerCase().replace(/\s+/g, ' ').trim();
  if (!text || !needle) return null;
  for (const page of text.pages) {
    for (const line of page.lines) {
      if (line.box && line.text.toLowerCase().replace(/\s+/g, ' ').includes(needle)) return { page: page.number, box: line.box };
    }
  }
  return null;
}
