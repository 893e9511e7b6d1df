import type { Product } from './catalogue.js';
import { formatDate, formatMoney, LEXICON, type DateFormat, type Language } from './languages.js';
import type { SeededRandom } from '../lib/random.js';
import type { Country, Retailer } from './retailers.js';

/** What one proof of purchase says, before any layout: the layouts arrange it, each in its own way. */
export interface ReceiptContent {
  retailer: Retailer;
  language: Language;
  title: string;
  storeLines: string[];
  meta: Array<[string, string]>;
  customer: string[] | null;
  items: ReceiptItem[];
  totals: Array<[string, string]>;
  total: [string, string];
  payment: [string, string] | null;
  footer: string[];
  /** The purchase date as printed, or null when the document prints no date at all. */
  dateText: string | null;
  dateFormat: DateFormat;
  currency: string;
}

export interface ReceiptItem {
  description: string;
  details: string[];
  quantity: number;
  amount: string;
}

/** What the receipt must show about the Samsung unit (the truth's `receipt.*`). */
export interface PrintedFacts {
  purchaseDate: string | null;
  model: string | null;
  serial: string | null;
  imei: string | null;
  extension: boolean;
}

const VAT_RATE: Record<Country, number> = { DE: 19, AT: 20, CH: 8.1, NL: 21, BE: 21, SE: 25, NO: 25, DK: 25, FI: 25.5, IE: 23 };
const PER_EURO: Record<Retailer['currency'], number> = { EUR: 1, SEK: 11.5, NOK: 11.7, DKK: 7.46, CHF: 0.95 };

const STREETS: Record<Language, string[]> = {
  de: ['Bahnhofstraße', 'Hauptstraße', 'Industriestraße', 'Am Einkaufszentrum', 'Königsallee'],
  nl: ['Stationsplein', 'Hoofdstraat', 'Kerkstraat', 'Marktplein'],
  sv: ['Storgatan', 'Drottninggatan', 'Kungsgatan', 'Industrivägen'],
  da: ['Vestergade', 'Nørregade', 'Strøget', 'Industrivej'],
  no: ['Storgata', 'Kirkegata', 'Strandveien', 'Industriveien'],
  fi: ['Mannerheimintie', 'Hämeenkatu', 'Kauppakatu', 'Teollisuustie'],
  en: ['Main Street', "O'Connell Street", 'Grafton Street', 'Retail Park'],
};
const CUSTOMERS: Record<Language, string[]> = {
  de: ['Jana Krüger', 'Markus Weber', 'Lena Hoffmann', 'Tobias Schäfer', 'Sabine Wolff'],
  nl: ['Sanne de Vries', 'Daan Jansen', 'Lotte Bakker', 'Bram Visser'],
  sv: ['Emma Lindqvist', 'Oskar Nilsson', 'Maja Berg', 'Erik Holm'],
  da: ['Freja Madsen', 'Mads Kjær', 'Ida Sørensen', 'Rasmus Holm'],
  no: ['Ingrid Bakken', 'Henrik Dahl', 'Sofie Lie', 'Magnus Strand'],
  fi: ['Aino Virtanen', 'Eero Mäkinen', 'Sanna Koskinen', 'Juha Heikkinen'],
  en: ["Aoife O'Brien", 'Cian Murphy', 'Niamh Walsh', 'Sean Byrne'],
};
const ACCESSORIES = [
  { name: 'USB-C cable 1m', price: 12.99 },
  { name: 'Screen Protector', price: 19.99 },
  { name: 'Silicone Case', price: 24.99 },
  { name: 'HDMI 2.1 cable 2m', price: 17.99 },
  { name: 'EP-TA800 25W adapter', price: 19.9 },
  { name: 'Clean kit', price: 9.99 },
];

export interface ContentOptions {
  layout: 'slip' | 'invoice' | 'order' | 'email' | 'app';
  product: Product;
  retailer: Retailer;
  facts: PrintedFacts;
  city: string;
}

