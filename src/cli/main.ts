#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.js';
import type { ClaimResult } from '../domain/result.js';
import { ConfigError } from '../errors/config-error.js';
import { UsageError } from '../errors/usage-error.js';
import { PolicyLoadError } from '../policy/policy-table.js';
import { claimsFromManifest, claimsFromPaths } from './claim-inputs.js';
import { ProgressBar, renderTable, summaryLine, tableRow } from './output.js';
import { startRuntime } from './runtime.js';

const USAGE = `Usage:
  warranty process <file|folder>... [--json]      decide every receipt given (folders: *.pdf, *.jpg, *.png)
  warranty process --manifest <claims.ndjson> [--json]
                                                   receipts plus claim-form data, one JSON object a line
  warranty eval <dataset-folder> [--json] [--generated]
                                                   score the pipeline on a labelled dataset; --generated also
                                                   on fraud cases made from a claims set's clean receipts
  warranty bench [<folder>] [--limit N]            throughput, per-stage time and memory

Options:
  --json               one result a line (the result contract), in input order
  --data-dir <dir>     where the embedded database and OCR data live (default .warranty, or WARRANTY_DATA_DIR)
  --policy <version>   the policy table version to apply (default: the current one)
  --workers <n>        OCR workers (default: one per core)
  -h, --help           this text

Environment: WARRANTY_DATA_DIR, WARRANTY_MAX_FILE_BYTES, WARRANTY_MAX_PIXELS, WARRANTY_OCR_WORKERS,
WARRANTY_DEFAULT_COUNTRY, WARRANTY_POLICY_VERSION, DATABASE_URL (PostgreSQL instead of the embedded database).`;

const OPTIONS = {
  json: { type: 'boolean' },
  generated: { type: 'boolean' },
  manifest: { type: 'string' },
  'data-dir': { type: 'string' },
  policy: { type: 'string' },
  workers: { type: 'string' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const config = loadConfig({
    ...process.env,
    ...(values['data-dir'] && { WARRANTY_DATA_DIR: values['data-dir'] }),
    ...(values.policy && { WARRANTY_POLICY_VERSION: values.policy }),
    ...(values.workers && { WARRANTY_OCR_WORKERS: values.workers }),
  });

  switch (command) {
    case 'process': {
      if (!values.manifest && rest.length === 0) throw new UsageError('process needs files, folders or --manifest');
      const inputs = values.manifest ? await claimsFromManifest(values.manifest) : await claimsFromPaths(rest);
      const runtime = await startRuntime(config);
      const started = Date.now();
      const results: ClaimResult[] = [];
      const progress = new ProgressBar(inputs.length);
      try {
        await runtime.pipeline.run(inputs, (result) => {
          results.push(result);
          progress.tick();
          if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        });
      } finally {
        await runtime.close();
      }
      const summary = summaryLine(results, (Date.now() - started) / 1000);
      if (values.json) process.stderr.write(`${summary}\n`);
      else process.stdout.write(`${renderTable(results.map(tableRow))}\n\n${summary}\n`);
      return 0;
    }
    case 'eval': {
      const { runEvaluation } = await import('./eval.js');
      if (rest.length !== 1) throw new UsageError('eval needs one dataset folder');
      await runEvaluation(rest[0]!, config, { json: Boolean(values.json), generated: Boolean(values.generated) });
      return 0;
    }
    case 'bench': {
      const { runBenchmark } = await import('./bench.js');
      await runBenchmark(rest[0], config, { limit: values.limit ? Number(values.limit) : undefined });
      return 0;
    }
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`warranty: ${(error as Error).message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof ConfigError || error instanceof PolicyLoadError) {
      process.stderr.write(`warranty: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`warranty: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
