import { describe, expect, it } from 'vitest';
import { normaliseForm } from '../../../src/intake/form.js';

const defaults = { country: 'NO', today: '2025-06-01' };

describe('serial numbers', () => {
  it('are upper-cased with spaces and dashes removed', () => {
    const form = normaliseForm({ serial: 'r5cx 12ab-cde' }, defaults);
    expect(form.serial).toBe('R5CX12ABCDE');
    expect(form.flags).toEqual([]);
  });

  it('keep letters: O and S in a serial are compared later, not rewritten here', () => {
    expect(normaliseForm({ serial: 'S6ZYRNGOW7183OV' }, defaults).serial).toBe('S6ZYRNGOW7183OV');
  });

  it('of a wrong length get INVALID_SERIAL_FORMAT with a hint', () => {
    const form = normaliseForm({ serial: 'R5CX12ABC' }, defaults);
    expect(form.serial).toBe('R5CX12ABC');
    expect(form.flags).toEqual([
      expect.objectContaining({
        code: 'INVALID_SERIAL_FORMAT',
        message: expect.stringContaining('enter an 11- or 15-character number; you entered 9'),
        evidence: expect.objectContaining({ length: 9 }),
      }),
    ]);
  });

  it('of 15 digits are an IMEI typed into the serial field, checked and carried as the IMEI', () => {
    const valid = normaliseForm({ serial: '356938035643809' }, defaults);
    expect(valid).toMatchObject({ serial: '356938035643809', imei: '356938035643809', flags: [] });

    const invalid = normaliseForm({ serial: '356938035643801' }, defaults);
    expect(invalid.flags).toEqual([
      expect.objectContaining({ code: 'INVALID_IMEI', evidence: expect.objectContaining({ expectedCheckDigit: 9 }) }),
    ]);
  });
});

describe('IMEIs', () => {
  it('pass when 15 digits with a valid check digit', () => {
    expect(normaliseForm({ imei: '35-693803-564380-9' }, defaults)).toMatchObject({
      imei: '356938035643809',
      flags: [],
    });
  });

  it('failing the Luhn check get INVALID_IMEI naming the expected check digit', () => {
    const form = normaliseForm({ imei: '351708138650492' }, defaults);
    expect(form.flags).toEqual([
      expect.objectContaining({
        code: 'INVALID_IMEI',
        message: expect.stringContaining('call for 7'),
        evidence: expect.objectContaining({ imei: '351708138650492', checkDigit: 2, expectedCheckDigit: 7 }),
      }),
    ]);
  });

  it('with O/S typed for 0/5 are normalised and noted, not refused', () => {
    const form = normaliseForm({ imei: '3S6938O3S643809' }, defaults);
    expect(form.imei).toBe('356938035643809');
    expect(form.flags).toEqual([
      expect.objectContaining({
        code: 'FORM_NORMALISED',
        evidence: expect.objectContaining({ typed: '3S6938O3S643809', normalised: '356938035643809' }),
      }),
    ]);
  });

  it('that are not 15 digits get INVALID_IMEI', () => {
    const form = normaliseForm({ imei: '35693803564380' }, defaults);
    expect(form.flags).toEqual([expect.objectContaining({ code: 'INVALID_IMEI', evidence: expect.objectContaining({ length: 14 }) })]);
  });
});

describe('model, dates and country', () => {
  it('model is upper case without spaces, suffix kept', () => {
    expect(normaliseForm({ model: ' sm-s921b /ds' }, defaults).model).toBe('SM-S921B/DS');
  });

  it('claim date defaults to today, country to the configured default', () => {
    expect(normaliseForm({}, defaults)).toEqual({
      serial: null,
      imei: null,
      model: null,
      purchaseDate: null,
      country: 'NO',
      claimDate: '2025-06-01',
      flags: [],
    });
  });

  it('typed values win over the defaults', () => {
    const form = normaliseForm({ country: 'DE', claimDate: '2025-01-09', purchaseDate: '2023-05-06' }, defaults);
    expect(form).toMatchObject({ country: 'DE', claimDate: '2025-01-09', purchaseDate: '2023-05-06' });
  });
});
