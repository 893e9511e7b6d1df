import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

/** What a test receipt prints; a field left out is not printed. */
export interface PrintedReceipt {
  /** ISO date, printed as DD.MM.YYYY. */
  purchaseDate?: string;
  model?: string;
  imei?: string;
  serial?: string;
  /** Varies the receipt's number, so two receipts of one purchase are different files. */
  receiptNumber?: string;
}

/**
 * A one-page text-layer PDF receipt from a German MediaMarkt printing these fields: read from its
 * text layer, so a test of more documents per claim needs no photo OCR.
 */
export async function textReceipt(printed: PrintedReceipt): Promise<Uint8Array> {
  const [y, m, d] = (printed.purchaseDate ?? '').split('-');
  return textPdf([
    'MediaMarkt E-Business GmbH',
    'Wankelstrasse 5, 85046 Ingolstadt',
    `Rechnung Nr. ${printed.receiptNumber ?? '4417 0093 1181'}`,
    ...(printed.purchaseDate ? [`Rechnungsdatum: ${d}.${m}.${y}`] : []),
    ...(printed.model ? [`Samsung Galaxy S24 ${printed.model} 899,00 EUR`] : ['Samsung Galaxy S24 899,00 EUR']),
    ...(printed.imei ? [`IMEI: ${printed.imei}`] : []),
    ...(printed.serial ? [`Seriennummer: ${printed.serial}`] : []),
    'Summe inkl. MwSt. 899,00 EUR',
  ]);
}

async function textPdf(lines: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  lines.forEach((text, i) => page.drawText(text, { x: 60, y: 760 - i * 28, size: 14, font, color: rgb(0, 0, 0) }));
  return pdf.save();
}
