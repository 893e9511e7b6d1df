import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import Tesseract from 'tesseract.js';
import type { Line, Page, Word } from '../domain/text-layer.js';

/** English for the structure of most invoices, German and Norwegian for ß/ä/ö/ü/æ/ø/å. */
export const OCR_LANGUAGES = ['eng', 'deu', 'nor'] as const;

const require = createRequire(import.meta.url);

/**
 * tesseract.js wants every language in one folder and downloads from a CDN when one is missing,
 * so the LSTM-only models shipped by the @tesseract.js-data packages are gathered under the data
 * folder once. Nothing is fetched at run time.
 */
async function prepareLanguageData(folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  for (const lang of OCR_LANGUAGES) {
    const target = path.join(folder, `${lang}.traineddata.gz`);
    const present = await stat(target).then(
      (s) => s.size > 0,
      () => false,
    );
    if (present) continue;
    const pkg = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
    const staged = `${target}.${process.pid}.tmp`;
    await copyFile(path.join(pkg, '4.0.0_best_int', `${lang}.traineddata.gz`), staged);
    // Rename is atomic: a concurrent start never sees a half-copied model.
    await rename(staged, target);
  }
  return folder;
}

const toBox = (b: Tesseract.Bbox): [number, number, number, number] => [b.x0, b.y0, b.x1, b.y1];

/** A pool of tesseract.js workers, reused across documents; the one place that talks to the OCR engine. */
export class TesseractEngine {
  private inFlight = 0;
  private occupiedMs = 0;
  private lastChange = performance.now();

  private constructor(
    private readonly scheduler: Tesseract.Scheduler,
    readonly size: number,
  ) {}

  /** Accrues pool occupancy up to now: a job is on a worker from the moment it is added while one is free. */
  private account(): void {
    const now = performance.now();
    this.occupiedMs += ((now - this.lastChange) * Math.min(this.inFlight, this.size)) / this.size;
    this.lastChange = now;
  }

  /** Milliseconds the whole pool has been reading so far (two workers busy for 1 s = 1000): the benchmark's OCR time. */
  get busyMs(): number {
    this.account();
    return this.occupiedMs;
  }

  static async start(options: { workers: number; languageDataDir: string }): Promise<TesseractEngine> {
    const langPath = await prepareLanguageData(options.languageDataDir);
    const scheduler = Tesseract.createScheduler();
    const workers = await Promise.all(
      Array.from({ length: options.workers }, async () => {
        const worker = await Tesseract.createWorker([...OCR_LANGUAGES], Tesseract.OEM.LSTM_ONLY, {
          langPath,
          gzip: true,
          // The default cache writes traineddata files into the working directory.
          cacheMethod: 'none',
        });
        // PSM 6 (one uniform block) keeps a receipt's right-hand price column on its line.
        await worker.setParameters({
          tessedit_pageseg_mode: Tesseract.PSM.SINGLE_BLOCK,
          preserve_interword_spaces: '1',
          user_defined_dpi: '300',
          // Tesseract's own diagnostics ("Image too small to scale") would interleave with results.
          debug_file: '/dev/null',
        });
        return worker;
      }),
    );
    for (const worker of workers) scheduler.addWorker(worker);
    return new TesseractEngine(scheduler, options.workers);
  }

  /** Reads one page image; words keep their boxes and confidences for extraction and review. */
  async recognize(image: Buffer, pageNumber: number, size: { width: number; height: number }): Promise<Page> {
    this.account();
    this.inFlight++;
    const result = await this.scheduler.addJob('recognize', image, {}, { blocks: true, text: false }).finally(() => {
      this.account();
      this.inFlight--;
    });
    const lines: Line[] = [];
    for (const block of result.data.blocks ?? []) {
      for (const paragraph of block.paragraphs) {
        for (const line of paragraph.lines) {
          const words: Word[] = line.words
            .filter((w) => w.text.trim() !== '')
            .map((w) => ({ text: w.text, confidence: w.confidence / 100, box: toBox(w.bbox) }));
          if (words.length === 0) continue;
          lines.push({
            text: words.map((w) => w.text).join(' '),
            confidence: line.confidence / 100,
            box: toBox(line.bbox),
            words,
          });
        }
      }
    }
    return { number: pageNumber, width: size.width, height: size.height, lines };
  }

  async stop(): Promise<void> {
    await this.scheduler.terminate();
  }
}
