#!/usr/bin/env node
/**
 * `npm run bench:barcodes -- [<folder>] [--limit N]`: what barcode decoding adds to the read stage,
 * per page, on real documents (default: the dev claims' receipts): the pages are prepared as the
 * pipeline prepares them, then only `documentBarcodes` is timed. Prints p50/p90/max per page and
 * the barcodes found. The OCR of the same page takes seconds; this is what a receipt without any
 * barcode pays on top.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { documentBarcodes } from '../../src/barcodes/page-barcodes.js';
import { PdfDocument } from '../../src/documents/pdf-document.js';
import { documentPages } from '../../src/documents/document-pages.js';
import { normaliseDocument } from '../../src/imaging/normalise-document.js';
import { intakeDocument } from '../../src/intake/intake.js';
import { inspectPdf } from '../../src/intake/pdf-inspection.js';
import { runTool, configFrom, SETTINGS_OPTIONS, SETTINGS_USAGE, wholeNumber } from '../lib/command.js';

const USAGE = `Usage: npm run bench:barcodes -- [<folder>] [--limit N]

Barcode decoding time per page (the read stage's share beyond OCR) on the receipts in <folder>
(default ../shared/datasets/claims-dev/files), and the barcodes found.

  --limit <n>          only the first n files (in name order)
${SETTINGS_USAGE}`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

runTool('bench:barcodes', USAGE, async () => {
  const { values, positionals } = parseArgs({ options: { ...SETTINGS_OPTIONS, limit: { type: 'string' } }, allowPositionals: true });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const { limits } = configFrom(values);
  const folder = positionals[0] ?? '../shared/datasets/claims-dev/files';
  const limit = wholeNumber(values.limit, '--limit', 'files');
  const files = (await readdir(folder))
    .filter((f) => /\.(pdf|jpe?g|png)$/i.test(f))
    .sort()
    .slice(0, limit ?? Infinity);
  const perPage: number[] = [];
  const found: string[] = [];
  let refused = 0;
  for (const file of files) {
    const bytes = new Uint8Array(await readFile(path.join(folder, file)));
    const opened: { pdf: PdfDocument | null } = { pdf: null };
    try {
      const doc = await intakeDocument(bytes, limits, async (pdfBytes, pdfLimits) => {
        opened.pdf = await PdfDocument.open(pdfBytes, pdfLimits.maxPixels);
        return inspectPdf(opened.pdf, pdfBytes, pdfLimits);
      });
      const pages = await normaliseDocument(await documentPages(doc, bytes, opened.pdf), limits);
      const started = performance.now();
      const barcodes = await documentBarcodes(pages, limits.maxPixels);
      const each = (performance.now() - started) / pages.length;
      for (const _page of pages) perPage.push(each);
      found.push(...barcodes.map((b) => `${file} p${b.page}: ${b.format} ${JSON.stringify(b.text)}`));
    } catch {
      refused++; // refused at the door or by the quality gate: never reaches the read stage
    } finally {
      await opened.pdf?.destroy();
    }
  }
  perPage.sort((a, b) => a - b);
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  process.stdout.write(
    `${files.length} files from ${folder}, ${perPage.length} pages decoded (${refused} files refused before reading)\n` +
      (perPage.length > 0
        ? `barcode decoding per page: p50 ${ms(percentile(perPage, 0.5))}, p90 ${ms(percentile(perPage, 0.9))}, max ${ms(perPage.at(-1)!)}\n`
        : '') +
      `barcodes found: ${found.length}\n${found.map((f) => `  ${f}\n`).join('')}`,
  );
});
