import { describe, expect, it } from 'vitest';
import { luhnValid } from '../../../../src/domain/identifiers.js';
import { PRODUCTS, serialLength, warrantyMonths } from '../../../../tools/corpus/catalogue.js';
import { DOCUMENT_KINDS, planClaims, SCENARIO_WEIGHTS, type ClaimPlan } from '../../../../tools/corpus/claims.js';
import { documentFile } from '../../../../tools/corpus/generate.js';
import { imeiNumber, withLetterLookAlike, withOtherCharacter, withWrongCheckDigit } from '../../../../tools/corpus/identifiers.js';
import { formatDate, formatMoney } from '../../../../tools/corpus/languages.js';
import { RETAILERS } from '../../../../tools/corpus/retailers.js';
import { addMonths, comparableNumber, expectedOutcome } from '../../../../tools/corpus/truth.js';
import { SeededRandom } from '../../../../tools/lib/random.js';

const plans = planClaims(1, 1000);

describe('corpus plan', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(planClaims(1, 1000)).toEqual(plans);
    expect(planClaims(2, 50).map((p) => p.form)).not.toEqual(plans.slice(0, 50).map((p) => p.form));
  });

  it('covers every scenario, document kind and product family, in seven languages', () => {
    expect(new Set(plans.map((p) => p.scenario))).toEqual(new Set(Object.keys(SCENARIO_WEIGHTS)));
    expect(new Set(plans.map((p) => p.kind))).toEqual(new Set(DOCUMENT_KINDS));
    expect(new Set(plans.map((p) => p.product.family))).toEqual(new Set(PRODUCTS.map((p) => p.family)));
    expect(new Set(plans.map((p) => p.retailer.language))).toEqual(new Set(['de', 'nl', 'sv', 'da', 'no', 'fi', 'en']));
    expect(new Set(plans.map((p) => p.layout))).toEqual(new Set(['slip', 'invoice', 'order', 'email', 'app']));
  });

  it('uses none of the dev set’s model codes', () => {
    const dev = [
      'SM-S921B/DS',
      'SM-A546B',
      'SM-R960',
      'SM-X710',
      'LC27G55TQBUXEN',
      'LS27C390EAUXEN',
      'NP750XGK-KG3DE',
      'RB34T672ESA/EF',
      'WW90T534DAW/S2',
    ];
    for (const code of dev) expect(PRODUCTS.map((p) => p.model)).not.toContain(code);
  });

  it('gives every unit a serial of its family’s length and an IMEI that passes the Luhn check', () => {
    for (const { product, unit } of plans) {
      if (unit.serial) expect(unit.serial).toHaveLength(serialLength(product.family));
      if (unit.imei) expect(luhnValid(unit.imei)).toBe(true);
    }
  });

  it('prints valid IMEIs; only the invalid-IMEI claims type one that fails', () => {
    for (const { facts, form, scenario } of plans) {
      if (facts.imei) expect(luhnValid(facts.imei)).toBe(true);
      if (form.imei) expect(luhnValid(form.imei)).toBe(scenario !== 'invalid_imei');
    }
    expect(plans.filter((p) => p.scenario === 'invalid_imei').every((p) => p.expected.flags.includes('INVALID_IMEI'))).toBe(true);
  });

  it('dates no purchase before the model was on sale, and claims in date order', () => {
    for (const { product, facts } of plans) if (facts.purchaseDate) expect(facts.purchaseDate >= product.released).toBe(true);
    const dates = plans.map((p) => p.form.claimDate);
    expect([...dates].sort()).toEqual(dates);
  });

  it('puts the claim date inside the period for eligible claims and after it for expired ones', () => {
    const expiring = (p: ClaimPlan) => p.expected.warranty!;
    for (const plan of plans.filter((p) => p.expected.status === 'eligible')) {
      const { expires, months } = expiring(plan);
      expect(plan.facts.purchaseDate! <= plan.form.claimDate).toBe(true);
      expect(plan.form.claimDate <= expires).toBe(true);
      expect(expires).toBe(addMonths(plan.facts.purchaseDate!, months));
    }
    for (const plan of plans.filter((p) => p.expected.flags.includes('WARRANTY_EXPIRED')))
      expect(plan.form.claimDate > expiring(plan).expires).toBe(true);
    // Monitors are kept clear of the 24–36 month window some monitor models have.
    for (const plan of plans.filter((p) => p.product.family === 'monitor' && p.facts.purchaseDate)) {
      const age =
        plan.form.claimDate < addMonths(plan.facts.purchaseDate!, 24) || plan.form.claimDate > addMonths(plan.facts.purchaseDate!, 36);
      expect(age).toBe(true);
    }
  });

  it('expects the status each scenario stands for', () => {
    const statuses = (scenario: string) => new Set(plans.filter((p) => p.scenario === scenario).map((p) => p.expected.status));
    for (const scenario of ['clean', 'serial_o0_s5', 'tv_ext_samsung_shop']) expect(statuses(scenario)).toEqual(new Set(['eligible']));
    for (const scenario of ['expired', 'region_not_covered', 'product_not_covered', 'tv_ext_other_retailer'])
      expect(statuses(scenario)).toEqual(new Set(['not_eligible']));
    for (const scenario of [
      'missing_serial',
      'missing_model',
      'missing_purchase_date',
      'model_mismatch',
      'date_mismatch',
      'invalid_imei',
      'future_date',
      'duplicate_receipt',
      'duplicate_serial',
    ])
      expect(statuses(scenario)).toEqual(new Set(['needs_review']));
  });

  it('refers duplicates to earlier claims that show the same receipt or unit', () => {
    const index = new Map(plans.map((p) => [p.claimId, p]));
    for (const plan of plans.filter((p) => p.duplicateOf)) {
      const earlier = index.get(plan.duplicateOf!)!;
      expect(earlier.index).toBeLessThan(plan.index);
      expect(plan.facts).toEqual(earlier.facts);
      expect(plan.expected.flags).toContain('DUPLICATE_RECEIPT');
    }
    for (const plan of plans.filter((p) => p.duplicateSerialOf)) {
      const earlier = index.get(plan.duplicateSerialOf!)!;
      expect(earlier.index).toBeLessThan(plan.index);
      expect(plan.unit).toEqual(earlier.unit);
      expect(plan.expected.flags).toContain('DUPLICATE_SERIAL');
    }
  });
});

