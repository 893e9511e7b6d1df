#!/usr/bin/env node
/**
 * `npm run bench -- [<folder>] [--limit N] [--repeat-to N]`: whole-pipeline throughput (file in,
 * decision out) on the embedded runtime the CLI runs, per-stage times and peak memory, and Debian's
 * native tesseract on the same images where it is installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { ClaimInput } from '../../pipelines/claim-pipeline.js';
import type { StageName } from '../../pipelines/claim-stages.js';
import { readReceiptFile } from '../../src/cli/regular-file.js';
import type { Config } from '../../src/config/env.js';
import { UsageError } from '../../src/errors/usage-error.js';
import { DEFAULT_PAGES_PER_WORKER, OCR_LANGUAGES } from '../../src/ocr/tesseract-engine.js';
import { withScratchRuntime, type RuntimeHooks } from '../harness/embedded-runtime.js';
import { configFrom, runTool, SETTINGS_OPTIONS, SETTINGS_USAGE, wholeNumber } from '../lib/command.js';
import { MB, nativeComparison, pipelineReport, runFiles } from './pipeline-report.js';

const USAGE = `Usage: npm run bench -- [<folder>] [--limit N] [--repeat-to N]

Receipts per second through the whole pipeline (default folder samples/; receipts are found in
subfolders too), per-stage p50/p95, OCR workers started, peak memory, and Debian's native tesseract
on the same images where it is installed.

  --limit <n>          only the first n receipts (in path order)
  --repeat-to <n>      cycle the receipts, each as a new claim, to n
${SETTINGS_USAGE}`;

const run = promisify(execFile);

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
function pipelineThroughput(
  files: string[],
  config: Config,
  hooks: RuntimeHooks = {},
  onReceipt: (done: number) => void = () => {},
): Promise<{ rate: number; ocrBusy: number; startedRss: number; ocrWorkersStarted: number }> {
  // A claim id of its own for each: a receipt repeated to make up a long run is another claim.
  const inputs: ClaimInput[] = files.map((f, i) => ({
    file: f,
    documents: [{ file: f, load: () => readReceiptFile(f, config.limits.maxFileBytes) }],
    form: { claimId: `bench-${i + 1}` },
  }));
  return withScratchRuntime(
    config,
    'warranty-bench-',
    async (runtime) => {
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
    },
    hooks,
  );
}

interface BenchmarkOptions {
  limit?: number;
  repeatTo?: number;
}

/** Whole-pipeline throughput (file in, decision out), per-stage times and peak memory. */
async function runBenchmark(folder: string | undefined, config: Config, options: BenchmarkOptions): Promise<void> {
  const dir = folder ?? 'samples';
  // A SROIE set keeps its receipts in images/, a claims set in files/.
  const files = runFiles(await readdir(dir, { recursive: true }), options).map((f) => path.join(dir, f));
  if (files.length === 0) throw new UsageError(`no receipts in ${dir}`);

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
  const report = pipelineReport({
    folder: dir,
    files,
    ocrWorkers: config.ocrWorkers,
    cores: os.cpus().length,
    mallocArenaMax: process.env.MALLOC_ARENA_MAX,
    rate,
    stageTimes: times,
    ocrBusy,
    ocrWorkersStarted,
    pagesPerWorker: DEFAULT_PAGES_PER_WORKER,
    peakRssBytes: peakRss(),
    startedRssBytes: startedRss,
    checkpoints,
  });
  process.stdout.write(`${report.join('\n')}\n`);
  const images = [...new Set(files)].filter((f) => /\.(jpe?g|png)$/i.test(f));
  const native = await nativeTesseract(images, config.ocrWorkers);
  const ours = native === null ? 0 : (await pipelineThroughput(images, config)).rate;
  process.stdout.write(`${nativeComparison(images.length, config.ocrWorkers, ours, native).join('\n')}\n`);
}

runTool('bench', USAGE, async () => {
  const { values, positionals } = parseArgs({
    options: { ...SETTINGS_OPTIONS, limit: { type: 'string' }, 'repeat-to': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length > 1) throw new UsageError('takes at most one folder');
  await runBenchmark(positionals[0], configFrom(values), {
    limit: wholeNumber(values.limit, '--limit', 'receipts'),
    repeatTo: wholeNumber(values['repeat-to'], '--repeat-to', 'receipts'),
  });
});
