import type { Extraction } from '../domain/extraction.js';
import { flag, type Flag } from '../domain/flags.js';
import type { DocumentMetadata } from '../intake/document-metadata.js';
import type { Policy } from '../policy/policy-schema.js';

/** Software that edits images or PDFs; a receipt saved by one of these has been opened in an editor. */
const EDITOR_SOFTWARE = [
  /photoshop/i,
  /gimp/i,
  /lightroom/i,
  /affinity/i,
  /pixelmator/i,
  /paint\.net/i,
  /snapseed/i,
  /picsart/i,
  /canva/i,
  /photopea/i,
  /krita/i,
  /corel/i,
  /fotor/i,
  /acrobat(?! ?(reader|distiller))/i,
  /ilovepdf/i,
  /smallpdf/i,
  /sejda/i,
  /pdfescape/i,
  /pdf-xchange editor/i,
  /foxit phantom/i,
  /foxit pdf editor/i,
  /nitro/i,
  /pdfelement/i,
  /pdffiller/i,
  /libreoffice draw/i,
];

const DAY_MS = 86_400_000;
/** A PDF may be re-saved the same day by its generator; later edits are suspicious. */
const PDF_EDIT_GRACE_MS = DAY_MS;

/** Signals that the file itself was edited after it was made. */
export function metadataSignals(metadata: DocumentMetadata, type: 'pdf' | 'jpeg' | 'png'): Flag[] {
  const flags: Flag[] = [];
  const editor = metadata.software && EDITOR_SOFTWARE.find((re) => re.test(metadata.software!));
  if (editor) {
    flags.push(
      flag('POSSIBLE_TAMPERING', `The file was saved by editing software (${metadata.software}).`, {
        signal: 'editor_software',
        software: metadata.software,
      }),
    );
  }
  if (type === 'pdf') {
    const created = metadata.created ? Date.parse(metadata.created) : NaN;
    const modified = metadata.modified ? Date.parse(metadata.modified) : NaN;
    if (modified - created > PDF_EDIT_GRACE_MS) {
      flags.push(
        flag(
          'POSSIBLE_TAMPERING',
          `The PDF was modified on ${metadata.modified!.slice(0, 10)}, after it was created on ${metadata.created!.slice(0, 10)}.`,
          {
            signal: 'pdf_modified_after_creation',
            created: metadata.created,
            modified: metadata.modified,
          },
        ),
      );
    }
    if (metadata.incrementalUpdates > 0) {
      flags.push(
        flag(
          'POSSIBLE_TAMPERING',
          `The PDF was changed ${metadata.incrementalUpdates} time(s) after it was first saved (incremental updates).`,
          {
            signal: 'pdf_incremental_update',
            updates: metadata.incrementalUpdates,
          },
        ),
      );
    }
  }
  return flags;
}

/** A date role in words: the role names a date by its label (a second purchase-type date is an order or invoice date). */
export function dateRoleName(role: string): string {
  return role === 'purchase' ? 'order/invoice' : role.replace('_', '-');
}

/**
 * Dates on one receipt that contradict each other: a purchase date edited alone leaves the
 * receipt's other dates behind. How far each may lie from the purchase date is the policy's.
 */
export function dateConsistencySignals(extraction: Extraction, rule: Policy['checks']['receiptDates']): Flag[] {
  const purchase = extraction.purchaseDate.value;
  if (!purchase) return [];
  const flags: Flag[] = [];
  for (const other of extraction.facts.otherDates) {
    const window = rule.windows[other.role as keyof typeof rule.windows];
    if (!window) continue;
    const days = Math.round((Date.parse(other.value) - Date.parse(purchase)) / DAY_MS);
    if (Number.isNaN(days) || (days >= window[0] && days <= window[1])) continue;
    flags.push(
      flag(
        'POSSIBLE_TAMPERING',
        `The receipt's ${dateRoleName(other.role)} date ${other.value} does not fit its purchase date ${purchase} (${days} days apart).`,
        {
          signal: 'contradicting_dates',
          rule: rule.id,
          role: other.role,
          date: other.value,
          purchaseDate: purchase,
          days,
          window,
          source: other.source,
        },
      ),
    );
  }
  return flags;
}
