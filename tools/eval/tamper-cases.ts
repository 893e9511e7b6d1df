/**
 * Fraud cases made from a claims dataset's clean receipts, with other tools and methods than the
 * dataset's own edits: re-photographed copies, a serial claimed twice, dates retyped in another
 * font, digits cloned from elsewhere on the slip, text-layer PDFs patched with pdf-lib and their
 * metadata left as it was. Written to a scratch folder at evaluation time; nothing is committed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Box, Page } from '../../src/domain/text-layer.js';
import { jpegQuality } from '../../src/fraud/jpeg-quality.js';
import { sniffType } from '../../src/intake/sniff.js';
import { PDF_RENDER_WIDTH, withPdfDocument } from '../../src/documents/pdf-document.js';
import type { TesseractEngine } from '../../src/ocr/tesseract-engine.js';

/** The truth keys the generator reads and writes (see the dataset README). */
export interface CaseTruth {
  claimId: string;
  file: string;
  scenario?: string;
  receipt: Record<string, string | null>;
  expected: { status: string; flags: string[] };
  doc?: { mode?: string; dateText?: string };
  product?: { serial?: string | null; imei?: string | null };
  tamper?: unknown;
  duplicateOf?: string;
  duplicateSerialOf?: string;
}

interface Claim {
  line: Record<string, unknown>;
  truth: CaseTruth;
}

/** The year inside a printed date, moved one year on: the typical edit that revives an expired claim. */
function laterYear(text: string): string | null {
  const m = /(\d{4}|\d{2})(?!.*\d)/.exec(text);
  if (!m) return null;
  const next = String(Number(m[1]) + 1).padStart(m[1]!.length, '0');
  return text.slice(0, m.index) + next + text.slice(m.index + m[1]!.length);
}

const compact = (s: string) => s.replace(/\s+/g, '').toUpperCase();

/**
 * Every OCR word that holds the printed date's year (invoices repeat the date as order and invoice
 * date: a forger edits them all), on a page read from the original pixels.
 */
function yearWords(page: Page, dateText: string): Array<{ text: string; box: Box }> {
  const year = /(\d{4}|\d{2})(?!.*\d)/.exec(dateText)?.[1];
  const parts = dateText.split(/\s+/);
  const found: Array<{ text: string; box: Box }> = [];
  for (const line of page.lines) {
    line.words.forEach((_, i) => {
      if (!parts.every((p, k) => compact(line.words[i + k]?.text ?? '') === compact(p))) return;
      const word = line.words.slice(i, i + parts.length).find((w) => year !== undefined && w.text.includes(year));
      if (word?.box) found.push({ text: word.text, box: word.box });
    });
  }
  return found;
}

async function grayStats(image: Buffer, box: Box): Promise<number> {
  const { data } = await sharp(image)
    .extract({ left: box[0], top: box[1], width: box[2] - box[0], height: box[3] - box[1] })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sorted = [...data].sort((a, b) => a - b);
  return sorted[Math.floor(0.8 * sorted.length)]!;
}

function clampBox(box: Box, width: number, height: number): Box {
  return [
    Math.max(0, Math.round(box[0])),
    Math.max(0, Math.round(box[1])),
    Math.min(width, Math.round(box[2])),
    Math.min(height, Math.round(box[3])),
  ];
}

