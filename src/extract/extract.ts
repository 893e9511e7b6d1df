/** Field extraction: the text layer in, the contract's five fields plus rule-relevant facts out. */
import type { Extraction } from '../domain/extraction.js';
import type { TextLayer } from '../domain/text-layer.js';
import { extractPurchaseDate } from './date.js';
import { extractModel } from './model.js';
import { extractRetailer } from './retailer.js';
import { extractSerialAndImei } from './serial.js';
import { indexLines } from './text-spans.js';
import { hasWarrantyExtension } from './warranty-extension.js';

export function extract(layer: TextLayer): Extraction {
  const lines = indexLines(layer);
  const purchase = extractPurchaseDate(lines);
  const { serial, imei, unread } = extractSerialAndImei(lines);
  return {
    purchaseDate: purchase.field,
    retailer: extractRetailer(lines),
    model: extractModel(lines),
    serial,
    imei,
    facts: {
      extendedWarranty: hasWarrantyExtension(lines),
      otherDates: purchase.otherDates,
      textSource: layer.source,
      ...(unread.length > 0 && { unreadIdentifiers: unread }),
    },
  };
}
