import { describe, expect, it } from 'vitest';
import { textLayerFromText } from '../../../src/domain/text-layer.js';
import { hasPurchaseDateLabel } from '../../../src/extract/date.js';
import { extract } from '../../../src/extract/extract.js';

const purchaseDate = (...lines: string[]) => extract(textLayerFromText([lines.join('\n')])).purchaseDate;

describe('purchase date', () => {
  it('reads German month names', () => {
    expect(purchaseDate('Rechnungsdatum: 2. März 2024').value).toBe('2024-03-02');
    expect(purchaseDate('Kaufdatum 19. Februar 2023').value).toBe('2023-02-19');
  });

  it('reads Norwegian month names', () => {
    expect(purchaseDate('Fakturadato: 3. august 2021').value).toBe('2021-08-03');
    expect(purchaseDate('Kjøpsdato 19. desember 2024').value).toBe('2024-12-19');
  });

  it('reads Finnish month names, in the partitive dates use, and Danish March', () => {
    expect(purchaseDate('Päivämäärä: 12. tammikuuta 2025').value).toBe('2025-01-12');
    expect(purchaseDate('Ostopäivä 3. heinäkuuta 2024').value).toBe('2024-07-03');
    expect(purchaseDate('Laskun päivämäärä: 28. marraskuu 2023').value).toBe('2023-11-28');
    expect(purchaseDate('Købsdato: 14. marts 2024').value).toBe('2024-03-14');
  });

  it('reads dd.mm.yy with a time after it, day first', () => {
    expect(purchaseDate('Datum: 04.11.23 Uhrzeit: 09:41').value).toBe('2023-11-04');
  });

  it('reads other numeric and named formats', () => {
    expect(purchaseDate('Date: 25/12/2018 3:13:39 PM').value).toBe('2018-12-25');
    expect(purchaseDate('INVOICE 15-01-19 10:02').value).toBe('2019-01-15');
    expect(purchaseDate('DATE 05 MAR 2018').value).toBe('2018-03-05');
    expect(purchaseDate('Bestelldatum: 2021-11-02').value).toBe('2021-11-02');
    expect(purchaseDate('Order date: November 4, 2024').value).toBe('2024-11-04');
  });

  it('ignores the return-by date', () => {
    const field = purchaseDate('Umtausch bis 30.09.24', 'Summe EUR 12,00', 'Datum 16.09.24 10:12');
    expect(field.value).toBe('2024-09-16');
  });

  it('ignores the Norwegian open-purchase date even when it is the only other date', () => {
    expect(purchaseDate('Åpent kjøp til 20.02.2024', 'Dato: 21.01.2024').value).toBe('2024-01-21');
    expect(purchaseDate('Åpent kjøp til 20.02.2024').value).toBeNull();
  });

  it('ignores the delivery date printed above the invoice date', () => {
    const x = extract(textLayerFromText(['Lieferdatum: 09.05.2023\nRechnungsdatum: 06.05.2023']));
    expect(x.purchaseDate.value).toBe('2023-05-06');
    expect(x.facts.otherDates).toContainEqual({ value: '2023-05-09', role: 'delivery', source: '09.05.2023' });
  });

  it('ignores an English delivery date', () => {
    expect(purchaseDate('Delivery date: 7 November 2024', 'Invoice date: 4 November 2024').value).toBe('2024-11-04');
  });

  it('ignores the TSE timestamp', () => {
    const x = extract(textLayerFromText(['Datum: 11.03.2024', 'TSE-Start: 2024-03-12T14:10:12', 'TSE-Stop: 2024-03-12T14:11:40']));
    expect(x.purchaseDate.value).toBe('2024-03-11');
    expect(x.facts.otherDates.map((d) => d.role)).toEqual(['tse', 'tse']);
  });

  it('does not read a phone number as a date', () => {
    expect(purchaseDate('Tel. 12.03.45.67', 'Beleg 88213', 'Datum 05.01.2024').value).toBe('2024-01-05');
    expect(purchaseDate('Tlf. 22 10 20 24').value).toBeNull();
  });

  it('repairs O read for 0 and rejects impossible calendar days', () => {
    expect(purchaseDate('Dato: 2O.O1.2024').value).toBe('2024-01-20');
    expect(purchaseDate('Datum: 31.02.2024').value).toBeNull();
  });

  it('is less sure of an unlabelled date than of a labelled one', () => {
    expect(purchaseDate('12.06.2024').confidence).toBeLessThan(purchaseDate('Rechnungsdatum: 12.06.2024').confidence);
  });
});

describe('purchase date OCR separators', () => {
  it('reads a date whose dot OCR turned into a colon or comma', async () => {
    const { extract } = await import('../../../src/extract/extract.js');
    const { textLayerFromText } = await import('../../../src/domain/text-layer.js');
    expect(extract(textLayerFromText(['Butikk Sentrum\nDato: 24.05:2024 kl 15:16\nTotalt 1 299,00'])).purchaseDate.value).toBe(
      '2024-05-24',
    );
    expect(extract(textLayerFromText(['Datum 03,11.2023 10:02'])).purchaseDate.value).toBe('2023-11-03');
  });

  it('does not take a clock time and a price for a date', async () => {
    const { extract } = await import('../../../src/extract/extract.js');
    const { textLayerFromText } = await import('../../../src/domain/text-layer.js');
    expect(extract(textLayerFromText(['Kasse 3 12:30 2024,00 EUR'])).purchaseDate.value).toBeNull();
  });
});

describe('purchase date OCR year repair', () => {
  it('reads a year whose 0 OCR took for an 8, with less confidence', async () => {
    const { extract } = await import('../../../src/extract/extract.js');
    const { textLayerFromText } = await import('../../../src/domain/text-layer.js');
    const field = extract(textLayerFromText(['Dato: 24.12.2821 KL. 15:35'])).purchaseDate;
    expect(field.value).toBe('2021-12-24');
    expect(field.confidence).toBeLessThan(0.9);
  });
});

describe('lines that carry a purchase-date label', () => {
  it('knows the sale-date labels of European receipts, where an unread date would be printed', () => {
    for (const line of ['Kaufdatum: 1Z.O3.2O24', 'Rechnungsdatum', 'Datum', 'Kjøpsdato:', 'Order date ...', 'Date: ___']) {
      expect(hasPurchaseDateLabel(line), line).toBe(true);
    }
  });

  it('does not take delivery or due dates, nor lines without a date label, for one', () => {
    for (const line of ['Lieferdatum: 14.03.2024', 'Summe EUR 899,00', 'S/N: R5CZ2S8B5ZQ']) {
      expect(hasPurchaseDateLabel(line), line).toBe(false);
    }
  });
});
