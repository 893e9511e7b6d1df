import { describe, expect, it } from 'vitest';
import { textLayerFromText } from '../../../src/domain/text-layer.js';
import { extract } from '../../../src/extract/extract.js';
import { assess } from '../../../src/policy/assess.js';
import { loadPolicy, parsePolicy } from '../../../src/policy/policy-table.js';
import { PolicyLoadError } from '../../../src/errors/policy-load-error.js';
import grammarTable from '../../../src/policy/product-codes/2026.4.json' with { type: 'json' };
import { parseProductCodes, productCodeGrammar } from '../../../src/policy/product-codes.js';
import { ProductCodesLoadError } from '../../../src/errors/product-codes-load-error.js';
import { claim, form, receipt } from './claim-builders.js';

const grammar = productCodeGrammar('2026.4');
const policy = loadPolicy('2026.4');
const modelOnReceipt = (...lines: string[]) => extract(textLayerFromText([lines.join('\n')])).model.value;

/** Real codes from manufacturer and retailer listings, beyond the grammar's own examples. */
const REAL_CODES: Array<[string, string]> = [
  ['SM-A256B/DSN', 'phone'],
  ['SM-S918B', 'phone'],
  ['SM-G998B/DS', 'phone'],
  ['SM-F741B', 'phone'],
  ['SM-A145R/DSN', 'phone'],
  ['SM-M556B', 'phone'],
  ['SM-S921BZKDEUB', 'phone'],
  ['SM-X110', 'tablet'],
  ['SM-T733', 'tablet'],
  ['SM-X826B', 'tablet'],
  ['SM-P620', 'tablet'],
  ['SM-R177', 'wearable'],
  ['SM-R510', 'wearable'],
  ['SM-L300', 'wearable'],
  ['SM-Q500', 'wearable'],
  ['SM-R861', 'wearable'],
  ['QE65QN95AATXXU', 'tv'],
  ['UE50CU7172UXXN', 'tv'],
  ['GQ55S92CATXZG', 'tv'],
  ['QE43LS01TAUXZG', 'tv'],
  ['UN55TU7000FXZA', 'tv'],
  ['UE48JU7090', 'tv'],
  ['GQ65QN90AAT', 'tv'],
  ['HW-Q930C/ZG', 'audio'],
  ['HW-A450/ZG', 'audio'],
  ['HW-S60B/ZG', 'audio'],
  ['MX-ST90B', 'audio'],
  ['WD80T554DBW/S2', 'appliance'],
  ['DV90T5240AW/S2', 'appliance'],
  ['RB34T672ESA/EF', 'appliance'],
  ['DW60A6092FS/EG', 'appliance'],
  ['MG23K3515AK/EG', 'appliance'],
  ['NV75K5571RS/EG', 'appliance'],
  ['VR50T95735W/WD', 'appliance'],
  ['VS15T7036R5/EG', 'appliance'],
  ['LS27AG500NUXEN', 'monitor'],
  ['LC27G55TQBUXEN', 'monitor'],
  ['LS34BG850SUXEN', 'monitor'],
  ['LS24C310EAUXXU', 'monitor'],
  ['LS32AM500NRXUF', 'monitor'],
  ['LC34G55TWWRXUF', 'monitor'],
  ['LF27T450FQRXUF', 'monitor'],
  ['NP940XGK-KG1DE', 'notebook'],
  ['NP960XGL-XG1DE', 'notebook'],
  ['NP930QDB-KF1DE', 'notebook'],
  ['XE520QEA-KB1DE', 'notebook'],
  ['MZ-77Q2T0BW', 'ssd'],
  ['MZ-N6E500BW', 'ssd'],
  ['MZ-V7S1T0BW', 'ssd'],
  ['MB-MC64KA/EU', 'memory_card'],
  ['MB-MD256KA/EU', 'memory_card'],
  ['MUF-256AB/APC', 'usb'],
  ['MUF-512DA/APC', 'usb'],
];

