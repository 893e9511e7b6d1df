import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/policy/assess.js';
import { addMonthsClamped, isIsoDate } from '../../../src/policy/calendar.js';
import { claim, flagCodes, form, policy, receipt } from './claim-builders.js';

describe('period end: same calendar day, clamped to the month end', () => {
  it('31 January + 1 month is the last day of February', () => {
    expect(addMonthsClamped('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsClamped('2023-01-31', 1)).toBe('2023-02-28');
  });

  it('keeps the calendar day across years and from a leap day', () => {
    expect(addMonthsClamped('2023-12-15', 24)).toBe('2025-12-15');
    expect(addMonthsClamped('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonthsClamped('2024-11-30', 3)).toBe('2025-02-28');
  });

  it('accepts only real ISO calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('12.03.2024')).toBe(false);
  });
});

describe('expiry of a claim', () => {
  const phoneBought = (purchaseDate: string, claimDate: string) =>
    assess(claim({ form: form({ claimDate }), receipt: receipt({ purchaseDate }) }), policy);

  it('a claim on the expiry day is still inside the period', () => {
    const decision = phoneBought('2023-06-01', '2025-06-01');
    expect(decision.status).toBe('eligible');
    expect(decision.warranty).toMatchObject({ family: 'phone', months: 24, expires: '2025-06-01' });
    expect(decision.warranty?.rule).toMatch(/^period\.phone: /);
  });

  it('a claim the day after the expiry day is WARRANTY_EXPIRED, naming the rule and dates', () => {
    const decision = phoneBought('2023-06-01', '2025-06-02');
    expect(decision.status).toBe('not_eligible');
    expect(decision.flags).toEqual([
      expect.objectContaining({
        code: 'WARRANTY_EXPIRED',
        evidence: expect.objectContaining({
          rule: 'period.phone',
          purchaseDate: '2023-06-01',
          expires: '2025-06-01',
          claimDate: '2025-06-02',
        }),
      }),
    ]);
  });

  it('a purchase on a leap day expires on the last day of February', () => {
    expect(phoneBought('2020-02-29', '2022-02-28').warranty?.expires).toBe('2022-02-28');
    expect(phoneBought('2020-02-29', '2022-03-01').status).toBe('not_eligible');
  });

  it('a purchase date after the claim date is FUTURE_DATE (review), not a refusal', () => {
    const decision = phoneBought('2025-07-21', '2025-07-09');
    expect(decision.status).toBe('needs_review');
    expect(flagCodes(decision)).toEqual(['FUTURE_DATE']);
  });

  it('without a purchase date on the receipt no expiry is proven: review, period without an expiry', () => {
    const decision = assess(claim({ form: form({ purchaseDate: '2024-03-12' }), receipt: receipt({ purchaseDate: null }) }), policy);
    expect(decision.status).toBe('needs_review');
    expect(flagCodes(decision)).toEqual(['MISSING_PURCHASE_DATE']);
    expect(decision.warranty).toMatchObject({ family: 'phone', months: 24, expires: null });
  });
});

describe('memory-card periods by model line', () => {
  const card = (model: string) => assess(claim({ receipt: receipt({ model, imei: null, purchaseDate: '2016-01-15' }) }), policy);

  it('EVO / EVO Plus / PRO Plus cards (MB-MC, MB-MD, MB-MY) get 120 months', () => {
    for (const model of ['MB-MC128KA/EU', 'MB-MD256KA/EU', 'MB-MY64GA/EU']) {
      const decision = card(model);
      expect(decision.status).toBe('eligible');
      expect(decision.warranty).toMatchObject({ family: 'memory_card', months: 120, expires: '2026-01-15' });
      expect(decision.warranty?.rule).toMatch(/^period\.memory_card\.evo_pro_plus: /);
    }
  });

  it('other cards get 60 months', () => {
    const decision = card('MB-MJ64GA/EU');
    expect(decision.warranty).toMatchObject({ family: 'memory_card', months: 60, expires: '2021-01-15' });
    expect(flagCodes(decision)).toEqual(['WARRANTY_EXPIRED']);
  });
});
