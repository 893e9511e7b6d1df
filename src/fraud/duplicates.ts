import type { Extraction } from '../domain/extraction.js';
import type { NormalisedForm } from '../domain/assessment.js';
import { flag, type Flag } from '../domain/flags.js';
import { comparableModel, comparableSerial } from '../domain/identifiers.js';
import type { ClaimIdentifier, DocumentEvidence, EarlierClaim } from '../domain/fraud.js';

/**
 * What identifies a claim for duplicate checks: its serials/IMEIs (form and every document, compared
 * after O/0 and S/5 normalisation), each document's bytes, and each document's content (so a
 * re-photographed or re-saved copy of the same receipt is recognised). `extractions`: the claim's
 * merged extraction and each document's, for a claim with several.
 */
export function claimIdentifiers(documentHashes: string[], form: NormalisedForm, extractions: Array<Extraction | null>): ClaimIdentifier[] {
  const ids = new Map<string, ClaimIdentifier>();
  const add = (kind: ClaimIdentifier['kind'], value: string) => ids.set(`${kind}:${value}`, { kind, value });
  for (const hash of documentHashes) add('receipt_hash', hash);
  const read = extractions.filter((e): e is Extraction => e !== null);
  const serials = [form.serial, form.imei, ...read.flatMap((e) => [e.serial.value, e.imei.value])];
  for (const s of serials) if (s) add('serial', comparableSerial(s));
  for (const e of read) {
    const contentKey = receiptContentKey(e);
    if (contentKey) add('receipt_content', contentKey);
  }
  return [...ids.values()];
}

/** A claim's identifiers from its documents: each one's bytes and reading, and what they show together. */
export function documentIdentifiers(documents: DocumentEvidence[], form: NormalisedForm, merged: Extraction | null): ClaimIdentifier[] {
  return claimIdentifiers(
    documents.map((d) => d.doc.sha256),
    form,
    [merged, ...(documents.length > 1 ? documents.map((d) => d.extraction) : [])],
  );
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
