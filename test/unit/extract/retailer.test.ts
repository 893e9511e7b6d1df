import { describe, expect, it } from 'vitest';
import { textLayerFromText } from '../../../src/domain/text-layer.js';
import { extract } from '../../../src/extract/extract.js';

const retailer = (...lines: string[]) => extract(textLayerFromText([lines.join('\n')])).retailer;

describe('retailer', () => {
  it('matches OCR-damaged brand names in the header', () => {
    expect(retailer('Elkjop Bergen Storsenter', 'Strandgaten 3').value).toBe('Elkjøp');
    expect(retailer('MedlaMarkt Hamburg-Altona', 'Kassenbon').value).toBe('MediaMarkt');
  });

  it('tells the manufacturer shop from a retailer selling the manufacturer', () => {
    expect(retailer('SAMSUNG', 'Samsung Electronics GmbH – Samsung Shop · Musterweg 1').value).toBe('Samsung Shop');
    expect(retailer('SATURN Leipzig Hbf', 'Datum: 01.02.24', '1 Samsung Waschmaschine 9kg', 'WW90T534DAW/S2').value).toBe('Saturn');
  });

  it('accepts a common-word brand only where a header line starts with it', () => {
    expect(retailer('POWER Drammen', 'Kvittering').value).toBe('Power');
    expect(retailer('Lysgaard Elektro AS', 'Kvittering', 'Powerbank 10000 mAh').value).toBe('Lysgaard Elektro AS');
  });

  it('does not take a near miss in the item lines for a brand', () => {
    expect(retailer('KEDAI RUNCIT MAJU JAYA', '1 Discount voucher 5.00').value).toBe('KEDAI RUNCIT MAJU JAYA');
  });

  it('falls back to the header line with a legal-form ending, without its registration number', () => {
    const field = retailer('receipt copy', 'SINAR PERDANA TRADING SDN BHD (512344-K)', 'NO. 12, JALAN MAWAR 3');
    expect(field.value).toBe('SINAR PERDANA TRADING SDN BHD');
    expect(field.confidence).toBeLessThan(0.9);
  });

  it('joins a company name printed over two lines', () => {
    expect(retailer('ANGKASA HARDWARE', 'ENTERPRISE (M) SDN BHD', '(10023-A)').value).toBe('ANGKASA HARDWARE ENTERPRISE (M) SDN BHD');
  });
});
