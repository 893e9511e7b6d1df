/**
 * Known European electronics retailers, marketplaces and network operators. `name` is the value
 * reported; `aliases` are spellings as printed (matched case- and diacritic-insensitively, spaces
 * and punctuation ignored). `commonWord` marks names that are also ordinary words or first names
 * ("Power", "Expert", "Otto"): those count only where a header line starts with them.
 */
export interface RetailerEntry {
  name: string;
  aliases: readonly string[];
  commonWord?: boolean;
  /** The manufacturer's own shop: rules (TV warranty extension) depend on telling it apart. */
  manufacturerShop?: boolean;
}

export const RETAILERS: readonly RetailerEntry[] = [
  {
    name: 'Samsung Shop',
    aliases: [
      'Samsung Shop',
      'Samsung Store',
      'Samsung Online Shop',
      'Samsung Experience Store',
      'shop.samsung.com',
      'Samsung Brand Store',
    ],
    manufacturerShop: true,
  },
  { name: 'MediaMarkt', aliases: ['MediaMarkt', 'Media Markt', 'Media-Markt', 'mediamarkt.de', 'MediaWorld'] },
  { name: 'Saturn', aliases: ['Saturn', 'saturn.de'], commonWord: true },
  {
    name: 'Amazon',
    aliases: [
      'Amazon',
      'amazon.de',
      'amazon.co.uk',
      'amazon.fr',
      'amazon.it',
      'amazon.es',
      'amazon.nl',
      'amazon.se',
      'amazon.pl',
      'Amazon EU',
    ],
  },
  { name: 'Otto', aliases: ['Otto', 'otto.de'], commonWord: true },
  { name: 'Cyberport', aliases: ['Cyberport'] },
  { name: 'Euronics', aliases: ['Euronics'] },
  { name: 'expert', aliases: ['expert', 'expert.de'], commonWord: true },
  { name: 'Elkjøp', aliases: ['Elkjøp', 'Elkjop', 'elkjop.no'] },
  { name: 'Elgiganten', aliases: ['Elgiganten'] },
  { name: 'Gigantti', aliases: ['Gigantti'] },
  { name: 'Power', aliases: ['Power', 'power.no', 'power.dk', 'power.fi', 'power.se'], commonWord: true },
  { name: 'Komplett', aliases: ['Komplett', 'komplett.no', 'komplett.se', 'komplett.dk'] },
  { name: 'NetOnNet', aliases: ['NetOnNet', 'Net On Net'] },
  { name: 'Verkkokauppa', aliases: ['Verkkokauppa', 'Verkkokauppa.com'] },
  { name: 'Clas Ohlson', aliases: ['Clas Ohlson'] },
  { name: 'Proshop', aliases: ['Proshop'] },
  { name: 'Fnac', aliases: ['Fnac', 'fnac.com'] },
  { name: 'Darty', aliases: ['Darty'] },
  { name: 'Boulanger', aliases: ['Boulanger'] },
  { name: 'Cdiscount', aliases: ['Cdiscount'] },
  { name: 'Currys', aliases: ['Currys', 'Currys PC World', 'PC World'] },
  { name: 'Argos', aliases: ['Argos'], commonWord: true },
  { name: 'John Lewis', aliases: ['John Lewis', 'John Lewis & Partners'] },
  { name: 'Coolblue', aliases: ['Coolblue'] },
  { name: 'Bol.com', aliases: ['bol.com'] },
  { name: 'Conrad', aliases: ['Conrad', 'Conrad Electronic'], commonWord: true },
  { name: 'notebooksbilliger', aliases: ['notebooksbilliger', 'notebooksbilliger.de', 'NBB'] },
  { name: 'Alternate', aliases: ['Alternate', 'alternate.de'], commonWord: true },
  { name: 'Galaxus', aliases: ['Galaxus', 'Digitec Galaxus', 'Digitec'] },
  { name: 'Kaufland', aliases: ['Kaufland', 'kaufland.de'] },
  { name: 'El Corte Inglés', aliases: ['El Corte Inglés'] },
  { name: 'Worten', aliases: ['Worten'] },
  { name: 'PcComponentes', aliases: ['PcComponentes'] },
  { name: 'Unieuro', aliases: ['Unieuro'] },
  { name: 'Trony', aliases: ['Trony'] },
  { name: 'RTV Euro AGD', aliases: ['RTV Euro AGD', 'euro.com.pl'] },
  { name: 'Media Expert', aliases: ['Media Expert', 'mediaexpert.pl'] },
  { name: 'x-kom', aliases: ['x-kom'] },
  { name: 'Alza', aliases: ['Alza', 'alza.cz', 'alza.de'] },
  { name: 'Electro Depot', aliases: ['Electro Depot'] },
  { name: 'Krëfel', aliases: ['Krëfel', 'Krefel'] },
  { name: 'Vanden Borre', aliases: ['Vanden Borre'] },
  { name: 'BCC', aliases: ['BCC'], commonWord: true },
  { name: 'Telekom', aliases: ['Telekom', 'Deutsche Telekom', 'telekom.de'] },
  { name: 'Vodafone', aliases: ['Vodafone'] },
  { name: 'O2', aliases: ['O2', 'Telefónica Germany'], commonWord: true },
  { name: 'Telenor', aliases: ['Telenor'] },
  { name: 'Telia', aliases: ['Telia'] },
  { name: 'Tele2', aliases: ['Tele2'] },
  { name: 'Orange', aliases: ['Orange'], commonWord: true },
  { name: 'EE', aliases: ['EE Limited'] },
  { name: 'Three', aliases: ['Three.co.uk'] },
  { name: 'A1', aliases: ['A1 Telekom'] },
  { name: 'Swisscom', aliases: ['Swisscom'] },
  { name: 'Interdiscount', aliases: ['Interdiscount'] },
  { name: 'Brack', aliases: ['Brack.ch'] },
];
