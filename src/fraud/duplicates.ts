import type { Extraction } from '../domain/extraction.js';
import type { NormalisedForm } from '../domain/assessment.js';
import { flag, type Flag } from '../domain/flags.js';
import { comparableModel, comparableSerial } from '../domain/identifiers.js';
import type { ClaimIdentifier, EarlierClaim } from '../domain/fraud.js';

/**
 * What identifies a claim for duplicate checks: its serials/IMEIs (form and receipt, compared after
 * O/0 and S/5 normalisation), the receipt's bytes, and the receipt's content (so a re-photographed
 * or re-saved copy of the same receipt is recognised).
 */
export function claimIdentifiers(documentHash: string | null, form: NormalisedForm, extraction: Extraction | null): ClaimIdentifier[] {
  const ids = new Map<string, ClaimIdentifier>();
  const add = (kind: ClaimIdentifier['kind'], value: string) => ids.set(`${kind}:${value}`, { kind, value });
  if (documentHash) add('receipt_hash', documentHash);
  const serials = [form.serial, form.imei, extraction?.serial.value, extraction?.imei.value];
  for (const s of serials) if (s) add('serial', comparableSerial(s));
  const contentKey = extraction && receiptContentKey(extraction);
  if (contentKey) add('receipt_content', contentKey);
  return [...ids.values()];
}

/**
 * Retailer + purchase date + model + (serial or IMEI, when printed): two different purchases
 * rarely agree on all of them. Without a date, retailer and model the key is too weak to use.
 */
function receiptContentKey(extraction: Extraction): string | null {
  const { retailer, purchaseDate, model, serial, imei } = extraction;
  if (!retailer.value || !purchaseDate.value || !model.value) return null;
  const unit = serial.value ?? imei.value;
  return [retailer.value.toUpperCase(), purchaseDate.value, comparableModel(model.value), unit ? comparableSerial(unit) : '-'].join('|');
}

export function duplicateFlags(earlier: EarlierClaim[]): Flag[] {
  const flags: Flag[] = [];
  const receipt = earlier.find((e) => e.kind === 'receipt_hash') ?? earlier.find((e) => e.kind === 'receipt_content');
  if (receipt) {
    const how = receipt.kind === 'receipt_hash' ? 'the same file' : 'a copy of the same receipt';
    flags.push(
      flag('DUPLICATE_RECEIPT', `This receipt (${how}) already backs claim ${receipt.claimId} (request ${receipt.requestNumber}).`, {
        earlierClaimId: receipt.claimId,
        earlierRequestNumber: receipt.requestNumber,
        earlierFile: receipt.file,
        match: receipt.kind,
      }),
    );
  }
  const serial = earlier.find((e) => e.kind === 'serial');
  // A re-used receipt repeats its serial too; one flag says it better than two.
  if (serial && serial.claimId !== receipt?.claimId) {
    flags.push(
      flag(
        'DUPLICATE_SERIAL',
        `Serial/IMEI ${serial.value} was already claimed in claim ${serial.claimId} (request ${serial.requestNumber}).`,
        {
          earlierClaimId: serial.claimId,
          earlierRequestNumber: serial.requestNumber,
          serial: serial.value,
        },
      ),
    );
  }
  return flags;
}
