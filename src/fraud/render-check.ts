import type { Extraction } from '../domain/extraction.js';
import type { KeyField, RenderCheck } from '../domain/fraud.js';
import type { TextLayer } from '../domain/text-layer.js';
import { comparableSerial } from '../extract/confusions.js';
import { editDistance } from '../extract/fuzzy.js';

const compact = (text: string) => comparableSerial(text).replace(/[^0-9A-Z./:-]/g, '');

/** Whether `needle` occurs in `hay`, allowing one OCR error in a long value. */
function occurs(needle: string, hay: string): boolean {
  if (hay.includes(needle)) return true;
  if (needle.length < 6) return false;
  for (let at = 0; at + needle.length - 1 <= hay.length; at++) {
    for (const len of [needle.length - 1, needle.length, needle.length + 1]) {
      if (editDistance(needle, hay.slice(at, at + len), 1) <= 1) return true;
    }
  }
  return false;
}

/**
 * A text-layer PDF's key values against OCR of its rendered pages. A value in the text layer that
 * the page does not show was covered or replaced: the text layer and the picture were edited apart.
 * Other dates are left out: OCR of dense two-column invoice lines garbles them too often to judge.
 */
export function renderChecks(textLayerFields: Extraction, rendered: TextLayer, renderedFields: Extraction): RenderCheck[] {
  const hay = compact(rendered.pages.flatMap((p) => p.lines.map((l) => l.text)).join(''));
  const wanted: Array<{ field: KeyField; value: string; shownAs: string | null; renderedValue: string | null }> = [];
  const date = textLayerFields.purchaseDate;
  if (date.value && date.source) wanted.push({ field: 'purchaseDate', value: date.value, shownAs: date.source, renderedValue: renderedFields.purchaseDate.value });
  for (const field of ['serial', 'imei', 'model'] as const) {
    const value = textLayerFields[field].value;
    if (value) wanted.push({ field, value, shownAs: value, renderedValue: renderedFields[field].value });
  }
  return wanted.map((w) => ({
    field: w.field,
    textLayer: w.shownAs ?? w.value,
    visible:
      (w.renderedValue !== null && comparableSerial(w.renderedValue) === comparableSerial(w.value)) ||
      (w.shownAs !== null && occurs(compact(w.shownAs), hay)),
  }));
}