describe('the product-code grammar', () => {
  it.each(REAL_CODES)('reads %s as a %s, naming its parts', (code, family) => {
    expect(grammar.readModel(code)).toMatchObject({ family });
  });

  it('names the parts of a code as Samsung composes it', () => {
    // S27AG500N is the monitor's own name; U and XEN say for whom it was made.
    expect(grammar.readModel('LS27AG500NUXEN')?.parts).toEqual({
      form: 'LS',
      size: '27',
      series: 'AG500N',
      variant: 'U',
      destination: 'XEN',
    });
  });

  it.each([
    ['SM-A54', 'a marketing name, no model number'],
    ['SM-A5468', 'four digits where a variant letter belongs'],
    ['QE5Q80CATXZG', 'a one-digit screen size'],
    ['LS27AG500N', 'a monitor without its destination, which the coverage rule needs'],
    ['NP750XGK', 'a notebook without its variant and country'],
    ['WW90', 'a capacity and nothing after it'],
    ['HW-800', 'a soundbar number without its series letter'],
    ['MB-MC', 'a memory card without capacity'],
    ['MUF-256', 'a USB drive without its line'],
  ])('rejects the near miss %s (%s)', (code) => {
    expect(grammar.readModel(code)).toBeNull();
  });

  it.each([
    'KD-55X85L',
    'OLED55C36LC',
    '55PUS8808/12',
    'MQ8N3ZD/A',
    'WGG244A9',
    'SMS4HVI33E',
    '27GN800-B',
    'RT-AX88U',
    'MG3650S',
    'WF-1000XM4',
    'WD-40',
  ])('rejects the non-Samsung code %s', (code) => {
    expect(grammar.readModel(code)).toBeNull();
  });

  it('knows which characters each position of a family serial may hold', () => {
    // R + factory + year letter + month + unit: the year is never a digit, the month never O/0.
    expect(grammar.acceptsSerial('phone', 'R5CW12ABCDE')).toBe(true);
    expect(grammar.allowedAt('phone', 11, 3, ['G', '6'])).toEqual(['G']);
    expect(grammar.allowedAt('phone', 11, 4, ['I', '1', 'L'])).toEqual(['1']);
    expect(grammar.allowedAt('tv', 15, 8, ['O', '0', 'D', 'Q'])).toEqual([]);
    expect(grammar.acceptsSerial('phone', 'R5C612ABCDE')).toBe(false);
  });

  it('refuses a grammar whose example its own shape rejects', () => {
    const table = structuredClone(grammarTable) as Record<string, any>;
    table.modelCodes[0].examples.push('SM-X71');
    expect(() => parseProductCodes(table, 'broken')).toThrow(ProductCodesLoadError);
    expect(() => parseProductCodes(table, 'broken')).toThrow(/example SM-X71 of "Galaxy Tab.*" is not accepted/);
  });

  it('refuses a grammar whose example another family reads first', () => {
    const table = structuredClone(grammarTable) as Record<string, any>;
    table.modelCodes[0].examples.push('SM-R960');
    expect(() => parseProductCodes(table, 'broken')).toThrow(/example SM-R960 .* is read as a wearable/);
  });

  it('a policy naming an unknown grammar, or a family the grammar lacks, is refused at load', () => {
    const unknown = { ...structuredClone(policy), productCodes: '1999.1' };
    expect(() => parsePolicy(unknown, 'broken')).toThrow(PolicyLoadError);
    expect(() => parsePolicy(unknown, 'broken')).toThrow(/unknown product-code grammar "1999.1"/);
    const extra = structuredClone(policy);
    extra.families.push({ ...extra.families[0]!, id: 'projector', period: { ...extra.families[0]!.period, id: 'period.projector' } });
    expect(() => parsePolicy(extra, 'broken')).toThrow(/family "projector" has no model codes in the grammar/);
  });
});

describe('family assignment under policy 2026.4', () => {
  it.each(REAL_CODES)('a receipt printing %s is decided as a %s', (model, family) => {
    const decision = assess(claim({ receipt: receipt({ model, serial: 'R5CT6073PQV' }) }), policy);
    expect(decision.warranty?.family).toBe(family);
  });

  it('a code that no family naming accepts is UNKNOWN_PRODUCT', () => {
    const decision = assess(claim({ receipt: receipt({ model: 'KD-55X85L' }) }), policy);
    expect(decision.flags.map((f) => f.code)).toContain('UNKNOWN_PRODUCT');
  });

  it('the form model decides the family when the receipt prints none', () => {
    const decision = assess(claim({ form: form({ model: 'SM-L705F' }), receipt: receipt({ model: null }) }), policy);
    expect(decision.warranty?.family).toBe('wearable');
  });

  it('2026.3 still assigns by its prefixes, so old decisions re-run as made', () => {
    const old = loadPolicy('2026.3');
    expect(assess(claim({ receipt: receipt({ model: 'SM-L705F' }) }), old).warranty?.family).toBe('phone');
  });
});

describe('model codes on receipts', () => {
  it.each([
    ['Odyssey G5 LS27AG500NUXEN 27" 299,00', 'LS27AG500NUXEN'],
    ['Art.-Nr. 2786123 Monitor LC27G55TQBUXEN', 'LC27G55TQBUXEN'],
    ['LS34BG850SUXEN Odyssey OLED G8', 'LS34BG850SUXEN'],
    ['Galaxy Watch Ultra SM-L705FZTAEUB', 'SM-L705FZTAEUB'],
    ['Modell: NP940XGK-KG1DE', 'NP940XGK-KG1DE'],
    ['Samsung Chromebook XE310XBA-K01DE', 'XE310XBA-K01DE'],
    ['Backofen NV7B4040VBB/U1 549,00', 'NV7B4040VBB/U1'],
    ['Sound Tower MX-T50/ZG', 'MX-T50/ZG'],
  ])('reads the real code in "%s"', (line, code) => {
    expect(modelOnReceipt('Pos. Bezeichnung Betrag', line)).toBe(code);
  });

  it('prefers the full code over its short form in the item name', () => {
    expect(modelOnReceipt('4179918 WASCHM. WW90T534 9KG 6 590,00 A', 'WW90T534DAW/S2')).toBe('WW90T534DAW/S2');
  });

  it('repairs a code OCR garbled where the naming fixes letters and digits, as before', () => {
    expect(modelOnReceipt('Modell: LS27AG5OONUXEN')).toBe('LS27AG500NUXEN');
    expect(modelOnReceipt('Modell: LC27G5STQBUXEN')).toBe('LC27G55TQBUXEN');
    expect(modelOnReceipt('Modell: SM-A5468')).toBe('SM-A546B');
    expect(modelOnReceipt('SM X710')).toBe('SM-X710');
  });

  it('takes no code from near misses and other makers', () => {
    expect(modelOnReceipt('Geschirrspüler SMS4HVI33E 499,00', 'WD-40 Spray 400ml 4,99')).toBeNull();
    expect(modelOnReceipt('Sony KD-55X85L 899,00', 'LG OLED55C36LC')).toBeNull();
  });

  it('does not repair plain words that start like a family into codes', () => {
    expect(modelOnReceipt('McDonald Restaurant', 'UniTea Bubble Tea 12,90')).toBeNull();
  });
});
