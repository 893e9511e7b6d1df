export type Language = 'de' | 'nl' | 'sv' | 'da' | 'no' | 'fi' | 'en';

/** The words a receipt prints, per language; alternatives are picked per document. */
export interface Lexicon {
  receipt: string[];
  invoice: string[];
  orderConfirmation: string[];
  date: string[];
  invoiceDate: string[];
  orderDate: string[];
  deliveryDate: string[];
  returnBy: string[];
  serial: string[];
  imei: string[];
  model: string[];
  article: string[];
  quantity: string;
  price: string;
  total: string[];
  vat: string;
  net: string;
  payment: string[];
  card: string;
  cashier: string;
  customer: string;
  customerNumber: string;
  orderNumber: string;
  invoiceNumber: string;
  receiptNumber: string;
  shipping: string;
  thanks: string[];
  returnPolicy: string;
  extension: string;
  months: string[];
  /** Date formats this country prints, most common first. */
  dateFormats: DateFormat[];
  decimal: ',' | '.';
  thousands: string;
  greeting: string;
  subjectOrder: string;
  from: string;
  to: string;
}

export type DateFormat =
  'dd.MM.yyyy' | 'dd.MM.yy' | 'd. MMMM yyyy' | 'dd-MM-yyyy' | 'd MMMM yyyy' | 'yyyy-MM-dd' | 'd.M.yyyy' | 'dd/MM/yyyy' | 'dd/MM/yy';

