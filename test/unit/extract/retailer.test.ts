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

/** A till slip as OCR reads it, one line per printed line. */
const slip = (text: string) =>
  retailer(
    ...text
      .trim()
      .split('\n')
      .map((l) => l.trim()),
  );

describe('retailer named away from the header (logo printed as a graphic)', () => {
  it('a German discounter slip: the legal entity and web address in the footer name the chain', () => {
    const field = slip(`
      Friedrichstraße 112
      10117 Berlin
      EUR
      Bio Vollmilch 3,8% 1,19 A
      Bananen lose 1,34 A
      Pfand 0,25 A
      zu zahlen 2,78
      Bar 5,00
      Rückgeld 2,22
      Lidl Vertriebs-GmbH & Co. KG
      www.lidl.de`);
    expect(field.value).toBe('Lidl');
    expect(field.confidence).toBeGreaterThan(0.9);
  });

  it('a drugstore slip whose header is only the address: the footer company names it, not the customer', () => {
    expect(
      slip(`
      Kunde: Anna Müller
      Schlossstraße 8
      12163 Berlin
      Balea Duschgel 0,95 A
      SUMME EUR 0,95
      Vielen Dank für Ihren Einkauf
      dm-drogerie markt GmbH + Co. KG
      www.dm.de`).value,
    ).toBe('dm-drogerie markt');
  });

  it('a supermarket whose chain appears only in the e-mail address and legal name; a brand in an item line does not count', () => {
    expect(
      slip(`
      Markt 4711
      Tchibo Feine Milde 500g 6,99 B
      Summe 6,99
      EC-Cash 6,99
      REWE Markt GmbH, Domstr. 20, 50668 Köln
      kundenservice@rewe.de`).value,
    ).toBe('Rewe');
  });

  it('reads the name through OCR garble ("LéDL", "Medla Markt")', () => {
    expect(slip('LéDL\nPotsdamer Str. 4\nSumme 3,49').value).toBe('Lidl');
    expect(slip('Medla Markt Köln-Kalk\nKassenbon').value).toBe('MediaMarkt');
  });
});

describe('retailer on receipts across Europe', () => {
  it.each([
    ['ICA Kvantum Liljeholmen\nOrg.nr 556021-0261\nKVITTO\nMjölk 3% 1,5 l 17,95', 'ICA'],
    ['REMA 1000 Grünerløkka\nThorvald Meyers gate 70\n0552 Oslo\nKVITTERING', 'Rema 1000'],
    ['Albert Heijn 1438\nKassabon\nMelk halfvol 1,29\nwww.ah.nl', 'Albert Heijn'],
    ['Føtex Vesterbro\nCVR 35954716\nKvittering', 'Føtex'],
    ['K-Citymarket Espoo Iso Omena\nKuitti\nMaito 1,39', 'K-Citymarket'],
    ['Tesco Extra\nVAT No 220 4302 31\nTesco Stores Ltd, Welwyn Garden City', 'Tesco'],
    ['Carrefour Market\n12 rue de la Paix\n75002 Paris\nTICKET CLIENT', 'Carrefour'],
    ['Biedronka "Codziennie niskie ceny"\nParagon fiskalny\nJeronimo Martins Polska S.A.', 'Biedronka'],
    ['Bahnhofstrasse 10\n8001 Zürich\nBeleg\nJumbo Supermarkten B.V.', 'Jumbo'],
    ['OBI Markt Hamburg-Altona\nBau- und Heimwerkermarkt\nBohrmaschine 59,99 A', 'OBI'],
  ])('%s → %s', (text, name) => {
    expect(slip(text).value).toBe(name);
  });
});

describe('what is never taken for the retailer', () => {
  it('the customer, a model line, an address, a web address or a slogan: the retailer is missing instead', () => {
    expect(slip('Rechnungsadresse:\nOtto Becker\nLindenweg 4\n20095 Hamburg\nRechnung Nr. 4711').value).toBeNull();
    expect(slip('Modell: Galaxy S24 Ultra\nSM-S928BZKGEUB\nSumme 1.449,00').value).toBeNull();
    expect(slip('Hauptstraße 12\n80331 München\nSumme 12,00').value).toBeNull();
    expect(slip('www.elektro-beispiel.de\nBeleg-Nr. 123\nSumme 12,00').value).toBeNull();
    expect(slip('Ich bin doch nicht blöd.\nKassenbon\nSumme 12,00').value).toBeNull();
  });

  it('a salutation and name above the address on an invoice is the addressee', () => {
    expect(slip('Herr Jonas Weber\nRechnung\nSumme 12,00').value).toBeNull();
    expect(slip('Jonas Weber\nLindenweg 4\n20095 Hamburg').value).toBeNull();
  });

  it('a chain named only in passing yields to the company printed with its legal form', () => {
    expect(slip('MR. D.I.Y. (M) SDN BHD\nLOT 1851-A, JALAN KPB 6\n(TESCO EXTRA ARA DAMANSARA)\nTAX INVOICE').value).toBe(
      'MR. D.I.Y. (M) SDN BHD',
    );
  });
});
