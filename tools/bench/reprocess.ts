#!/usr/bin/env node
/**
 * `npm run bench:reprocess -- [--claims N] [--ocr-claims N]`: re-assessment throughput on both
 * databases from stored extractions, and a re-run from the OCR stage.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { importInputs } from '../../src/cli/import-command.js';
import { batchRunnerOn } from '../../src/composition/embedded.js';
import { startOcrPool } from '../../src/composition/ocr-pool.js';
import type { Config } from '../../src/config/env.js';
import { stageOutputFromRow } from '../../src/domain/stage-outputs.js';
import { UsageError } from '../../src/errors/usage-error.js';
import type { TesseractEngine } from '../../src/ocr/tesseract-engine.js';
import { CURRENT_POLICY_VERSION, loadPolicy } from '../../src/policy/policy-table.js';
import { parseFilter } from '../../src/domain/selection-filter.js';
import { ClaimsRepository } from '../../src/store/claims-repository.js';
import { openDatabase, type DatabaseOptions } from '../../src/store/database.js';
import { FingerprintRepository } from '../../src/store/fingerprint-repository.js';
import { startEmbeddedRuntime } from '../harness/embedded-runtime.js';
import { storeSyntheticClaims, stricterPolicy, syntheticClaims } from '../harness/synthetic-claims.js';
import { configFrom, runTool, SETTINGS_OPTIONS, SETTINGS_USAGE, wholeNumber } from '../lib/command.js';
import { perSecond } from '../lib/statistics.js';

const USAGE = `Usage: npm run bench:reprocess -- [--claims N] [--ocr-claims N]

Re-assessment claims/s from stored extractions, embedded and on PostgreSQL (DATABASE_URL,
TEST_DATABASE_URL or 127.0.0.1:5432/test), and claims/s re-run from the OCR stage.

  --claims <n>         synthetic claims stored and re-assessed (default 10000)
  --ocr-claims <n>     claims re-read from the OCR stage (default 200; 0 skips it)
${SETTINGS_USAGE}`;

const PREVIOUS_POLICY = '2025.9';
const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

const rate = (count: number, started: number) => perSecond(count, performance.now() - started);

/**
 * Re-assessment from stored extractions: `count` claims stored under a previous policy, then a
 * dry-run and an applied batch under the current one (every claim gets a new result version).
 */
async function reassessOn(label: string, options: DatabaseOptions, count: number, config: Config): Promise<string> {
  const db = await openDatabase(options);
  try {
    const current = loadPolicy();
    let started = performance.now();
    await storeSyntheticClaims(syntheticClaims(count), {
      claims: new ClaimsRepository(db),
      fingerprints: new FingerprintRepository(db),
      policy: stricterPolicy(current, PREVIOUS_POLICY),
    });
    const seeding = rate(count, started);
    const runner = batchRunnerOn(db, config, { ocr: () => Promise.reject(new Error('re-assessing must not need OCR')) });
    const spec = {
      fromStage: 'assess' as const,
      filter: parseFilter(`policy=${PREVIOUS_POLICY}`),
      policyVersion: current.version,
      force: false,
    };
    started = performance.now();
    const predicted = await runner.dryRun(spec);
    const dryRun = rate(predicted.length, started);
    started = performance.now();
    const { batch } = await runner.startBatch(spec);
    const applied = await runner.runBatch(batch);
    const apply = rate(applied.length, started);
    const changed = applied.filter((o) => o.oldStatus !== o.newStatus).length;
    return (
      `  ${label.padEnd(18)} dry-run ${dryRun.toFixed(0).padStart(6)} claims/s   apply ${apply.toFixed(0).padStart(6)} claims/s` +
      `   (${applied.length} re-assessed, ${changed} change status; seeding ${seeding.toFixed(0)} claims/s)`
    );
  } finally {
    await db.close();
  }
}

/**
 * A re-run from the OCR stage: the sample receipts imported once (their bytes kept), then stored
 * again as `count` claims, all re-read with `--force`.
 */
