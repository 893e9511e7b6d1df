import { describe, expect, it } from 'vitest';
import { textLayerFromText } from '../../../src/domain/text-layer.js';
import { extract } from '../../../src/extract/extract.js';

const model = (...lines: string[]) => extract(textLayerFromText([lines.join('\n')])).model;

describe('model code', () => {
  it('takes the code after the model label, not the marketing name or article number', () => {
    const field = model('Pos. Art.-Nr. Bezeichnung', '1 4418203 Samsung Galaxy S24 128GB Onyx Black', 'Modell: SM-S921B/DS');
    expect(field.value).toBe('SM-S921B/DS');
    expect(field.confidence).toBeGreaterThan(0.9);
  });

  it('recognises each product family with its suffix as printed', () => {
    expect(model('QE55Q80CATXZG').value).toBe('QE55Q80CATXZG');
    expect(model('Model: HW-Q800C/ZG').value).toBe('HW-Q800C/ZG');
    expect(model('LC27G55TQBUXEN').value).toBe('LC27G55TQBUXEN');
    expect(model('Modell: NP750XGK-KG3DE').value).toBe('NP750XGK-KG3DE');
    expect(model('Modell: MZ-77E1T0B/EU').value).toBe('MZ-77E1T0B/EU');
    expect(model('MB-MC128KA/EU').value).toBe('MB-MC128KA/EU');
    expect(model('USB MUF-256DA/APC').value).toBe('MUF-256DA/APC');
    expect(model('Modell: rb38t600esa/ef').value).toBe('RB38T600ESA/EF');
  });

  it('repairs OCR confusions where the family naming fixes letters and digits', () => {
    // The capacity is digits and a known region ending follows the "/" read as I.
    expect(model('Modell: WWB0T554DAWIS2').value).toBe('WW80T554DAW/S2');
    expect(model('Modell: SM-A5468').value).toBe('SM-A546B');
    expect(model('Modell: MZ-V8V1TOBW').value).toBe('MZ-V8V1T0BW');
    expect(model('SM X710').value).toBe('SM-X710');
  });

  it('joins a code that OCR split with a space beside its hyphen', () => {
    expect(model('NP950XED -KA1DE').value).toBe('NP950XED-KA1DE');
    expect(model('NP950XED- KA1DE').value).toBe('NP950XED-KA1DE');
    expect(model('NP950XED - KA1DE').value).toBe('NP950XED-KA1DE');
  });

  it('is less sure of a repaired code', () => {
    expect(model('Modell: WWB0T554DAWIS2').confidence).toBeLessThan(model('Modell: WW80T554DAW/S2').confidence);
  });

  it('finds nothing when no code is printed', () => {
    expect(model('Samsung Galaxy Tab S9 128GB', 'Art.-Nr. 2437104').value).toBeNull();
  });
});

describe('a model label with a code that is no model', () => {
  const facts = (...lines: string[]) => extract(textLayerFromText([lines.join('\n')])).facts;

  it('is recorded when no model was read, so the code printed there is known to exist', () => {
    expect(facts('Samsung Smart Monitor M8 M80B 32"', 'Typ: LS32BM801UU!', 'EAN 8801304399700').unreadModel).toEqual(
      expect.objectContaining({ source: 'LS32BM801UU' }),
    );
  });

  it('is not recorded when a model was read, nor for a word after the label', () => {
    expect(facts('Typ RTISCGAE4SHS').unreadModel).toEqual(expect.objectContaining({ source: 'RTISCGAE4SHS' }));
    expect(facts('Typ: RTISCGAE4SHS', 'Modell: WW90T534DAW/S2').unreadModel).toBeUndefined();
    expect(facts('Typ: Waschmaschine').unreadModel).toBeUndefined();
  });
});
