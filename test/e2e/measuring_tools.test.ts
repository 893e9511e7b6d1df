import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textLayerFromText } from '../../src/domain/text-layer.js';

const run = promisify(execFile);
/** The built tools, as `npm run bench` and `npm run eval` start them. */
const BENCH = path.resolve('dist/tools/bench/pipeline.js');
const EVAL = path.resolve('dist/tools/eval/main.js');

const failure = (error: { code: number; stderr: string }) => error;

describe('the measuring tools, run from npm scripts rather than the shipped CLI', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'tools-'));
    await copyFile(path.resolve('samples/invoice-text.pdf'), path.join(folder, 'invoice-text.pdf'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('benchmarks the pipeline under the malloc arena limit the CLI runs with', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.MALLOC_ARENA_MAX;
    const { stdout } = await run('node', [BENCH, folder, '--data-dir', path.join(folder, 'data')], { env });
    expect(stdout).toMatch(/^benchmark: 1 receipts from .*MALLOC_ARENA_MAX=2 /m);
    expect(stdout).toMatch(/^ {2}pipeline {2}[\d.]+ receipts\/s/m);
    expect(stdout).toMatch(/^ {2}peak memory \(RSS, OCR pool at full size\): \d+ MB/m);
  });

  it('scores reviewers’ corrections, and refuses a wrong command line as the CLI does (exit 2, with the usage)', async () => {
    const corrections = path.join(folder, 'corrections.ndjson');
    const text = textLayerFromText(['MediaMarkt Berlin\nDatum: 16.12.2022']);
    await writeFile(
      corrections,
      `${JSON.stringify({ claimId: 'C-1', field: 'purchaseDate', machine: { value: '2022-12-15' }, corrected: '2022-12-16', text })}\n`,
    );
    const { stdout } = await run('node', [EVAL, corrections, '--json']);
    expect(JSON.parse(stdout)).toEqual({
      examples: 1,
      skipped: 0,
      agree: { purchaseDate: { right: 1, total: 1 }, all: { right: 1, total: 1 } },
    });

    const help = await run('node', [EVAL, '--help']);
    expect(help.stdout).toMatch(/^Usage: npm run eval -- <dataset-folder/);
    const noDataset = await run('node', [EVAL]).catch(failure);
    expect(noDataset).toMatchObject({ code: 2, stderr: expect.stringMatching(/^eval: needs one dataset folder[^]*Usage: npm run eval/) });
    const badLimit = await run('node', [BENCH, folder, '--limit', 'all']).catch(failure);
    expect(badLimit).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^bench: --limit takes a whole number of receipts, not "all"/),
    });
  });
});
