import { FIELD_NAMES, type Extraction, type Field, type FieldName } from '../domain/extraction.js';
import { comparableModel, comparableSerial } from '../domain/identifiers.js';

/** One document's extraction, by its place among the claim's documents (0 = the first upload). */
export interface DocumentExtraction {
  document: number;
  extraction: Extraction;
}

/** The fields two documents can contradict each other on: what identifies the purchase and the unit. */
export const AGREEING_FIELDS = ['purchaseDate', 'serial', 'imei', 'model'] as const satisfies readonly FieldName[];
export type AgreeingField = (typeof AGREEING_FIELDS)[number];

/** Documents that show different values of one field: every document's value, with its source. */
export interface Disagreement {
  field: AgreeingField;
  values: Array<{ document: number; value: string; source: string | null; location: Field['location'] | null; via?: string }>;
}

export interface MergedEvidence {
  /** One extraction for the claim: each field from the document that shows it best, saying which. */
  extraction: Extraction;
  /** Fields the documents disagree on; empty when every document that shows a field shows the same value. */
  disagreements: Disagreement[];
}

/** How two readings of a field are compared: as the consistency checks compare form and receipt. */
const COMPARABLE: Record<AgreeingField, (value: string) => string> = {
  purchaseDate: (value) => value,
  serial: comparableSerial,
  imei: comparableSerial,
  model: comparableModel,
};

/**
 * The evidence of a claim's documents as one extraction. Per field, a value decoded from a barcode
 * beats one read by OCR, then the surer reading wins, then the earlier document; the field names its
 * document. A document without the field does not count against the others; two documents showing
 * different values of a key field are a disagreement, returned with every value: the merge picks
 * one for the result's field but never hides that there was a choice. A claim with one document
 * keeps its extraction as read (no `document` on its fields: all are from document 0).
 */
export function mergeDocuments(readings: DocumentExtraction[]): MergedEvidence {
  if (readings.length === 0) throw new Error('mergeDocuments needs at least one document');
  const ordered = [...readings].sort((a, b) => a.document - b.document);
  const first = ordered[0]!;
  // One document: every value is from it, and the claim's result stays what it always was.
  if (ordered.length === 1) return { extraction: first.extraction, disagreements: [] };
  const fields = Object.fromEntries(FIELD_NAMES.map((name) => [name, bestField(ordered, name) ?? first.extraction[name]])) as Record<
    FieldName,
    Field
  >;
  // Serial look-alikes are reconciled only on OCR text: the text source that matters is the serial's document's.
  const serialDocument = ordered.find((r) => r.document === fields.serial.document) ?? first;
  const unread = ordered.flatMap((r) => r.extraction.facts.unreadIdentifiers ?? []);
  const extraction: Extraction = {
    ...fields,
    facts: {
      extendedWarranty: ordered.some((r) => r.extraction.facts.extendedWarranty),
      otherDates: uniqueDates(ordered.flatMap((r) => r.extraction.facts.otherDates)),
      ...(serialDocument.extraction.facts.textSource && { textSource: serialDocument.extraction.facts.textSource }),
      ...(ordered.some((r) => r.extraction.facts.unreadIdentifiers) && { unreadIdentifiers: unread }),
      ...largestPrint(ordered),
    },
  };
  return { extraction, disagreements: AGREEING_FIELDS.flatMap((field) => disagreementOn(ordered, field)) };
}

/**
 * The largest print of all the documents: when a customer has sent a sharper photo as a further
 * document, a field still missing is not for want of resolution.
 */
function largestPrint(readings: DocumentExtraction[]): Pick<Extraction['facts'], 'textSize'> {
  const sizes = readings.flatMap((r) => (r.extraction.facts.textSize ? [r.extraction.facts.textSize] : []));
  return sizes.length === 0 ? {} : { textSize: sizes.reduce((a, b) => (b.xHeight > a.xHeight ? b : a)) };
}

function bestField(readings: DocumentExtraction[], name: FieldName): Field | null {
  const candidates = readings
    .filter((r) => r.extraction[name].value !== null)
    .map((r) => ({ ...r.extraction[name], document: r.document }));
  const rank = (f: Field) => [f.via === 'barcode' ? 1 : 0, f.confidence];
  candidates.sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return rb[0]! - ra[0]! || rb[1]! - ra[1]! || a.document - b.document;
  });
  return candidates[0] ?? null;
}

function disagreementOn(readings: DocumentExtraction[], field: AgreeingField): Disagreement[] {
  const values = readings
    .filter((r) => r.extraction[field].value !== null)
    .map((r) => {
      const f = r.extraction[field];
      return { document: r.document, value: f.value!, source: f.source, location: f.location ?? null, ...(f.via && { via: f.via }) };
    });
  const distinct = new Set(values.map((v) => COMPARABLE[field](v.value)));
  return distinct.size > 1 ? [{ field, values }] : [];
}

function uniqueDates(dates: Extraction['facts']['otherDates']): Extraction['facts']['otherDates'] {
  const seen = new Set<string>();
  return dates.filter((d) => {
    const key = `${d.value}|${d.role}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
