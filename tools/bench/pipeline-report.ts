/**
 * The pipeline benchmark's figures, with no I/O: which receipts a run takes, and the report lines
 * from what it measured.
 */
import { quantile, sum } from '../lib/statistics.js';

export const MB = 1024 * 1024;

/**
 * The receipts of a run from the files found (paths; receipts are PDF, JPEG and PNG): in path
 * order, cut to `limit`, then repeated in order to make up `repeatTo`. Empty when none is a receipt.
 */
export function runFiles(found: readonly string[], options: { limit?: number; repeatTo?: number }): string[] {
  const receipts = found
    .filter((f) => /\.(pdf|jpe?g|png)$/i.test(f))
    .sort()
    .slice(0, options.limit ?? Infinity);
  if (receipts.length === 0) return [];
  const count = options.repeatTo ?? receipts.length;
  return Array.from({ length: count }, (_, i) => receipts[i % receipts.length]!);
}

/** Every stage's p50 and p95 and total time, one line each, in the order the stages first ran. */
export function stageLines(times: ReadonlyMap<string, readonly number[]>): string[] {
  return [...times.entries()].map(
    ([stage, list]) =>
      `  ${stage.padEnd(10)} p50 ${quantile(list, 0.5).toFixed(0).padStart(6)} ms   p95 ${quantile(list, 0.95).toFixed(0).padStart(6)} ms   sum ${(sum(list) / 1000).toFixed(1).padStart(6)} s`,
  );
}

export interface PipelineMeasurement {
  folder: string;
  files: readonly string[];
  ocrWorkers: number;
  cores: number;
  mallocArenaMax: string | undefined;
  /** Receipts per second after the warm-up file. */
  rate: number;
  stageTimes: ReadonlyMap<string, readonly number[]>;
  /** Share of the wall time the OCR pool was busy, 0..1. */
  ocrBusy: number;
  ocrWorkersStarted: number;
  pagesPerWorker: number;
  peakRssBytes: number;
  startedRssBytes: number;
  /** `done: MB` after every tenth of the run. */
  checkpoints: readonly string[];
}

export function pipelineReport(m: PipelineMeasurement): string[] {
  const distinct = new Set(m.files).size;
  const seconds = m.files.length / m.rate;
  return [
    `benchmark: ${m.files.length} receipts from ${m.folder}${distinct < m.files.length ? ` (${distinct} files, repeated)` : ''}, ${m.ocrWorkers} OCR workers, ${m.cores} cores, MALLOC_ARENA_MAX=${m.mallocArenaMax ?? 'unset'} (figures vary with machine load)`,
    `  pipeline  ${(m.files.length / seconds).toFixed(2)} receipts/s  (${seconds.toFixed(1)} s wall)`,
    ...stageLines(m.stageTimes),
    `  OCR pool busy ${(100 * m.ocrBusy).toFixed(1)}% of the wall time: time outside OCR (workers idle while other stages run) ${(100 * (1 - m.ocrBusy)).toFixed(1)}%`,
    `  OCR workers started: ${m.ocrWorkersStarted} (each is replaced after ${m.pagesPerWorker} pages)`,
    `  peak memory (RSS, OCR pool at full size): ${(m.peakRssBytes / MB).toFixed(0)} MB over the run; ${(m.startedRssBytes / MB).toFixed(0)} MB once started`,
    `  RSS (MB) after receipts done: ${m.checkpoints.join(', ')}`,
  ];
}

/** The pipeline beside Debian's tesseract CLI on the same images, or why the comparison was skipped. */
export function nativeComparison(images: number, ocrWorkers: number, ours: number, native: number | null): string[] {
  if (native === null)
    return [
      '  native tesseract: not installed with eng+deu+nor (apt-get install tesseract-ocr tesseract-ocr-deu tesseract-ocr-nor), skipped',
    ];
  return [
    `  side by side on the ${images} images only (same originals, ${ocrWorkers}-way parallel):`,
    `    this pipeline, file in → decision out:                      ${ours.toFixed(2)} images/s`,
    `    native tesseract CLI, OMP_THREAD_LIMIT=1, psm 6, OCR only:  ${native.toFixed(2)} images/s  (ratio ${(ours / native).toFixed(2)})`,
  ];
}