/** The receipt's text: the Samsung item with what `facts` says it shows, other items, totals, numbers. */
export function receiptContent(rng: SeededRandom, options: ContentOptions): ReceiptContent {
  const { product, retailer, facts, layout } = options;
  const language = retailer.language;
  const words = LEXICON[language];
  const dateFormat = rng.pick(words.dateFormats);
  const date = (iso: string) => formatDate(iso, dateFormat, language);
  const money = (eur: number) => formatMoney(Math.round(eur * PER_EURO[retailer.currency] * 100) / 100, language);
  const dateText = facts.purchaseDate ? date(facts.purchaseDate) : null;

  const samsungPrice = product.price * rng.range(0.85, 1.05);
  const items: ReceiptItem[] = [{ ...samsungItem(rng, options, language), quantity: 1, amount: money(samsungPrice) }];
  if (facts.extension) items.push({ description: `Samsung Care+ ${words.extension}`, details: [], quantity: 1, amount: money(99) });
  let sum = samsungPrice + (facts.extension ? 99 : 0);
  for (let i = rng.int(0, 2); i > 0; i--) {
    const accessory = rng.pick(ACCESSORIES);
    items.push({
      description: accessory.name,
      details: [`${rng.pick(words.article)} ${rng.digits(7)}`],
      quantity: 1,
      amount: money(accessory.price),
    });
    sum += accessory.price;
  }

  const rate = VAT_RATE[retailer.country];
  const net = sum / (1 + rate / 100);
  const totalLabel = rng.pick(words.total);
  const currency = retailer.currency;
  const meta: Array<[string, string]> = [];
  const time = `${String(rng.int(9, 19)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
  const receiptNumber = `${rng.digits(4)}-${rng.digits(4)}`;
  switch (layout) {
    case 'slip':
      if (dateText) meta.push([rng.pick(words.date), `${dateText}  ${time}`]);
      meta.push([words.receiptNumber, receiptNumber], [words.cashier, String(rng.int(1, 12))]);
      break;
    case 'invoice':
      meta.push([words.invoiceNumber, `${rng.pick(['R', 'INV', ''])}${rng.digits(9)}`]);
      if (dateText) meta.push([rng.pick(words.invoiceDate), dateText]);
      meta.push([words.customerNumber, rng.digits(8)], [words.orderNumber, rng.digits(10)]);
      if (facts.purchaseDate && rng.chance(0.4))
        meta.push([rng.pick(words.deliveryDate), date(addDays(facts.purchaseDate, rng.int(1, 4)))]);
      break;
    case 'order':
    case 'email':
    case 'app':
      meta.push([words.orderNumber, `${rng.digits(3)}-${rng.digits(7)}-${rng.digits(7)}`]);
      if (dateText) meta.push([rng.pick(words.orderDate), dateText]);
      break;
  }

  const footer: string[] = [];
  if (layout === 'slip') {
    if (facts.purchaseDate && rng.chance(0.5))
      footer.push(`${rng.pick(words.returnBy)} ${date(addDays(facts.purchaseDate, rng.pick([14, 30])))}`);
    footer.push(words.returnPolicy);
    if (retailer.country === 'DE' && facts.purchaseDate)
      footer.push(`TSE-Seriennummer: ${rng.chars(24, '0123456789abcdef')}`, `TSE-Start: ${facts.purchaseDate}T${time}:12`);
  }
  footer.push(rng.pick(words.thanks));
  footer.push(`${retailer.legalEntity} · ${retailer.web}`);

  const street = `${rng.pick(STREETS[language])} ${rng.int(1, 180)}`;
  return {
    retailer,
    language,
    title: rng.pick(layout === 'slip' ? words.receipt : layout === 'invoice' ? words.invoice : words.orderConfirmation),
    storeLines: [
      layout === 'slip' ? `${retailer.name} ${options.city}` : retailer.legalEntity,
      `${street}, ${rng.digits(4)} ${options.city}`,
      `${vatId(rng, retailer.country)}`,
    ],
    meta,
    customer:
      layout === 'slip'
        ? null
        : [rng.pick(CUSTOMERS[language]), `${rng.pick(STREETS[language])} ${rng.int(1, 90)}`, `${rng.digits(5)} ${options.city}`],
    items,
    totals: [
      [`${words.net}`, money(net)],
      [`${words.vat} ${String(rate).replace('.', words.decimal)}%`, money(sum - net)],
    ],
    total: [layout === 'slip' ? `${totalLabel} ${currency}` : totalLabel, `${money(sum)} ${layout === 'slip' ? '' : currency}`.trim()],
    payment: layout === 'slip' || rng.chance(0.6) ? [rng.pick(words.payment), money(sum)] : null,
    footer,
    dateText,
    dateFormat,
    currency,
  };
}

/** The Samsung line: its name, and model, serial and IMEI in one of the ways shops print them. */
function samsungItem(rng: SeededRandom, { product, facts }: ContentOptions, language: Language): Omit<ReceiptItem, 'quantity' | 'amount'> {
  const words = LEXICON[language];
  const details: string[] = [];
  let description = `Samsung ${product.name}`;
  if (facts.model) {
    if (rng.chance(0.35)) description = `${description} ${facts.model}`;
    else details.push(`${rng.pick(words.model)}: ${facts.model}`);
  }
  if (facts.imei) details.push(`${rng.pick(words.imei)}: ${facts.imei}`);
  if (facts.serial) details.push(`${rng.pick(words.serial)}${rng.pick([': ', ' ', ': '])}${facts.serial}`);
  details.push(`EAN ${rng.pick(['8806', '8801'])}${rng.digits(9)}`);
  return { description, details };
}

function vatId(rng: SeededRandom, country: Country): string {
  switch (country) {
    case 'DE':
      return `USt-IdNr. DE${rng.digits(9)}`;
    case 'AT':
      return `UID ATU${rng.digits(8)}`;
    case 'CH':
      return `MWST CHE-${rng.digits(3)}.${rng.digits(3)}.${rng.digits(3)}`;
    case 'NL':
      return `BTW NL${rng.digits(9)}B01`;
    case 'BE':
      return `BTW BE0${rng.digits(9)}`;
    case 'SE':
      return `Org.nr ${rng.digits(6)}-${rng.digits(4)}`;
    case 'NO':
      return `Org.nr. ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(3)} MVA`;
    case 'DK':
      return `CVR ${rng.digits(8)}`;
    case 'FI':
      return `Y-tunnus ${rng.digits(7)}-${rng.digits(1)}`;
    case 'IE':
      return `VAT IE${rng.digits(7)}W`;
  }
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
