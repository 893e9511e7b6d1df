import { describe, expect, it } from 'vitest';
import { textLayerFromText } from '../../../src/domain/text-layer.js';
import { extract } from '../../../src/extract/extract.js';
import { renderChecks } from '../../../src/fraud/render-check.js';

const INVOICE = (date: string, serial: string) =>
  ['MediaMarkt E-Business GmbH', `Rechnungsdatum: ${date}`, 'Samsung Galaxy Tab S9 SM-X710', `Seriennummer: ${serial}`].join('\n');

/** What OCR of the rendered page gave, as a text layer. */
const seen = (text: string) => textLayerFromText([text], 'ocr');

function check(textLayer: string, rendered: string) {
  const fromText = extract(textLayerFromText([textLayer]));
  return renderChecks(fromText, seen(rendered), extract(seen(rendered)));
}

describe('a text-layer PDF against its rendered page', () => {
  it('finds every key value of an unedited invoice on the page, despite OCR reading a 0 as O in the serial', () => {
    const checks = check(INVOICE('06.05.2023', 'R5CT6073PQV'), INVOICE('06.05.2023', 'R5CT6O73PQV'));
    expect(checks.map((c) => [c.field, c.visible])).toEqual([
      ['purchaseDate', true],
      ['serial', true],
      ['model', true],
    ]);
  });

  it('reports a date the text layer holds but the page, patched over, shows otherwise', () => {
    const checks = check(INVOICE('06.05.2023', 'R5CT6073PQV'), INVOICE('06.05.2024', 'R5CT6073PQV'));
    expect(checks.find((c) => c.field === 'purchaseDate')).toEqual({ field: 'purchaseDate', textLayer: '06.05.2023', visible: false });
  });
});

describe('look-alike characters OCR confuses on a rendered page', () => {
  it('a serial read with T for 7 and O for 0 is still the serial the text layer holds', () => {
    const checks = check(INVOICE('03.01.2025', 'S7QCLNG0T27693W'), INVOICE('03.01.2025', 'STQCLNGOT27693W'));
    expect(checks.find((c) => c.field === 'serial')?.visible).toBe(true);
  });

  it('a model code whose slash OCR splits into I/ in a bold face is still the one the text layer holds; another code is not', () => {
    const line = (model: string) => `1 Samsung Waschtrockner WD5000T 8/5 kg ${model} 1 711,78`;
    const model = (textLayer: string, rendered: string) => check(line(textLayer), line(rendered)).find((c) => c.field === 'model');
    expect(model('WD80T534DBW/S2', 'WD80T534DBWI/S2')?.visible).toBe(true);
    expect(model('WD80T534DBW/S2', 'WD80T634DBW/S2')?.visible).toBe(false);
  });
});