/** Retyped: the word painted over in the paper's shade and typed again in a sans font; with the box painted over. */
async function retype(image: Buffer, word: { text: string; box: Box }, newText: string): Promise<{ image: Buffer; box: Box }> {
  const meta = await sharp(image).metadata();
  const h = word.box[3] - word.box[1];
  const cover = clampBox([word.box[0] - 3, word.box[1] - 3, word.box[2] + 3, word.box[3] + 3], meta.width, meta.height);
  const paper = await grayStats(image, clampBox([cover[0] - h, cover[1] - h, cover[2] + h, cover[1]], meta.width, meta.height));
  const ink = 40;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${meta.width}" height="${meta.height}">
<rect x="${cover[0]}" y="${cover[1]}" width="${cover[2] - cover[0]}" height="${cover[3] - cover[1]}" fill="rgb(${paper},${paper},${paper})"/>
<text x="${word.box[0]}" y="${word.box[3]}" font-family="DejaVu Sans" font-size="${Math.round(h * 1.3)}" fill="rgb(${ink},${ink},${ink})">${newText}</text></svg>`;
  const edited = await sharp(image)
    .composite([{ input: Buffer.from(svg) }])
    .toBuffer();
  return { image: edited, box: cover };
}

/** Cloned: the date's last digit overwritten with a digit cut from another number on the same slip; with the box overwritten. */
async function cloneDigit(image: Buffer, page: Page, word: { text: string; box: Box }): Promise<{ image: Buffer; box: Box } | null> {
  const digitWidth = (word.box[2] - word.box[0]) / word.text.length;
  const last = word.text.at(-1);
  const donor = page.lines
    .flatMap((l) => l.words)
    .find((w) => w.box && /^\d{3,}$/.test(w.text) && w.text.at(-1) !== last && w.box[1] !== word.box[1]);
  if (!donor?.box) return null;
  const donorWidth = (donor.box[2] - donor.box[0]) / donor.text.length;
  const meta = await sharp(image).metadata();
  const from = clampBox([donor.box[2] - donorWidth, donor.box[1], donor.box[2], donor.box[3]], meta.width, meta.height);
  const to = clampBox([word.box[2] - digitWidth, word.box[1], word.box[2], word.box[3]], meta.width, meta.height);
  const patch = await sharp(image)
    .extract({ left: from[0], top: from[1], width: from[2] - from[0], height: from[3] - from[1] })
    .resize(to[2] - to[0], to[3] - to[1], { fit: 'fill' })
    .toBuffer();
  const edited = await sharp(image)
    .composite([{ input: patch, left: to[0], top: to[1] }])
    .toBuffer();
  return { image: edited, box: to };
}

/** Saves an edited image as its original was: JPEG at the original's quality (no EXIF) or PNG. */
async function saveLike(original: Buffer, edited: Buffer): Promise<Buffer> {
  if (sniffType(original) === 'jpeg')
    return sharp(edited)
      .jpeg({ quality: jpegQuality(original) ?? 85 })
      .toBuffer();
  return sharp(edited).png().toBuffer();
}

/**
 * A text PDF with its date covered by a white box and a new one drawn on top, saved by pdf-lib with
 * the original's metadata kept, so only the page and its text layer can tell.
 */
async function patchPdf(bytes: Buffer, words: Array<{ text: string; box: Box }>, renderWidth: number): Promise<Buffer> {
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const page = pdf.getPage(0);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const { width, height } = page.getSize();
  const k = width / renderWidth;
  for (const word of words) {
    const newText = laterYear(word.text);
    if (!newText) continue;
    const [x0, y0, x1, y1] = word.box.map((v) => v * k) as Box;
    page.drawRectangle({ x: x0 - 1, y: height - y1 - 1, width: x1 - x0 + 2, height: y1 - y0 + 2, color: rgb(1, 1, 1) });
    page.drawText(newText, { x: x0, y: height - y1 + 1, size: (y1 - y0) * 1.15, font, color: rgb(0, 0, 0) });
  }
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** One generated dataset under construction: its folder, manifest lines and truths. */
class CaseSet {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly truths: CaseTruth[] = [];
  constructor(readonly out: string) {}

  async add(
    id: string,
    name: string,
    bytes: Buffer,
    form: Record<string, unknown>,
    truth: Partial<CaseTruth>,
    source: CaseTruth,
  ): Promise<void> {
    await mkdir(path.join(this.out, 'files'), { recursive: true });
    await writeFile(path.join(this.out, 'files', name), bytes);
    this.lines.push({ ...form, claimId: id, file: `files/${name}` });
    this.truths.push({
      ...source,
      scenario: truth.scenario,
      claimId: id,
      file: `files/${name}`,
      expected: truth.expected!,
      tamper: truth.tamper,
      duplicateOf: truth.duplicateOf,
      duplicateSerialOf: truth.duplicateSerialOf,
    });
  }

  async write(): Promise<void> {
    await writeFile(path.join(this.out, 'manifest.ndjson'), this.lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    await writeFile(path.join(this.out, 'truth.ndjson'), this.truths.map((t) => JSON.stringify(t)).join('\n') + '\n');
  }
}

/**
 * Builds datasets (manifest.ndjson, truth.ndjson, files/) from the clean claims of `folder`: in
 * `out.reuse` the clean claims followed by copies of their receipts and repeated serials; in
 * `out.edits` retyped dates and patched PDFs, in `out.clones` cloned digits, each without the
 * original (or another edit of it) on file, so an edit is judged on its own pixels and text rather
 * than caught as a copy. `ocr` reads the originals to find where their dates are printed; a PDF
 * page is drawn within `maxPixels`. `limit`: only the first so many clean claims, for a short run.
 */
export async function generateTamperCases(
  folder: string,
  out: { reuse: string; edits: string; clones: string },
  ocr: TesseractEngine,
  maxPixels: number,
  limit?: number,
): Promise<void> {
  const manifest = (await readFile(path.join(folder, 'manifest.ndjson'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const truths = new Map(
    (await readFile(path.join(folder, 'truth.ndjson'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as CaseTruth)
      .map((t) => [t.claimId, t]),
  );
  const clean: Claim[] = manifest
    .flatMap((line) => {
      const truth = truths.get(String(line.claimId));
      return truth?.scenario === 'clean' ? [{ line, truth }] : [];
    })
    .slice(0, limit);
  const reuse = new CaseSet(out.reuse);
  const edits = new CaseSet(out.edits);
  const clones = new CaseSet(out.clones);
  const review = (flag: string) => ({ status: 'needs_review', flags: [flag] });

  // The clean claims themselves come first: they are the earlier claims and the false-alarm base.
  for (const { line, truth } of clean) {
    const bytes = await readFile(path.join(folder, String(line.file)));
    await reuse.add(truth.claimId, path.basename(String(line.file)), bytes, line, { scenario: 'clean', expected: truth.expected }, truth);
  }
  for (const [i, { line, truth }] of clean.entries()) {
    const file = path.join(folder, String(line.file));
    const bytes = await readFile(file);
    const type = sniffType(bytes);
    const base = `gen-${i}`;
    // Re-used: the same slip photographed or exported again, cropped, scaled and recompressed.
    const image = type === 'pdf' ? await withPdfDocument(bytes, maxPixels, (pdf) => pdf.renderPage(1)) : bytes;
    const meta = await sharp(image).metadata();
    const copy = await sharp(image)
      .autoOrient()
      .extract({
        left: Math.round(meta.width * 0.02),
        top: Math.round(meta.height * 0.02),
        width: Math.round(meta.width * 0.96),
        height: Math.round(meta.height * 0.96),
      })
      .resize({ width: Math.round(meta.width * 0.85) })
      .modulate({ brightness: 1.04 })
      .jpeg({ quality: 72 })
      .toBuffer();
    await reuse.add(
      `${base}-copy`,
      `${base}-copy.jpg`,
      copy,
      { ...line, claimDate: line.claimDate },
      { scenario: 'gen_reused_receipt', expected: review('DUPLICATE_RECEIPT'), duplicateOf: truth.claimId },
      truth,
    );

    // The same unit claimed again on the next clean claim's receipt.
    const next = clean[(i + 1) % clean.length]!;
    const unit = truth.product?.serial ?? truth.product?.imei;
    if (unit && i % 3 === 0) {
      const other = await readFile(path.join(folder, String(next.line.file)));
      const name = `${base}-serial${path.extname(String(next.line.file))}`;
      await reuse.add(
        `${base}-serial`,
        name,
        other,
        { ...next.line, serial: unit, imei: undefined },
        {
          scenario: 'gen_repeated_serial',
          expected: review('DUPLICATE_SERIAL'),
          duplicateSerialOf: truth.claimId,
          duplicateOf: next.truth.claimId,
        },
        next.truth,
      );
    }

    // Edited dates: find the printed date on the original's own pixels.
    const dateText = truth.doc?.dateText;
    const newText = dateText ? laterYear(dateText) : null;
    if (!dateText || !newText) continue;
    const page = await ocr.recognize(type === 'pdf' ? image : await sharp(bytes).autoOrient().png().toBuffer(), 1, {
      width: meta.width,
      height: meta.height,
    });
    const words = yearWords(page, dateText);
    const word = words[0];
    if (!word) continue;
    const shownDate = truth.receipt.purchaseDate
      ? `${Number(truth.receipt.purchaseDate.slice(0, 4)) + 1}${truth.receipt.purchaseDate.slice(4)}`
      : null;
    const edited = { ...line, purchaseDate: shownDate ?? undefined };
    // `boxes`: what the edit changed, in the pixels of the page as shown (the upright image, the drawn PDF page).
    const tamper = (method: string, boxes: Box[]) => ({
      scenario: `gen_${method}`,
      expected: review('POSSIBLE_TAMPERING'),
      tamper: { method, originalDate: truth.receipt.purchaseDate, shownText: newText, boxes },
    });
    if (type === 'pdf') {
      // Image-only PDFs would need their scan re-embedded: only text PDFs are patched.
      if (truth.doc?.mode !== 'pdf_text') continue;
      await edits.add(
        `${base}-pdfpatch`,
        `${base}-pdfpatch.pdf`,
        await patchPdf(bytes, words, PDF_RENDER_WIDTH),
        edited,
        tamper(
          'pdf_patch',
          words.map((w) => w.box),
        ),
        truth,
      );
      continue;
    }
    const upright = await sharp(bytes).autoOrient().toBuffer();
    const ext = type === 'jpeg' ? 'jpg' : 'png';
    let retyped: Buffer = upright;
    const covered: Box[] = [];
    for (const w of words) {
      const done = await retype(retyped, w, laterYear(w.text) ?? w.text);
      retyped = done.image;
      covered.push(done.box);
    }
    await edits.add(`${base}-retyped`, `${base}-retyped.${ext}`, await saveLike(bytes, retyped), edited, tamper('retyped', covered), truth);
    const cloned = await cloneDigit(upright, page, word);
    if (cloned)
      await clones.add(
        `${base}-cloned`,
        `${base}-cloned.${ext}`,
        await saveLike(bytes, cloned.image),
        { ...line, purchaseDate: undefined },
        tamper('cloned_digit', [cloned.box]),
        truth,
      );
  }
  await Promise.all([reuse.write(), edits.write(), clones.write()]);
}
