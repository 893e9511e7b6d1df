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

/** The part of a tesseract.js worker the pool uses. */
export type OcrWorker = Pick<Tesseract.Worker, 'recognize' | 'terminate'>;

/** One place in the pool: the worker that has it now (none until a page needs it), and its pages so far. */
interface Slot {
  worker: OcrWorker | null;
  pages: number;
  busy: boolean;
}

interface Job {
  image: Buffer;
  resolve: (result: Tesseract.RecognizeResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Pages a worker reads before it is replaced by a fresh one. A worker's WebAssembly heap grows to
 * the largest page it has seen and never shrinks (and fragments as pages come and go), so a
 * long-lived pool creeps up; a fresh worker costs about a second, which spread over this many
 * pages is a few per cent of the reading time.
 */
export const DEFAULT_PAGES_PER_WORKER = 40;

/** Starts one tesseract.js worker with the pipeline's languages and page mode. */
async function createTesseractWorker(langPath: string): Promise<OcrWorker> {
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
}

/**
 * A pool of tesseract.js workers, reused across documents and each replaced after a number of
 * pages, so the pool's memory stays bounded however long the run; the one place that talks to the
 * OCR engine.
 */
export class TesseractEngine {
  readonly size: number;
  private readonly pagesPerWorker: number;
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private started = 0;
  private stopped = false;
  private inFlight = 0;
  private occupiedMs = 0;
  private lastChange = performance.now();

  /** `createWorker` makes every worker: the first ones and each replacement. */
  constructor(
    private readonly createWorker: () => Promise<OcrWorker>,
    options: { workers: number; pagesPerWorker: number },
  ) {
    this.size = options.workers;
    this.pagesPerWorker = options.pagesPerWorker;
    this.slots = Array.from({ length: options.workers }, () => ({ worker: null, pages: 0, busy: false }));
  }

  /** A pool with its workers started, so the first page does not wait for one. */
  static async start(options: { workers: number; languageDataDir: string; pagesPerWorker?: number }): Promise<TesseractEngine> {
    const langPath = await prepareLanguageData(options.languageDataDir);
    const engine = new TesseractEngine(() => createTesseractWorker(langPath), {
      workers: options.workers,
      pagesPerWorker: options.pagesPerWorker ?? DEFAULT_PAGES_PER_WORKER,
    });
    const started = await Promise.allSettled(engine.slots.map(async (slot) => (slot.worker = await engine.newWorker())));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await engine.stop();
      throw failure.reason;
    }
    return engine;
  }

  /** Workers started so far, replacements included. */
  get workersStarted(): number {
    return this.started;
  }

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

  private async newWorker(): Promise<OcrWorker> {
    const worker = await this.createWorker();
    this.started++;
    return worker;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.busy) void this.runOn(slot, this.queue.shift()!);
    }
  }

  /**
   * Reads one page on a slot. A worker that has read its share of pages, or failed on one, is
   * retired; its replacement starts when the slot is next needed, not idly at the end of a run.
   */
  private async runOn(slot: Slot, job: Job): Promise<void> {
    slot.busy = true;
    let retire: boolean;
    try {
      if (!slot.worker) {
        const worker = await this.newWorker();
        if (this.stopped) await worker.terminate();
        else slot.worker = worker;
      }
      if (!slot.worker) throw new Error('the OCR engine was stopped');
      job.resolve(await slot.worker.recognize(job.image, {}, { blocks: true, text: false }));
      retire = ++slot.pages >= this.pagesPerWorker;
    } catch (error) {
      job.reject(error);
      retire = true;
    }
    const retired = retire ? slot.worker : null;
    if (retired) {
      slot.worker = null;
      slot.pages = 0;
      await retired.terminate().catch(() => {});
    }
    slot.busy = false;
    this.dispatch();
  }

  private read(image: Buffer): Promise<Tesseract.RecognizeResult> {
    if (this.stopped) return Promise.reject(new Error('the OCR engine was stopped'));
    return new Promise((resolve, reject) => {
      this.queue.push({ image, resolve, reject });
      this.dispatch();
    });
  }

  /** Reads one page image; words keep their boxes and confidences for extraction and review. */
  async recognize(image: Buffer, pageNumber: number, size: { width: number; height: number }): Promise<Page> {
    this.account();
    this.inFlight++;
    const result = await this.read(image).finally(() => {
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

  /** Ends every worker; pages still waiting are refused. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the OCR engine was stopped'));
    const workers = this.slots.flatMap((slot) => (slot.worker ? [slot.worker] : []));
    for (const slot of this.slots) slot.worker = null;
    await Promise.allSettled(workers.map((worker) => worker.terminate()));
  }
}