async function ocrRerun(count: number, config: Config): Promise<string> {
  const runtime = await startEmbeddedRuntime(config);
  try {
    const inputs = (await importInputs(path.resolve('samples/claims.ndjson'), config)).slice(0, 5);
    await runtime.pipeline.run(inputs, () => {});
  } finally {
    await runtime.close();
  }
  const db = await openDatabase({ dataDir: path.join(config.dataDir, 'db') });
  try {
    const claims = new ClaimsRepository(db);
    const templates = await db.query<{ id: string; result: Parameters<ClaimsRepository['saveResult']>[0] }>(
      "SELECT id, result FROM claims WHERE status <> 'rejected_input' ORDER BY seq",
    );
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const template = templates[i % templates.length]!;
      const stages = await db.query<{ stage: string; stage_version: string; input_hash: string; output: unknown }>(
        'SELECT stage, stage_version, input_hash, output FROM stage_outputs WHERE claim_id = $1',
        [template.id],
      );
      const claimId = `OCR-${String(i + 1).padStart(4, '0')}`;
      await claims.reserve(claimId, template.result.file);
      await claims.saveResult(
        { ...template.result, claimId },
        [],
        stages.map((s) =>
          stageOutputFromRow(template.id, { stage: s.stage, stageVersion: s.stage_version, inputHash: s.input_hash, output: s.output }),
        ),
      );
      ids.push(claimId);
    }
    let ocr: Promise<TesseractEngine> | undefined;
    const runner = batchRunnerOn(db, config, { ocr: () => (ocr ??= startOcrPool(config)) });
    try {
      const { batch } = await runner.startBatch({
        fromStage: 'read',
        filter: parseFilter(`id=${ids.join(',')}`),
        policyVersion: CURRENT_POLICY_VERSION,
        force: true,
      });
      const started = performance.now();
      const outcomes = await runner.runBatch(batch);
      const failed = outcomes.filter((o) => o.outcome === 'failed').length;
      return `  OCR re-run         ${rate(outcomes.length, started).toFixed(2)} claims/s   (${outcomes.length} claims re-read from ${templates.length} sample receipts, ${config.ocrWorkers} OCR workers, ${failed} failed)`;
    } finally {
      await (await ocr)?.stop();
    }
  } finally {
    await db.close();
  }
}

/** Re-assessment throughput on both databases, and a re-run from OCR. */
async function runReprocessBenchmark(config: Config, options: { claims?: number; ocrClaims?: number }): Promise<void> {
  const count = options.claims ?? 10_000;
  const ocrCount = options.ocrClaims ?? 200;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'warranty-bench-reprocess-'));
  const url = config.databaseUrl ?? process.env.TEST_DATABASE_URL ?? DEFAULT_POSTGRES;
  const schema = `bench_${randomUUID().replace(/-/g, '')}`;
  process.stdout.write(
    `reprocessing benchmark: ${count} stored claims re-assessed, ${ocrCount} re-read (${os.cpus().length} cores; figures vary with machine load)\n`,
  );
  try {
    process.stdout.write(`${await reassessOn('embedded PGlite', { dataDir: path.join(dataDir, 'reassess') }, count, config)}\n`);
    const reachable = await new pg.Client({ connectionString: url }).connect().then(
      (c) => c.end().then(() => true),
      () => false,
    );
    if (reachable) {
      try {
        process.stdout.write(`${await reassessOn('PostgreSQL', { url, schema }, count, config)}\n`);
      } finally {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      }
    } else {
      process.stdout.write(`  PostgreSQL         not reachable at ${url.replace(/:[^:@/]*@/, ':***@')}, skipped\n`);
    }
    if (ocrCount > 0)
      process.stdout.write(`${await ocrRerun(ocrCount, { ...config, dataDir: path.join(dataDir, 'ocr'), databaseUrl: undefined })}\n`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

runTool('bench:reprocess', USAGE, async () => {
  const { values, positionals } = parseArgs({
    options: { ...SETTINGS_OPTIONS, claims: { type: 'string' }, 'ocr-claims': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length > 0) throw new UsageError('takes no arguments, only options');
  await runReprocessBenchmark(configFrom(values), {
    claims: wholeNumber(values.claims, '--claims', 'claims'),
    ocrClaims: wholeNumber(values['ocr-claims'], '--ocr-claims', 'claims', 0),
  });
});