export const LEXICON: Record<Language, Lexicon> = {
  de: {
    receipt: ['Kassenbon', 'Kassenbeleg', 'Quittung'],
    invoice: ['Rechnung', 'Rechnung / Lieferschein'],
    orderConfirmation: ['Bestellbestätigung', 'Ihre Bestellung'],
    date: ['Datum', 'Kaufdatum'],
    invoiceDate: ['Rechnungsdatum', 'Datum'],
    orderDate: ['Bestelldatum'],
    deliveryDate: ['Lieferdatum', 'Versanddatum'],
    returnBy: ['Umtausch bis', 'Rückgabe bis'],
    serial: ['Seriennummer', 'Serien-Nr.', 'S/N'],
    imei: ['IMEI', 'IMEI-Nr.'],
    model: ['Modell', 'Typ', 'Herst.-Nr.'],
    article: ['Art.-Nr.', 'Artikel'],
    quantity: 'Menge',
    price: 'Preis',
    total: ['SUMME', 'Gesamtbetrag', 'Rechnungsbetrag', 'Zu zahlen'],
    vat: 'MwSt.',
    net: 'Netto',
    payment: ['Girocard', 'EC-Karte', 'Visa', 'PayPal', 'Bar'],
    card: 'Karte',
    cashier: 'Kasse',
    customer: 'Kunde',
    customerNumber: 'Kundennummer',
    orderNumber: 'Bestellnummer',
    invoiceNumber: 'Rechnungsnummer',
    receiptNumber: 'Beleg-Nr.',
    shipping: 'Versandkosten',
    thanks: ['Vielen Dank für Ihren Einkauf!', 'Danke für Ihren Besuch'],
    returnPolicy: 'Umtausch nur mit Kassenbon',
    extension: 'Garantieverlängerung +3 Jahre',
    months: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
    dateFormats: ['dd.MM.yyyy', 'dd.MM.yy', 'd. MMMM yyyy'],
    decimal: ',',
    thousands: '.',
    greeting: 'Hallo',
    subjectOrder: 'Ihre Bestellung',
    from: 'Von',
    to: 'An',
  },
  nl: {
    receipt: ['Kassabon', 'Bon'],
    invoice: ['Factuur'],
    orderConfirmation: ['Orderbevestiging', 'Bevestiging van je bestelling'],
    date: ['Datum', 'Aankoopdatum'],
    invoiceDate: ['Factuurdatum'],
    orderDate: ['Besteldatum'],
    deliveryDate: ['Leverdatum', 'Bezorgdatum'],
    returnBy: ['Retourneren tot'],
    serial: ['Serienummer', 'S/N'],
    imei: ['IMEI'],
    model: ['Model', 'Typenummer'],
    article: ['Artikelnr.'],
    quantity: 'Aantal',
    price: 'Prijs',
    total: ['Totaal', 'Totaalbedrag', 'Te betalen'],
    vat: 'BTW',
    net: 'Excl. BTW',
    payment: ['iDEAL', 'Pin', 'Maestro', 'Creditcard'],
    card: 'Kaart',
    cashier: 'Kassa',
    customer: 'Klant',
    customerNumber: 'Klantnummer',
    orderNumber: 'Bestelnummer',
    invoiceNumber: 'Factuurnummer',
    receiptNumber: 'Bonnr.',
    shipping: 'Verzendkosten',
    thanks: ['Bedankt voor uw aankoop!', 'Tot ziens'],
    returnPolicy: 'Ruilen alleen met kassabon',
    extension: 'Garantieverlenging +3 jaar',
    months: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    dateFormats: ['dd-MM-yyyy', 'd MMMM yyyy', 'dd/MM/yyyy'],
    decimal: ',',
    thousands: '.',
    greeting: 'Beste',
    subjectOrder: 'Je bestelling',
    from: 'Van',
    to: 'Aan',
  },
  sv: {
    receipt: ['Kvitto', 'Kassakvitto'],
    invoice: ['Faktura'],
    orderConfirmation: ['Orderbekräftelse', 'Tack för din order'],
    date: ['Datum', 'Köpdatum'],
    invoiceDate: ['Fakturadatum'],
    orderDate: ['Orderdatum'],
    deliveryDate: ['Leveransdatum'],
    returnBy: ['Öppet köp t.o.m.'],
    serial: ['Serienummer', 'Serienr', 'S/N'],
    imei: ['IMEI'],
    model: ['Modell', 'Art.nr tillv.'],
    article: ['Art.nr'],
    quantity: 'Antal',
    price: 'Pris',
    total: ['Totalt', 'Att betala', 'Summa'],
    vat: 'Moms',
    net: 'Exkl. moms',
    payment: ['Kort', 'Swish', 'Klarna', 'Visa'],
    card: 'Kort',
    cashier: 'Kassa',
    customer: 'Kund',
    customerNumber: 'Kundnummer',
    orderNumber: 'Ordernummer',
    invoiceNumber: 'Fakturanummer',
    receiptNumber: 'Kvittonr',
    shipping: 'Frakt',
    thanks: ['Tack för ditt köp!', 'Välkommen åter'],
    returnPolicy: 'Spara kvittot',
    extension: 'Förlängd garanti +3 år',
    months: ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'],
    dateFormats: ['yyyy-MM-dd', 'd MMMM yyyy'],
    decimal: ',',
    thousands: ' ',
    greeting: 'Hej',
    subjectOrder: 'Din order',
    from: 'Från',
    to: 'Till',
  },
  da: {
    receipt: ['Kvittering', 'Kasse-bon'],
    invoice: ['Faktura'],
    orderConfirmation: ['Ordrebekræftelse'],
    date: ['Dato', 'Købsdato'],
    invoiceDate: ['Fakturadato'],
    orderDate: ['Ordredato'],
    deliveryDate: ['Leveringsdato'],
    returnBy: ['Bytteret til'],
    serial: ['Serienummer', 'Serienr.'],
    imei: ['IMEI'],
    model: ['Model', 'Varenr. producent'],
    article: ['Varenr.'],
    quantity: 'Antal',
    price: 'Pris',
    total: ['I alt', 'Total', 'At betale'],
    vat: 'Moms',
    net: 'Ekskl. moms',
    payment: ['Dankort', 'MobilePay', 'Visa'],
    card: 'Kort',
    cashier: 'Kasse',
    customer: 'Kunde',
    customerNumber: 'Kundenummer',
    orderNumber: 'Ordrenummer',
    invoiceNumber: 'Fakturanummer',
    receiptNumber: 'Bon nr.',
    shipping: 'Fragt',
    thanks: ['Tak for dit køb!', 'På gensyn'],
    returnPolicy: 'Husk kvitteringen ved ombytning',
    extension: 'Udvidet garanti +3 år',
    months: ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'],
    dateFormats: ['dd.MM.yyyy', 'dd-MM-yyyy', 'd. MMMM yyyy'],
    decimal: ',',
    thousands: '.',
    greeting: 'Hej',
    subjectOrder: 'Din ordre',
    from: 'Fra',
    to: 'Til',
  },
  no: {
    receipt: ['Kvittering', 'Salgskvittering'],
    invoice: ['Faktura'],
    orderConfirmation: ['Ordrebekreftelse'],
    date: ['Dato', 'Kjøpsdato'],
    invoiceDate: ['Fakturadato'],
    orderDate: ['Ordredato'],
    deliveryDate: ['Leveringsdato'],
    returnBy: ['Åpent kjøp til'],
    serial: ['Serienummer', 'Serienr.'],
    imei: ['IMEI'],
    model: ['Modell', 'Produsentens varenr.'],
    article: ['Varenr.'],
    quantity: 'Antall',
    price: 'Pris',
    total: ['Totalt', 'Å betale', 'Sum'],
    vat: 'MVA',
    net: 'Eks. mva',
    payment: ['BankAxept', 'Vipps', 'Visa'],
    card: 'Kort',
    cashier: 'Kasse',
    customer: 'Kunde',
    customerNumber: 'Kundenummer',
    orderNumber: 'Ordrenummer',
    invoiceNumber: 'Fakturanummer',
    receiptNumber: 'Kvitt.nr.',
    shipping: 'Frakt',
    thanks: ['Takk for handelen!', 'Velkommen igjen'],
    returnPolicy: 'Ta vare på kvitteringen',
    extension: 'Utvidet garanti +3 år',
    months: ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'],
    dateFormats: ['dd.MM.yyyy', 'd. MMMM yyyy', 'dd.MM.yy'],
    decimal: ',',
    thousands: ' ',
    greeting: 'Hei',
    subjectOrder: 'Din ordre',
    from: 'Fra',
    to: 'Til',
  },
  fi: {
    receipt: ['Kuitti', 'Myyntikuitti'],
    invoice: ['Lasku'],
    orderConfirmation: ['Tilausvahvistus'],
    date: ['Päivämäärä', 'Pvm', 'Ostopäivä'],
    invoiceDate: ['Laskun päivämäärä', 'Laskupäivä'],
    orderDate: ['Tilauspäivä'],
    deliveryDate: ['Toimituspäivä'],
    returnBy: ['Palautusoikeus asti'],
    serial: ['Sarjanumero', 'Sarjanro'],
    imei: ['IMEI'],
    model: ['Malli', 'Valmistajan koodi'],
    article: ['Tuotenro'],
    quantity: 'Määrä',
    price: 'Hinta',
    total: ['Yhteensä', 'Maksettava', 'Summa'],
    vat: 'ALV',
    net: 'Veroton',
    payment: ['Pankkikortti', 'MobilePay', 'Visa'],
    card: 'Kortti',
    cashier: 'Kassa',
    customer: 'Asiakas',
    customerNumber: 'Asiakasnumero',
    orderNumber: 'Tilausnumero',
    invoiceNumber: 'Laskun numero',
    receiptNumber: 'Kuitti nro',
    shipping: 'Toimituskulut',
    thanks: ['Kiitos ostoksestasi!', 'Tervetuloa uudelleen'],
    returnPolicy: 'Säilytä kuitti',
    extension: 'Lisätakuu +3 vuotta',
    months: [
      'tammikuuta',
      'helmikuuta',
      'maaliskuuta',
      'huhtikuuta',
      'toukokuuta',
      'kesäkuuta',
      'heinäkuuta',
      'elokuuta',
      'syyskuuta',
      'lokakuuta',
      'marraskuuta',
      'joulukuuta',
    ],
    dateFormats: ['d.M.yyyy', 'dd.MM.yyyy', 'd. MMMM yyyy'],
    decimal: ',',
    thousands: ' ',
    greeting: 'Hei',
    subjectOrder: 'Tilauksesi',
    from: 'Lähettäjä',
    to: 'Vastaanottaja',
  },
  en: {
    receipt: ['Receipt', 'Sales Receipt'],
    invoice: ['Invoice', 'VAT Invoice', 'Tax Invoice'],
    orderConfirmation: ['Order Confirmation', 'Thanks for your order'],
    date: ['Date', 'Purchase date'],
    invoiceDate: ['Invoice date', 'Date'],
    orderDate: ['Order date'],
    deliveryDate: ['Delivery date', 'Dispatched'],
    returnBy: ['Return by'],
    serial: ['Serial No.', 'Serial number', 'S/N'],
    imei: ['IMEI'],
    model: ['Model', 'Model no.'],
    article: ['Item no.', 'SKU'],
    quantity: 'Qty',
    price: 'Price',
    total: ['Total', 'Amount due', 'Total paid'],
    vat: 'VAT',
    net: 'Net',
    payment: ['Visa', 'Mastercard', 'Debit card', 'PayPal'],
    card: 'Card',
    cashier: 'Till',
    customer: 'Customer',
    customerNumber: 'Customer no.',
    orderNumber: 'Order number',
    invoiceNumber: 'Invoice number',
    receiptNumber: 'Receipt no.',
    shipping: 'Delivery',
    thanks: ['Thank you for shopping with us!', 'Please retain this receipt'],
    returnPolicy: 'Keep your receipt as proof of purchase',
    extension: 'Extended warranty +3 years',
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    dateFormats: ['dd/MM/yyyy', 'd MMMM yyyy', 'dd/MM/yy'],
    decimal: '.',
    thousands: ',',
    greeting: 'Hi',
    subjectOrder: 'Your order',
    from: 'From',
    to: 'To',
  },
};

