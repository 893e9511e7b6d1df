import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ClaimInput } from '../../pipelines/claim-pipeline.js';
import type { StageName } from '../../pipelines/claim-stages.js';
import type { Config } from '../config/env.js';
import { UsageError } from '../errors/usage-error.js';
import { DEFAULT_PAGES_PER_WORKER, OCR_LANGUAGES } from '../ocr/tesseract-engine.js';
import { readReceiptFile } from './regular-file.js';
import { startRuntime } from '../composition/embedded.js';

const run = promisify(execFile);

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const MB = 1024 * 1024;

/**
 * The highest resident memory of this process so far, as the kernel counts it (every page ever
 * touched, not a sample): tesseract.js workers are threads of this process, so the OCR pool counts.
 */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * Debian's tesseract CLI the best way on this machine: one process per worker with
 * OMP_THREAD_LIMIT=1, same languages and page mode, on the same original files (images only).
 */
async function nativeTesseract(images: string[], parallel: number): Promise<number | null> {
  if (images.length === 0 || spawnSync('tesseract', ['--version']).status !== 0) return null;
  const langs = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' }).stdout;
  if (!OCR_LANGUAGES.every((l) => langs.includes(l))) return null;
  const queue = [...images];
  const started = Date.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        await run('tesseract', [file, 'stdout', '-l', OCR_LANGUAGES.join('+'), '--psm', '6'], {
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
          maxBuffer: 16 * 1024 * 1024,
        });
      }
    }),
  );
  return images.length / ((Date.now() - started) / 1000);
}

/** Receipts per second through a fresh embedded runtime, after one warm-up file. */
async function pipelineThroughput(
  files: string[],
  config: Config,
  hooks: Parameters<typeof startRuntime>[1] = {},
  onReceipt: (done: number) => void = () => {},
): Promise<{ rate: number; ocrBusy: number; startedRss: number; ocrWorkersStarted: number }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'warranty-bench-'));
  const runtime = await startRuntime({ ...config, dataDir }, hooks);
  // A claim id of its own for each: a receipt repeated to make up a long run is another claim.
  const inputs: ClaimInput[] = files.map((f, i) => ({
    file: f,
    loadReceipt: () => readReceiptFile(f, config.limits.maxFileBytes),
    form: { claimId: `bench-${i + 1}` },
  }));
  try {
    await runtime.pipeline.run(
      inputs.slice(0, 1).map((i) => ({ ...i, form: { claimId: 'warm-up' } })),
      () => {},
    );
    const startedRss = process.memoryUsage.rss();
    const started = Date.now();
    const busyBefore = runtime.ocr.busyMs;
    await runtime.pipeline.run(inputs, (_result, index) => onReceipt(index + 1));
    const wallMs = Date.now() - started;
    return {
      rate: files.length / (wallMs / 1000),
      ocrBusy: (runtime.ocr.busyMs - busyBefore) / wallMs,
      startedRss,
      ocrWorkersStarted: runtime.ocr.workersStarted,
    };
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The receipts under `dir`, subfolders included (a SROIE set keeps them in images/, a claims set in
 * files/), in path order; cut to `limit`, then repeated in order to make up `repeatTo`.
 */
async function benchmarkFiles(dir: string, options: BenchmarkOptions): Promise<string[]> {
  const found = (await readdir(dir, { recursive: true }))
    .filter((f) => /\.(pdf|jpe?g|png)$/i.test(f))
    .sort()
    .slice(0, options.limit ?? Infinity)
    .map((f) => path.join(dir, f));
  if (found.length === 0) throw new UsageError(`no receipts in ${dir}`);
  const count = options.repeatTo ?? found.length;
  return Array.from({ length: count }, (_, i) => found[i % found.length]!);
}

export interface BenchmarkOptions {
  limit?: number;
  repeatTo?: number;
}

/** Whole-pipeline throughput (file in, decision out), per-stage times and peak memory. */
export async function runBenchmark(folder: string | undefined, config: Config, options: BenchmarkOptions): Promise<void> {
  const dir = folder ?? 'samples';
  const files = await benchmarkFiles(dir, options);
  const distinct = new Set(files).size;

  const times = new Map<StageName, number[]>();
  // Resident memory after every tenth of the run: a plateau, or growth with the receipts done.
  const checkpoints: string[] = [];
  const checkpointEvery = Math.max(1, Math.ceil(files.length / 10));
  let warm = false;
  const { rate, ocrBusy, startedRss, ocrWorkersStarted } = await pipelineThroughput(
    files,
    config,
    {
      // The warm-up file's stage times are left out.
      onStageTime: (stage, ms) => {
        if (stage === 'decide' && !warm) {
          warm = true;
          times.clear();
          return;
        }
        if (warm) times.set(stage, [...(times.get(stage) ?? []), ms]);
      },
    },
    (done) => {
      if (done % checkpointEvery === 0 || done === files.length)
        checkpoints.push(`${done}: ${(process.memoryUsage.rss() / MB).toFixed(0)}`);
    },
  );
  const seconds = files.length / rate;
  const peakMb = peakRss() / MB;

  const stageRows = [...times.entries()].map(([stage, list]) => {
    const sorted = [...list].sort((a, b) => a - b);
    const total = list.reduce((a, b) => a + b, 0);
    return `  ${stage.padEnd(10)} p50 ${quantile(sorted, 0.5).toFixed(0).padStart(6)} ms   p95 ${quantile(sorted, 0.95).toFixed(0).padStart(6)} ms   sum ${(total / 1000).toFixed(1).padStart(6)} s`;
  });
  const lines = [
    `benchmark: ${files.length} receipts from ${dir}${distinct < files.length ? ` (${distinct} files, repeated)` : ''}, ${config.ocrWorkers} OCR workers, ${os.cpus().length} cores, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? 'unset'} (figures vary with machine load)`,
    `  pipeline  ${(files.length / seconds).toFixed(2)} receipts/s  (${seconds.toFixed(1)} s wall)`,
    ...stageRows,
    `  OCR pool busy ${(100 * ocrBusy).toFixed(1)}% of the wall time: time outside OCR (workers idle while other stages run) ${(100 * (1 - ocrBusy)).toFixed(1)}%`,
    `  OCR workers started: ${ocrWorkersStarted} (each is replaced after ${DEFAULT_PAGES_PER_WORKER} pages)`,
    `  peak memory (RSS, OCR pool at full size): ${peakMb.toFixed(0)} MB over the run; ${(startedRss / MB).toFixed(0)} MB once started`,
    `  RSS (MB) after receipts done: ${checkpoints.join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const images = [...new Set(files)].filter((f) => /\.(jpe?g|png)$/i.test(f));
  const native = await nativeTesseract(images, config.ocrWorkers);
  if (native === null) {
    process.stdout.write(
      '  native tesseract: not installed with eng+deu+nor (apt-get install tesseract-ocr tesseract-ocr-deu tesseract-ocr-nor), skipped\n',
    );
    return;
  }
  const { rate: ours } = await pipelineThroughput(images, config);
  process.stdout.write(
    `  side by side on the ${images.length} images only (same originals, ${config.ocrWorkers}-way parallel):\n` +
      `    this pipeline, file in → decision out:                      ${ours.toFixed(2)} images/s\n` +
      `    native tesseract CLI, OMP_THREAD_LIMIT=1, psm 6, OCR only:  ${native.toFixed(2)} images/s  (ratio ${(ours / native).toFixed(2)})\n`,
  );
}
