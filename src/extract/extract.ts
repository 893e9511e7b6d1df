/** Field extraction: the text layer in, the contract's five fields plus rule-relevant facts out. */
import type { Extraction } from '../domain/extraction.js';
import type { TextLayer } from '../domain/text-layer.js';
import { barcodeFields, preferBarcode } from './barcode-identifiers.js';
import { extractPurchaseDate } from './date.js';
import { extractModel } from './model.js';
import { extractRetailer } from './retailer.js';
import { extractSerialAndImei } from './serial.js';
import { indexLines } from './text-spans.js';
import { hasWarrantyExtension } from './warranty-extension.js';

export function extract(layer: TextLayer): Extraction {
  const lines = indexLines(layer);
  const purchase = extractPurchaseDate(lines);
  const printed = extractSerialAndImei(lines);
  // A decoded barcode's serial, IMEI or model is preferred over the text OCR read beside it.
  const decoded = barcodeFields(layer.barcodes ?? []);
  const serial = preferBarcode('serial', printed.serial, decoded.serial ?? []);
  const imei = preferBarcode('imei', printed.imei, decoded.imei ?? []);
  const unread = printed.unread.filter((u) => !decoded[u.kind]);
  const printedModel = extractModel(lines);
  const model = preferBarcode('model', printedModel.model, decoded.model ?? []);
  return {
    purchaseDate: purchase.field,
    retailer: extractRetailer(lines),
    model,
    serial,
    imei,
    facts: {
      extendedWarranty: hasWarrantyExtension(lines),
      otherDates: purchase.otherDates,
      textSource: layer.source,
      ...(unread.length > 0 && { unreadIdentifiers: unread }),
      ...(printedModel.unread && model.value === null && { unreadModel: printedModel.unread }),
      ...largestPrint(layer),
    },
  };
}

/**
 * The page with the largest print: a field missing from a document some page of which is printed
 * large enough to read was not lost to the picture's resolution.
 */
function largestPrint(layer: TextLayer): Pick<Extraction['facts'], 'textSize'> {
  const measured = layer.pages.flatMap((page) => (page.textSize ? [{ page: page.number, ...page.textSize }] : []));
  if (measured.length === 0) return {};
  return { textSize: measured.reduce((a, b) => (b.xHeight > a.xHeight ? b : a)) };
}
