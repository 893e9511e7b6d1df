import { describe, expect, it } from 'vitest';
import { textLayerFromText } from '../../../src/domain/text-layer.js';
import { extract } from '../../../src/extract/extract.js';

const read = (...lines: string[]) => extract(textLayerFromText([lines.join('\n')]));

describe('serial number', () => {
  it('reads a 15-character serial after a German label', () => {
    expect(read('Serien-Nr.: 4K7Q2WLM118206T').serial.value).toBe('4K7Q2WLM118206T');
  });

  it("reads a serial after Finnish invoices' abbreviated label", () => {
    expect(read('Sarjanro R98YCPARDCY').serial.value).toBe('R98YCPARDCY');
    expect(read('Sarjan:o R98YCPARDCY').serial.value).toBe('R98YCPARDCY');
  });

  it('reads an 11-character serial printed in groups', () => {
    expect(read('S/N: R5DW 33TK PLA').serial.value).toBe('R5DW33TKPLA');
  });

  it('joins a 15-character serial that OCR split after its eleventh character, but not the next column', () => {
    expect(read('Serienummer: 7A0T7HXM04866 4E').serial.value).toBe('7A0T7HXM048664E');
    expect(read('S/N: R5DW33TKPLA 1 Stk').serial.value).toBe('R5DW33TKPLA');
    expect(read('S/N: 4K7Q2WLM118206T 12').serial.value).toBe('4K7Q2WLM118206T');
  });

  it('reports a letter O as the digit 0, less surely', () => {
    const clean = read('SN: 3B1X8MHQ072215K').serial;
    const misread = read('SN: 3B1X8MHQO72215K').serial;
    expect(misread.value).toBe('3B1X8MHQ072215K');
    expect(misread.confidence).toBeLessThan(clean.confidence);
  });

  it('ignores the TSE-Seriennummer and other numbers on a till slip', () => {
    const x = read(
      'Bestellnummer: 304-1308026-8075943',
      'EAN 8806094934533',
      'TSE-Seriennummer:',
      'a8c31f0e9b7d2264c1f0aa93b2d7e611',
      'Terminal-ID 24870620',
    );
    expect(x.serial.value).toBeNull();
    expect(x.imei.value).toBeNull();
  });

  it('keeps a serial that lost a character, with low confidence', () => {
    const field = read('Seriennummer: 7J2K4PLX03318A').serial;
    expect(field.value).toBe('7J2K4PLX03318A');
    expect(field.confidence).toBeLessThan(0.7);
  });
});

describe('IMEI', () => {
  it('reads a valid IMEI as printed', () => {
    const field = read('IMEI: 490154203237518').imei;
    expect(field.value).toBe('490154203237518');
    expect(field.confidence).toBeGreaterThan(0.9);
  });

  it('joins an IMEI printed in groups and takes IMEI 1', () => {
    expect(read('IMEI 1: 49 015420 323751 8', 'IMEI 2: 35 209900 176148 1').imei.value).toBe('490154203237518');
  });

  it('repairs OCR letters to the reading that passes the Luhn check', () => {
    // "S" is read as 5 first; here only 8 gives a valid check digit.
    expect(read('IMEI: 49O154203237S1S').imei.value).toBe('490154203237518');
  });

  it('reports digits failing the Luhn check as printed, with lower confidence', () => {
    const invalid = read('IMEI: 490154203237519').imei;
    expect(invalid.value).toBe('490154203237519');
    expect(invalid.confidence).toBeLessThan(read('IMEI: 490154203237518').imei.confidence);
  });

  it('takes Luhn-valid digits after a serial label as the IMEI', () => {
    const x = read('SN/IMEI: 490154203237518');
    expect(x.imei.value).toBe('490154203237518');
    expect(x.serial.value).toBeNull();
  });
});

describe('a serial label OCR garbled', () => {
  it('still reads the serial after it, less surely than after a clean label', () => {
    const garbled = read('1 Samsung OLED S95D 77" QE77S95DATXXN 1 4235.43', 'Sevien-Ne.: SBW1YDZ4748735V', 'EAN 8801535801696').serial;
    expect(garbled.value).toBe('SBW1YDZ4748735V');
    expect(garbled.confidence).toBeLessThan(read('Serien-Nr.: SBW1YDZ4748735V').serial.confidence);
  });

  it('does not take a service, customer or till number for the serial', () => {
    expect(read('Service-Nr.: SV7731200AB9').serial.value).toBeNull();
    expect(read('Kunden-Nr.: KD19995281X4').serial.value).toBeNull();
    expect(read('TSE-Serien: 4F77ACD0913B2E').serial.value).toBeNull();
  });
});

describe('a serial or IMEI label with no readable number', () => {
  it('is recorded, so the number printed there is known to exist', () => {
    const x = read('Samsung QE55Q80D', 'Seriennummer: ~~ ~', 'Summe 899,00');
    expect(x.serial.value).toBeNull();
    expect(x.facts.unreadIdentifiers).toEqual([expect.objectContaining({ kind: 'serial', source: 'Seriennummer: ~~ ~' })]);
    expect(read('Galaxy S24', 'IMEI: -').facts.unreadIdentifiers).toEqual([expect.objectContaining({ kind: 'imei' })]);
  });

  it('is not recorded when the number was read, or for a till serial', () => {
    expect(read('Serien-Nr.: 4K7Q2WLM118206T').facts.unreadIdentifiers).toBeUndefined();
    expect(read('TSE-Seriennummer:', 'Summe 10,00').facts.unreadIdentifiers).toBeUndefined();
  });
});
