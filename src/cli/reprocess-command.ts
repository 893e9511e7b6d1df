import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { openReprocessing } from '../composition/embedded.js';
import type { Config } from '../config/env.js';
import { UsageError } from '../errors/usage-error.js';
import { CURRENT_POLICY_VERSION, loadPolicy } from '../policy/policy-table.js';
import type { Progress } from '../reprocess/batch-runner.js';
import type { ClaimOutcome } from '../domain/claim-outcome.js';
import { changesCsv, renderSummary, summarise } from '../reprocess/reprocess-report.js';
import { parseFilter } from '../domain/selection-filter.js';
import type { Batch, BatchSpec } from '../store/reprocess-repository.js';
import { ProgressBar } from './output.js';

export interface ReprocessOptions {
  fromStage?: string;
  where?: string;
  dryRun?: boolean;
  apply?: boolean;
  force?: boolean;
  resume?: string;
  csv?: string;
  chunkSize?: string;
}

const CHUNK_SIZE_ERROR = '--chunk-size must be a positive whole number';
const ChunkSize = z.coerce.number({ error: CHUNK_SIZE_ERROR }).int({ error: CHUNK_SIZE_ERROR }).positive({ error: CHUNK_SIZE_ERROR });
const FromStage = z.enum(['read', 'extract', 'assess'], { error: () => '--from-stage must be read, extract or assess' });

/** @deprecated Import it from `src/composition/embedded.ts`; kept for `src/cli/bench-reprocess.ts` until it moves to tools/. */

function specFrom(options: ReprocessOptions, config: Config): BatchSpec {
  if (Boolean(options.dryRun) === Boolean(options.apply)) throw new UsageError('reprocess needs exactly one of --dry-run or --apply');
  if (!options.fromStage) throw new UsageError('reprocess needs --from-stage read|extract|assess');
  const fromStage = FromStage.safeParse(options.fromStage);
  if (!fromStage.success) throw new UsageError(fromStage.error.issues[0]!.message);
  if (!options.where) throw new UsageError("reprocess needs --where, e.g. --where 'status=needs_review and created<2026-01-01'");
  const policyVersion = config.policyVersion ?? CURRENT_POLICY_VERSION;
  loadPolicy(policyVersion);
  return { fromStage: fromStage.data, filter: parseFilter(options.where), policyVersion, force: Boolean(options.force) };
}

/** A bar on a terminal; in a log, one line a chunk (so a supervisor or a test can follow it). */
function progressReporter(label: string): Progress {
  let bar: ProgressBar | undefined;
  let last = 0;
  return (done, total) => {
    // The first report says where the run starts: a resumed batch counts in the bar, not the rate.
    if (!bar) {
      bar = new ProgressBar(total, process.stderr, done);
      last = done;
      return;
    }
    bar.tick(done - last);
    last = done;
    if (!bar.active) process.stderr.write(`${label}: ${done}/${total}\n`);
  };
}

async function report(outcomes: ClaimOutcome[], csvPath: string, heading: string, applied: boolean): Promise<void> {
  const summary = summarise(outcomes);
  await mkdir(path.dirname(csvPath), { recursive: true });
  await writeFile(csvPath, changesCsv(summary));
  process.stdout.write(
    `${heading}\n${renderSummary(summary, applied)}\n${summary.changed.length} claims whose decision changes: ${csvPath}\n`,
  );
}

/** `warranty reprocess`: a dry-run report, or an applied (or resumed) batch. */
export async function runReprocess(options: ReprocessOptions, config: Config): Promise<void> {
  const chunkSize = options.chunkSize === undefined ? undefined : ChunkSize.safeParse(options.chunkSize);
  if (chunkSize && !chunkSize.success) throw new UsageError(chunkSize.error.issues[0]!.message);
  // A mistyped command is refused before the database is opened.
  const spec = options.resume ? null : specFrom(options, config);
  const reprocessing = await openReprocessing(config, { chunkSize: chunkSize?.data });
  try {
    const { repo, runner } = reprocessing;
    const reportsDir = path.join(config.dataDir, 'reports');
    const describe = (spec: BatchSpec) =>
      `from ${spec.fromStage} with policy ${spec.policyVersion}${spec.force ? ', forced' : ''}, where ${spec.filter.text}`;

    let batch: Batch;
    if (!spec) {
      const found = await repo.getBatch(options.resume!);
      if (!found) throw new UsageError(`no reprocessing batch ${options.resume}`);
      batch = found;
    } else {
      if (options.dryRun) {
        const outcomes = await runner.dryRun(spec, progressReporter('dry-run'));
        const csv = options.csv ?? path.join(reportsDir, `dry-run-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`);
        await report(outcomes, csv, `Dry run (nothing written), ${describe(spec)}:`, false);
        return;
      }
      const started = await runner.startBatch(spec);
      batch = started.batch;
      if (started.resumed) process.stderr.write(`resuming unfinished batch ${batch.id} (${batch.done} of ${batch.total} done)\n`);
    }
    process.stderr.write(`batch ${batch.id}: ${batch.total} claims, ${describe(batch)}\n`);
    const outcomes = await runner.runBatch(batch, progressReporter(`batch ${batch.id}`));
    await report(outcomes, options.csv ?? path.join(reportsDir, `${batch.id}.csv`), `Applied batch ${batch.id}, ${describe(batch)}:`, true);
  } finally {
    await reprocessing.close();
  }
}
