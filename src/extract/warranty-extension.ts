/**
 * Whether the receipt sells a warranty extension (the TV rule needs it). Mentions of the warranty
 * itself ("Kaufbeleg / Garantienachweis", "garantibevis") are not an extension.
 */
import { fold, type IndexedLine } from './text-spans.js';

const EXTENSION = new RegExp(
  [
    String.raw`garanti[e]?\s?-?\s?verl[a]ngerung`,
    String.raw`garantie\s?plus`,
    String.raw`\+\s?\d\s?(jahre|years|ar|aar|ans|anos|anni|jaar)\b.*(garanti|warrant)`,
    String.raw`(garanti|warranty)\w*\s*\+\s?\d\s?(jahre|years|ar|ans|anni|jaar)\b`,
    String.raw`extended\s?warranty`,
    String.raw`warranty\s?extension`,
    String.raw`(utvidet|forlenget|forlaenget|forlangd|udvidet)\s?garanti`,
    String.raw`garantiforlengelse|garantiforlaengelse|garantiforlangning`,
    String.raw`extension\s?de\s?garantie|garantie\s?(etendue|prolongee)`,
    String.raw`garanzia\s?(estesa|aggiuntiva)|estensione\s?(di\s?)?garanzia`,
    String.raw`(verlengde|extra)\s?garantie|garantieverlenging`,
    String.raw`(ampliacion|extension)\s?de\s?garantia|garantia\s?(extendida|alargada)`,
  ].join('|'),
);

export function hasWarrantyExtension(lines: IndexedLine[]): boolean {
  return lines.some((line) => EXTENSION.test(fold(line.text)));
}
