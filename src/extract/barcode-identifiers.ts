/**
 * Serial, IMEI and model code from the barcodes of a device label or box. Payloads come bare (the
 * Code 128 of a serial), as GS1 element strings ("(01)08806095485923(21)R5CX12ABCDE": AI 21 is the
 * serial), or as several keyed fields ("MODEL:SM-S921B/DS;SN:R5CX12ABCDE;IMEI1:35…", "IMEI 35…").
 * A value is taken only when it validates (an IMEI's Luhn digit, a serial or model code the
 * product-code grammar accepts): a barcode's error detection says the symbol was read as printed,
 * not that its text is the number asked for, so nothing is guessed. Receipts carry barcodes too
 * (receipt and order numbers, the German TSE's QR code): an unlabelled number inside a payload of
 * several fields is never taken, and a bare one only in a serial shape with structure (year and
 * month letters) or as a Luhn-valid IMEI.
 */
import type { Field } from '../domain/extraction.js';
import { compactCode, comparableModel, comparableSerial, luhnValid } from '../domain/identifiers.js';
import type { Barcode } from '../domain/text-layer.js';
import { productCodeGrammar } from '../policy/product-codes.js';
import { editDistance } from './fuzzy.js';

const grammar = productCodeGrammar();

export type BarcodeField = 'serial' | 'imei' | 'model';

/** A validated value from one barcode. */
export interface BarcodeValue {
  field: BarcodeField;
  value: string;
  barcode: Barcode;
  /** Taken from a labelled part of the payload (AI 21, "SN:", "IMEI1:"), rather than the bare payload. */
  keyed: boolean;
}

/** A labelled field of a label payload: "SN:", "S/N", "Serial No.", "IMEI1=", "IMEI 2", "Model code:" and its value. */
const KEYED_FIELD =
  /^\s*(serial(?:\s*(?:no|nr|number))?\.?|s\s*\/\s*n|sn|imei\s*[12]?(?:\s*no\.?)?|model(?:\s*(?:no|code))?\.?)\s*[:=#]?\s*([A-Za-z0-9][A-Za-z0-9/ -]*?)\s*$/i;

const fieldOfKey = (key: string): BarcodeField => (/^i/i.test(key) ? 'imei' : /^m/i.test(key) ? 'model' : 'serial');

/** GS1 application identifier of a serial number. */
const GS1_SERIAL = '21';

const isImei = (code: string) => /^\d{15}$/.test(code) && luhnValid(code);
/** A bare code is a serial only in a shape with structure (the storage shape takes any 15 letters and digits). */
const isBareSerial = (code: string) => grammar.fitsSomeSerial(code, true);
const isModel = (code: string) => grammar.familyOf(code) !== null;

function validated(field: BarcodeField, raw: string): string | null {
  const code = field === 'model' ? raw.trim().toUpperCase() : compactCode(raw);
  if (field === 'imei') return isImei(code) ? code : null;
  if (field === 'serial') return grammar.fitsSomeSerial(code) ? code : null;
  return isModel(code) ? code : null;
}

/** Every value a barcode's payload gives, in payload order. */
export function barcodeValues(barcode: Barcode): BarcodeValue[] {
  const text = barcode.text.trim();
  const out: BarcodeValue[] = [];
  const add = (field: BarcodeField, raw: string, keyed: boolean) => {
    const value = validated(field, raw);
    if (value) out.push({ field, value, barcode, keyed });
  };

  const elements = [...text.matchAll(/\((\d{2,4})\)([^(]*)/g)];
  if (elements.length > 0 && text.startsWith('(')) {
    for (const [, ai, value] of elements) if (ai === GS1_SERIAL) add('serial', value!, true);
    return out;
  }

  const bare = compactCode(text);
  if (isImei(bare)) return [{ field: 'imei', value: bare, barcode, keyed: false }];
  if (isBareSerial(bare)) return [{ field: 'serial', value: bare, barcode, keyed: false }];
  if (isModel(text.toUpperCase())) return [{ field: 'model', value: text.toUpperCase(), barcode, keyed: false }];

  // Several fields: "KEY: value" (or "KEY=value", "KEY value") parts split by ; , | or line breaks.
  for (const part of text.split(/[;,|\r\n]+/)) {
    const keyed = KEYED_FIELD.exec(part);
    if (keyed) add(fieldOfKey(keyed[1]!), keyed[2]!, true);
  }
  return out;
}

/** The value of each field the document's barcodes give: a labelled value before a bare one, then the first. */
export function barcodeFields(barcodes: readonly Barcode[]): Partial<Record<BarcodeField, BarcodeValue[]>> {
  const all = barcodes.flatMap(barcodeValues);
  const byField: Partial<Record<BarcodeField, BarcodeValue[]>> = {};
  for (const field of ['serial', 'imei', 'model'] as const) {
    const values = all.filter((v) => v.field === field).sort((a, b) => Number(b.keyed) - Number(a.keyed));
    if (values.length > 0) byField[field] = values;
  }
  return byField;
}

const comparable = (field: BarcodeField, value: string) => (field === 'model' ? comparableModel(value) : comparableSerial(value));

/**
 * The field as the barcode gives it, in place of the OCR reading. A labelled barcode value wins
 * (its symbology checks what was decoded), but where the text printed on the same document reads
 * as another valid value, the source says so: a reviewer sees both, and the field is reported less
 * surely. A bare barcode value far from a valid printed one (more than two characters apart, so
 * not OCR's misreading of it) is not used: nothing says that code is the device's, and a receipt's
 * own number may have the shape.
 */
export function preferBarcode(field: BarcodeField, ocr: Field, values: readonly BarcodeValue[]): Field {
  const printedValue = ocr.value !== null && validated(field, ocr.value) !== null ? ocr.value : null;
  const usable = values.filter(
    (v) => v.keyed || printedValue === null || editDistance(comparable(field, printedValue), comparable(field, v.value), 3) <= 2,
  );
  const [chosen, ...others] = usable;
  if (!chosen) return ocr;
  const { value, barcode } = chosen;
  const otherValues = [...new Set(others.map((o) => o.value).filter((v) => comparable(field, v) !== comparable(field, value)))];
  const printed = ocr.value !== null && comparable(field, ocr.value) !== comparable(field, value) ? ocr.value : null;
  const printedValid = printed !== null && printed === printedValue;
  const notes = [
    ...(printed ? [`printed text reads ${printed}${printedValid ? '' : ', not a valid ' + field}`] : []),
    ...(otherValues.length > 0
      ? [`other ${field} ${field === 'imei' ? 'numbers' : 'values'} on the barcodes: ${otherValues.join(', ')}`]
      : []),
  ];
  return {
    value,
    confidence: printedValid ? 0.9 : 0.99,
    source: `${barcode.format} barcode: ${value}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`,
    location: { page: barcode.page, box: barcode.box },
    via: 'barcode',
  };
}
