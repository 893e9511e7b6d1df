/**
 * Links matches in a line's text back to the words they came from, so every field can report the
 * OCR confidence of its source words and where on the page they are.
 */
import type { Field } from '../domain/extraction.js';
import { unionBox, type Line, type TextLayer, type Word } from '../domain/text-layer.js';

/** One line with its page number and its index in reading order over the whole document. */
export interface IndexedLine {
  page: number;
  index: number;
  text: string;
  line: Line;
}

export function indexLines(layer: TextLayer): IndexedLine[] {
  const out: IndexedLine[] = [];
  for (const page of layer.pages) {
    for (const line of page.lines) out.push({ page: page.number, index: out.length, text: line.text, line });
  }
  return out;
}

/** A stretch of one line's text: [start, end) character offsets. */
export interface Span {
  line: IndexedLine;
  start: number;
  end: number;
}

/** The words of a line that overlap a character span (words are located in the text in order). */
function wordsInSpan(span: Span): Word[] {
  const { text, line } = span.line;
  const hits: Word[] = [];
  let cursor = 0;
  for (const word of line.words) {
    const at = text.indexOf(word.text, cursor);
    if (at < 0) continue;
    cursor = at + word.text.length;
    if (at < span.end && cursor > span.start) hits.push(word);
  }
  return hits;
}

/** Mean OCR confidence of the words behind the spans; the line's confidence when none line up. */
export function ocrConfidence(spans: Span[]): number {
  const words = spans.flatMap(wordsInSpan);
  if (words.length === 0) {
    const lines = spans.map((s) => s.line.line.confidence);
    return lines.length ? Math.min(...lines) : 0;
  }
  return words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
}

/** Page and union box of the source words (spans on the first span's page); null without boxes. */
export function locate(spans: Span[]): Field['location'] {
  const first = spans[0];
  if (!first) return null;
  const onPage = spans.filter((s) => s.line.page === first.line.page);
  const wordBoxes = onPage.flatMap(wordsInSpan).flatMap((w) => (w.box ? [w.box] : []));
  const box = unionBox(wordBoxes.length ? wordBoxes : onPage.flatMap((s) => (s.line.line.box ? [s.line.line.box] : [])));
  return box ? { page: first.line.page, box } : null;
}

/** A filled field: confidence = OCR confidence of the source words × how sure the parser is. */
export function fieldFrom(value: string, source: string, spans: Span[], certainty: number): Field {
  const confidence = Math.max(0, Math.min(1, ocrConfidence(spans) * certainty));
  return { value, confidence: Math.round(confidence * 1000) / 1000, source, location: locate(spans) };
}

/** Lower case without diacritics (ø→o, æ→ae, ß→ss), for matching labels and names across languages. */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/[øö]/g, 'o')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}
