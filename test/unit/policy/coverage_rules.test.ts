import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/policy/assess.js';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import { claim, flagCodes, form, policy, receipt } from './claim-builders.js';

const bought = (model: string, serial = '7F2H3TAV025102A') => receipt({ model, serial, imei: null, purchaseDate: '2024-06-01' });

describe('monitor distribution suffixes', () => {
  it.each(['LS27C390EAUXEN', 'LC27G55TQBUXEN', 'LS24A600NWU/EN', 'LU28R550UQU/ZG', 'LF24T350FHRXZG'])('%s is covered', (model) => {
    expect(assess(claim({ receipt: bought(model) }), policy).status).toBe('eligible');
  });

  it('a monitor for another region is REGION_NOT_COVERED, with the period still shown', () => {
    const decision = assess(claim({ receipt: bought('LS24C310EAUXXU') }), policy);
    expect(decision.status).toBe('not_eligible');
    expect(decision.flags).toEqual([
      expect.objectContaining({
        code: 'REGION_NOT_COVERED',
        evidence: expect.objectContaining({ rule: 'coverage.monitor.eu_distribution', model: 'LS24C310EAUXXU' }),
      }),
    ]);
    expect(decision.warranty).toMatchObject({ family: 'monitor', months: 24 });
  });
});

describe('notebook suffixes and covered countries', () => {
  it.each(['NP750XGK-KG3DE', 'NP930QED-KA1/SEG'])('%s claimed in DE is covered', (model) => {
    expect(assess(claim({ receipt: bought(model) }), policy).status).toBe('eligible');
  });

  it('a notebook model code not ending /SEG or DE is REGION_NOT_COVERED', () => {
    const decision = assess(claim({ receipt: bought('NP750XGK-KG3US') }), policy);
    expect(flagCodes(decision)).toEqual(['REGION_NOT_COVERED']);
    expect(decision.flags[0]?.evidence).toMatchObject({ rule: 'coverage.notebook.eu_spec' });
  });

  it('an EU-spec notebook claimed outside the covered countries is REGION_NOT_COVERED', () => {
    const decision = assess(claim({ form: form({ country: 'US' }), receipt: bought('NP750XGK-KG3DE') }), policy);
    expect(flagCodes(decision)).toEqual(['REGION_NOT_COVERED']);
    expect(decision.flags[0]?.evidence).toMatchObject({ rule: 'coverage.notebook.countries', country: 'US' });
  });

  it('NO is a covered country', () => {
    const decision = assess(claim({ form: form({ country: 'NO' }), receipt: bought('NP750XGK-KG3DE') }), policy);
    expect(decision.status).toBe('eligible');
  });
});

describe('SSD sales channel', () => {
  it.each(['MZ-77E1T0B/EU', 'MZ-V8V1T0BW', 'MZ-7PC128WW', 'MZ-7TE120KW'])('%s (retail) is covered', (model) => {
    expect(assess(claim({ receipt: bought(model, 'S6ZYRNG0W71830V') }), policy).status).toBe('eligible');
  });

  it('an OEM SSD for PC integrators is PRODUCT_NOT_COVERED', () => {
    const decision = assess(claim({ receipt: bought('MZ-7TD120Z', 'S7QCLNG0T27693W') }), policy);
    expect(decision.status).toBe('not_eligible');
    expect(flagCodes(decision)).toEqual(['PRODUCT_NOT_COVERED']);
    expect(decision.flags[0]?.evidence).toMatchObject({ rule: 'coverage.ssd.retail_channel', model: 'MZ-7TD120Z' });
    expect(decision.warranty).toMatchObject({ family: 'ssd', months: 60 });
  });
});

describe('TV extended warranty', () => {
  // Bought 2021-08-02: inside 60 months on 2025-10-05, outside 24.
  const tvClaim = (retailer: string, extendedWarranty: boolean, country = 'DE') =>
    assess(
      claim({
        form: form({ country, claimDate: '2025-10-05' }),
        receipt: receipt({ model: 'UE50AU7179UXZG', retailer, imei: null, purchaseDate: '2021-08-02' }, { extendedWarranty }),
      }),
      policy,
    );

  it('bought in the manufacturer shop with the extension, claimed in DE: 60 months', () => {
    const decision = tvClaim('Samsung Shop', true);
    expect(decision.status).toBe('eligible');
    expect(decision.warranty).toMatchObject({ family: 'tv', months: 60, expires: '2026-08-02' });
    expect(decision.warranty?.rule).toMatch(/^period\.tv\.extended: /);
  });

  it('an extension line from another retailer does not count: 24 months, and the reason is shown', () => {
    const decision = tvClaim('MediaMarkt', true);
    expect(decision.warranty).toMatchObject({ months: 24, expires: '2023-08-02' });
    expect(decision.status).toBe('not_eligible');
    expect(decision.flags[0]?.evidence).toMatchObject({
      rule: 'period.tv',
      extensionNotApplied: expect.stringContaining("MediaMarkt is not the manufacturer's own shop"),
    });
  });

  it('the manufacturer shop without the extension on the invoice: 24 months', () => {
    expect(tvClaim('Samsung Shop', false).warranty).toMatchObject({ months: 24 });
  });

  it('the extension is serviced in Germany only: a claim in AT gets 24 months', () => {
    const decision = tvClaim('Samsung Shop', true, 'AT');
    expect(decision.warranty).toMatchObject({ months: 24 });
    expect(decision.flags[0]?.evidence).toMatchObject({ extensionNotApplied: expect.stringContaining('AT') });
  });

  it('a low-confidence retailer read cannot grant the extension on its own', () => {
    const decision = assess(
      claim({
        form: form({ claimDate: '2025-10-05' }),
        receipt: receipt(
          {
            model: 'UE50AU7179UXZG',
            retailer: { value: 'Samsung Shop', confidence: 0.3 },
            imei: null,
            purchaseDate: '2021-08-02',
          },
          { extendedWarranty: true },
        ),
      }),
      loadPolicy('2026.6'), // scores as read; calibrated from 2026.7 (calibrated_confidence.test.ts)
    );
    expect(decision.status).toBe('needs_review');
    expect(flagCodes(decision)).toEqual(['LOW_CONFIDENCE']);
  });
});