/** An ISO date printed in `format`. */
export function formatDate(iso: string, format: DateFormat, language: Language): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  const month = LEXICON[language].months[Number(m) - 1]!;
  switch (format) {
    case 'dd.MM.yyyy':
      return `${d}.${m}.${y}`;
    case 'dd.MM.yy':
      return `${d}.${m}.${y.slice(2)}`;
    case 'd. MMMM yyyy':
      return `${Number(d)}. ${month} ${y}`;
    case 'dd-MM-yyyy':
      return `${d}-${m}-${y}`;
    case 'd MMMM yyyy':
      return `${Number(d)} ${month} ${y}`;
    case 'yyyy-MM-dd':
      return iso;
    case 'd.M.yyyy':
      return `${Number(d)}.${Number(m)}.${y}`;
    case 'dd/MM/yyyy':
      return `${d}/${m}/${y}`;
    case 'dd/MM/yy':
      return `${d}/${m}/${y.slice(2)}`;
  }
}

/** An amount with the language's decimal mark and thousands separator: 1.299,00 / 1 299,00 / 1,299.00. */
export function formatMoney(amount: number, language: Language): string {
  const { decimal, thousands } = LEXICON[language];
  const [whole, cents] = amount.toFixed(2).split('.') as [string, string];
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, thousands)}${decimal}${cents}`;
}