describe('corpus identifiers', () => {
  const rng = new SeededRandom(9);

  it('makes an IMEI fail its check digit, and keeps a look-alike typo the same serial', () => {
    const imei = imeiNumber(rng);
    expect(luhnValid(withWrongCheckDigit(imei))).toBe(false);
    const typed = withLetterLookAlike(rng, 'R5CX50ABCDE')!;
    expect(typed).not.toBe('R5CX50ABCDE');
    expect(comparableNumber(typed)).toBe(comparableNumber('R5CX50ABCDE'));
  });

  it('changes a serial in a character that is no look-alike, so the rules see another unit', () => {
    for (let i = 0; i < 50; i++) {
      const other = withOtherCharacter(rng, '0C4KAXY2908413Z');
      expect(comparableNumber(other)).not.toBe(comparableNumber('0C4KAXY2908413Z'));
    }
  });

  it('prints dates and amounts the way each language does', () => {
    expect(formatDate('2024-03-05', 'd. MMMM yyyy', 'fi')).toBe('5. maaliskuuta 2024');
    expect(formatDate('2024-03-05', 'yyyy-MM-dd', 'sv')).toBe('2024-03-05');
    expect(formatDate('2024-03-05', 'dd/MM/yy', 'en')).toBe('05/03/24');
    expect(formatMoney(1299.5, 'de')).toBe('1.299,50');
    expect(formatMoney(1299.5, 'no')).toBe('1 299,50');
    expect(formatMoney(1299.5, 'en')).toBe('1,299.50');
  });
});

describe('corpus oracle', () => {
  const phone = PRODUCTS.find((p) => p.model === 'SM-S911B/DS')!;
  const tv = PRODUCTS.find((p) => p.model === 'QE65QN90AATXXE')!;
  const shop = RETAILERS.find((r) => r.manufacturerShop)!;
  const otto = RETAILERS.find((r) => r.name === 'Otto')!;
  const facts = { purchaseDate: '2023-03-31', model: phone.model, serial: null, imei: '356938035643809', extension: false };
  const none = { identifiers: new Map<string, string>() };

  it('keeps a claim on the last day of the period inside it and refuses the day after', () => {
    const on = expectedOutcome({ product: phone, retailer: otto, facts, form: { country: 'DE', claimDate: '2025-03-31' }, earlier: none });
    expect(on.status).toBe('eligible');
    const after = expectedOutcome({
      product: phone,
      retailer: otto,
      facts,
      form: { country: 'DE', claimDate: '2025-04-01' },
      earlier: none,
    });
    expect(after).toMatchObject({ status: 'not_eligible', flags: ['WARRANTY_EXPIRED'] });
  });

  it('counts the TV extension only from the manufacturer’s shop with the extension on the invoice, claimed in Germany', () => {
    const tvFacts = { ...facts, model: tv.model, imei: null, serial: '0C4KAXY2908413Z', extension: true };
    const form = { country: 'DE', claimDate: '2025-09-01' };
    expect(warrantyMonths(tv, true)).toBe(60);
    expect(expectedOutcome({ product: tv, retailer: shop, facts: tvFacts, form, earlier: none }).status).toBe('eligible');
    expect(expectedOutcome({ product: tv, retailer: otto, facts: tvFacts, form, earlier: none }).flags).toEqual(['WARRANTY_EXPIRED']);
    expect(expectedOutcome({ product: tv, retailer: shop, facts: tvFacts, form: { ...form, country: 'AT' }, earlier: none }).status).toBe(
      'not_eligible',
    );
  });

  it('flags a unit claimed before, naming the earlier claim', () => {
    const earlier = { identifiers: new Map([[comparableNumber('356938035643809'), 'C-1']]) };
    const outcome = expectedOutcome({ product: phone, retailer: otto, facts, form: { country: 'DE', claimDate: '2024-01-10' }, earlier });
    expect(outcome).toMatchObject({ status: 'needs_review', flags: ['DUPLICATE_SERIAL'] });
    expect(outcome.rules[0]).toContain('C-1');
  });
});

describe('corpus documents', () => {
  it('are byte-identical for the same seed', async () => {
    const cheap = [
      plans.find((p) => p.kind === 'pdf_text')!,
      plans.find((p) => p.kind === 'screenshot')!,
      plans.find((p) => p.kind === 'scan' && p.layout === 'slip')!,
    ];
    for (const plan of cheap) {
      const [a, b] = await Promise.all([documentFile(1, plan), documentFile(1, plan)]);
      expect(a.name).toBe(b.name);
      expect(a.bytes.equals(b.bytes)).toBe(true);
    }
  });
});
