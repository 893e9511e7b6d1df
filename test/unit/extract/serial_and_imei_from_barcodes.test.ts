import { describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../src/domain/identifiers.js';
import { TextLayer, textLayerFromText, type Barcode } from '../../../src/domain/text-layer.js';
import { barcodeValues } from '../../../src/extract/barcode-identifiers.js';
import { extract } from '../../../src/extract/extract.js';

const imeiFrom = (first14: string) => `${first14}${luhnCheckDigit(first14)}`;
const IMEI = imeiFrom('35693803564380');
const SECOND_IMEI = imeiFrom('35693803564381');
const SERIAL = 'R5CX12ABCDE';

const barcode = (text: string, format = 'Code 128', box: Barcode['box'] = [100, 400, 500, 460]): Barcode => ({
  format,
  text,
  page: 1,
  box,
});
const values = (text: string) => barcodeValues(barcode(text)).map((v) => [v.field, v.value]);
const withBarcodes = (lines: string[], ...barcodes: Barcode[]) => extract({ ...textLayerFromText([lines.join('\n')], 'ocr'), barcodes });

describe('values in barcode payloads', () => {
  it('takes a bare serial or IMEI only when it validates', () => {
    expect(values(SERIAL)).toEqual([['serial', SERIAL]]);
    expect(values(IMEI)).toEqual([['imei', IMEI]]);
    // The IMEI with its check digit changed, and a code no serial grammar accepts.
    expect(values(`${IMEI.slice(0, 14)}${(Number(IMEI[14]) + 1) % 10}`)).toEqual([]);
    expect(values('X5CX12ABCDE')).toEqual([]);
    // An EAN-13 or an order number is no serial.
    expect(values('8806095485923')).toEqual([]);
  });

  it('reads the serial from AI (21) of a GS1 element string, and nothing from the GTIN', () => {
    expect(values(`(01)08806095485923(21)${SERIAL}`)).toEqual([['serial', SERIAL]]);
    expect(values(`(01)08806095485923(21)NOT-A-SERIAL`)).toEqual([]);
    expect(values('(01)08806095485923')).toEqual([]);
  });

  it('reads keyed fields of a label QR code, several IMEIs in order', () => {
    expect(values(`MODEL:SM-S921B/DS;SN:${SERIAL};IMEI1:${IMEI};IMEI2:${SECOND_IMEI}`)).toEqual([
      ['model', 'SM-S921B/DS'],
      ['serial', SERIAL],
      ['imei', IMEI],
      ['imei', SECOND_IMEI],
    ]);
    expect(values(`IMEI: ${IMEI}`)).toEqual([['imei', IMEI]]);
    expect(values(`S/N ${SERIAL}\nIMEI ${IMEI}`)).toEqual([
      ['serial', SERIAL],
      ['imei', IMEI],
    ]);
  });

  it('takes no unlabelled number from a payload of several fields: a receipt QR code holds numbers of its own', () => {
    expect(values(`Galaxy S24 ${IMEI} ${SERIAL}`)).toEqual([]);
    expect(values(`V0;955002-00;Kassenbeleg-V1;Beleg^75.33_0.00^75.33:Bar;${IMEI};2025-03-01T10:00:00.000Z`)).toEqual([]);
  });

  it('takes a bare code as a serial only in a shape with structure, not as any 15 letters and digits', () => {
    expect(values('0TQ43HCT900517W')).toEqual([['serial', '0TQ43HCT900517W']]);
    expect(values('A1B2C3D4E5F6G7H')).toEqual([]);
    expect(values('SN: A1B2C3D4E5F6G7H')).toEqual([['serial', 'A1B2C3D4E5F6G7H']]);
  });
});

describe('extraction preferring decoded barcodes', () => {
  it('takes the serial and IMEI from the barcodes, saying so, boxed where the barcode is', () => {
    const x = withBarcodes(['SAMSUNG', 'S/N: R5CXI2ABCDE'], barcode(SERIAL), barcode(`IMEI:${IMEI}`, 'QR code', [600, 50, 800, 250]));
    expect(x.serial).toEqual({
      value: SERIAL,
      confidence: 0.99,
      source: `Code 128 barcode: ${SERIAL} (printed text reads R5CXI2ABCDE, not a valid serial)`,
      location: { page: 1, box: [100, 400, 500, 460] },
      via: 'barcode',
    });
    expect(x.imei).toMatchObject({
      value: IMEI,
      via: 'barcode',
      source: `QR code barcode: ${IMEI}`,
      location: { page: 1, box: [600, 50, 800, 250] },
    });
  });

  it('keeps the barcode value when the printed text reads another valid serial, and shows the reviewer both', () => {
    const x = withBarcodes([`S/N: R5CX12ABCDF`], barcode(`(01)08806095485923(21)${SERIAL}`, 'DataMatrix'));
    expect(x.serial.value).toBe(SERIAL);
    expect(x.serial.via).toBe('barcode');
    expect(x.serial.source).toBe(`DataMatrix barcode: ${SERIAL} (printed text reads R5CX12ABCDF)`);
    expect(x.serial.confidence).toBeLessThan(0.99);
  });

  it("does not use a bare barcode number far from a valid printed one: nothing says that code is the device's", () => {
    const printed = [`IMEI: ${SECOND_IMEI}`];
    const elsewhere = imeiFrom('35124599871203');
    expect(withBarcodes(printed, barcode(elsewhere)).imei).toMatchObject({ value: SECOND_IMEI, source: SECOND_IMEI });
    expect(withBarcodes(printed, barcode(SECOND_IMEI)).imei).toMatchObject({ value: SECOND_IMEI, via: 'barcode' });
    expect(withBarcodes(printed, barcode(`IMEI:${elsewhere}`)).imei).toMatchObject({ value: elsewhere, via: 'barcode', confidence: 0.9 });
  });

  it('takes a bare barcode serial over a printed one OCR misread into another valid serial', () => {
    // R5JW2GRJ38J fits the serial grammar too: OCR read the 9 as 8.
    const x = withBarcodes(['S/N: R5JW2GRJ38J'], barcode('R5JW2GRJ39J'));
    expect(x.serial).toMatchObject({ value: 'R5JW2GRJ39J', via: 'barcode', confidence: 0.9 });
    expect(x.serial.source).toBe('Code 128 barcode: R5JW2GRJ39J (printed text reads R5JW2GRJ38J)');
  });

  it('names the other IMEI of a dual-SIM label in the evidence', () => {
    const x = withBarcodes([], barcode(`IMEI1:${IMEI};IMEI2:${SECOND_IMEI}`, 'QR code'));
    expect(x.imei.value).toBe(IMEI);
    expect(x.imei.source).toBe(`QR code barcode: ${IMEI} (other imei numbers on the barcodes: ${SECOND_IMEI})`);
  });

  it('takes a model code from a label barcode when the model grammar accepts it', () => {
    expect(withBarcodes([], barcode('MODEL:SM-S921B/DS', 'QR code')).model).toMatchObject({ value: 'SM-S921B/DS', via: 'barcode' });
    expect(withBarcodes(['Model: SM-S921B/DS'], barcode('MODEL:XYZ-1', 'QR code')).model.via).toBeUndefined();
  });

  it('reads a receipt without barcodes as before, and a stored text layer without barcodes stays valid', () => {
    const lines = [`S/N: ${SERIAL}`, `IMEI: ${IMEI}`];
    const before = extract(textLayerFromText([lines.join('\n')], 'ocr'));
    expect(withBarcodes(lines)).toEqual(before);
    expect(before.serial.via).toBeUndefined();
    expect(TextLayer.safeParse(textLayerFromText(['S/N: R5CX12ABCDE'])).success).toBe(true);
  });

  it('drops the "label without a readable number" fact when a barcode gives the number', () => {
    expect(withBarcodes(['Seriennummer:']).facts.unreadIdentifiers).toHaveLength(1);
    expect(withBarcodes(['Seriennummer:'], barcode(SERIAL)).facts.unreadIdentifiers).toBeUndefined();
  });
});
