import type { PlacedText } from '../documents/pdf-document.js';
import { textLayerFromText, unionBox, type Box, type Page, type Word } from '../domain/text-layer.js';

/**
 * A PDF text-layer page as the read-text stage gives it: lines and words exactly as the text layer
 * reads (so extraction sees the text it always saw), each word boxed where the page prints it, on
 * the page as drawn. Words are found in the printed characters in reading order; a word the
 * placement does not hold keeps no box. Without a placement the page has no boxes at all.
 */
export function textLayerPage(number: number, text: string, placed: PlacedText | null): Page {
  const page: Page = { ...textLayerFromText([text]).pages[0]!, number };
  if (!placed) return page;
  // The printed characters as one string, and for each of its code units the character it belongs to.
  const printed = placed.glyphs.map((g) => g.char).join('');
  const glyphAt = placed.glyphs.flatMap((g, i) => Array.from(g.char, () => i));
  let cursor = 0;
  const boxed = (word: Word): Word => {
    let at = printed.indexOf(word.text, cursor);
    if (at >= 0) cursor = at + word.text.length;
    // A word printed earlier than the text layer reads it (a column drawn after its neighbour).
    else at = printed.indexOf(word.text);
    if (at < 0) return word;
    const glyphs = placed.glyphs.slice(glyphAt[at], glyphAt[at + word.text.length - 1]! + 1);
    // A glyph pdf.js could not measure (a font without metrics gives NaN) places nothing: stored as
    // JSON its NaN would become null, and the stored layer would no longer parse.
    const measured = glyphs.flatMap((g) => (g.box.every(Number.isFinite) ? [g.box] : []));
    // A tenth of a pixel is finer than any highlight needs, and keeps the stored text layer small.
    const box = unionBox(measured);
    return { ...word, box: box && (box.map((n) => Math.round(n * 10) / 10) as Box) };
  };
  const lines = page.lines.map((line) => {
    const words = line.words.map(boxed);
    return { ...line, box: unionBox(words.flatMap((w) => (w.box ? [w.box] : []))), words };
  });
  return { ...page, source: 'pdf-text', width: placed.width, height: placed.height, lines };
}
