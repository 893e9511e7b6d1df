import type { Extraction } from '../domain/extraction.js';
import type { KeyField, RenderCheck } from '../domain/fraud.js';
import type { TextLayer } from '../domain/text-layer.js';

/** Characters OCR takes for one another, folded to one shape on both sides of a comparison. */
const SHAPES: Record<string, string> = {
  O: '0',
  Q: '0',
  D: '0',
  I: '1',
  L: '1',
  J: '1',
  '|': '1',
  S: '5',
  $: '5',
  B: '8',
  Z: '2',
  G: '6',
  T: '7',
  Y: '9',
};

/**
 * Upper case, no spaces, look-alike characters folded. Exact comparison after the fold: one edited
 * digit is exactly what an altered date looks like, so no edit distance is tolerated.
 */
const shape = (text: string) =>
  text
    .toUpperCase()
    .replace(/\s+/g, '')
    .replace(/[OQDILJSBZGTY|$]/g, (c) => SHAPES[c]!);

/**
 * A model code as compared on the page: in a bold face OCR reads the stroke of a slash after a
 * letter as a glyph of its own (`WD80T534DBW/S2` seen as `WD80T534DBWI/S2`), so a 1-shape right
 * before a slash is dropped on both sides. Models only: in a date, `21/11` and `2/1` would become
 * one.
 */
const modelShape = (text: string) => shape(text).replace(/1\//g, '/');

/**
 * A text-layer PDF's key values against OCR of its rendered pages. A value in the text layer that
 * the page does not show was covered or replaced: the text layer and the picture were edited apart.
 * Other dates are left out: OCR of dense two-column invoice lines garbles them too often to judge.
 */
export function renderChecks(textLayerFields: Extraction, rendered: TextLayer, renderedFields: Extraction): RenderCheck[] {
  const hay = shape(rendered.pages.flatMap((p) => p.lines.map((l) => l.text)).join(''));
  const wanted: Array<{ field: KeyField; value: string; shownAs: string | null; renderedValue: string | null }> = [];
  const date = textLayerFields.purchaseDate;
  if (date.value && date.source)
    wanted.push({ field: 'purchaseDate', value: date.value, shownAs: date.source, renderedValue: renderedFields.purchaseDate.value });
  for (const field of ['serial', 'imei', 'model'] as const) {
    const value = textLayerFields[field].value;
    if (value) wanted.push({ field, value, shownAs: value, renderedValue: renderedFields[field].value });
  }
  const modelHay = modelShape(rendered.pages.flatMap((p) => p.lines.map((l) => l.text)).join(''));
  return wanted.map((w) => ({
    field: w.field,
    textLayer: w.shownAs ?? w.value,
    visible:
      (w.renderedValue !== null && shape(w.renderedValue) === shape(w.value)) ||
      (w.shownAs !== null && hay.includes(shape(w.shownAs))) ||
      (w.field === 'model' && modelHay.includes(modelShape(w.value))),
  }));
}
