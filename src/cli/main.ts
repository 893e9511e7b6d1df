#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { ClaimInput } from '../../pipelines/claim-pipeline.js';
import { loadConfig, type Config } from '../config/env.js';
import type { ClaimResult } from '../domain/result.js';
import { AccountError } from '../errors/account-error.js';
import { ConfigError } from '../errors/config-error.js';
import { FilterError } from '../errors/filter-error.js';
import { ClaimClosedError } from '../errors/claim-closed-error.js';
import { ClaimNotFoundError } from '../errors/claim-not-found-error.js';
import { InputRejectedError } from '../errors/input-rejected-error.js';
import { UsageError } from '../errors/usage-error.js';
import { PolicyLoadError } from '../errors/policy-load-error.js';
import { claimsFromManifest, claimsFromPaths } from './claim-inputs.js';
import { ProgressBar, renderTable, summaryLine, tableRow } from './output.js';
import { startRuntime } from '../composition/embedded.js';
import { dieWithLauncher, relaunchWithArenaLimit } from './arena-limit.js';

const USAGE = `Usage:
  warranty process <file|folder>... [--json]      decide every receipt given (folders: *.pdf, *.jpg, *.png)
  warranty process --manifest <claims.ndjson> [--json]
                                                   receipts plus claim-form data, one JSON object a line
  warranty import <folder|manifest.ndjson> [--json]
                                                   like process, and keeps each receipt for later re-runs
                                                   (a manifest line names its receipt in "file", or several documents in "files")
  warranty add-document <claim-id> <file> [--json] adds a document to a stored claim (waiting for review or the
                                                   customer) and assesses the claim again with all its documents
  warranty reprocess --from-stage read|extract|assess --where <filter> (--dry-run | --apply) [--force] [--csv <file>]
                                                   re-run stored claims; a dry-run reports and writes nothing
  warranty reprocess --resume <batch-id>           finish an applied batch that was interrupted
  warranty api-key create --name <who> --role submitter|reviewer|admin
  warranty api-key revoke <id>                     API keys for distributed mode (DATABASE_URL)
  warranty user create --name <who> --role reviewer|admin|submitter   (password on stdin)
  warranty user disable <who>                      reviewer workbench accounts
  warranty review-corrections                      reviewers' field corrections as NDJSON (labelled examples)
  warranty close-overdue [--now <iso>]             close claims whose customer did not answer by the policy's
                                                   deadline, and send the reminders due (as of now or --now)

Options:
  --json               one result a line (the result contract), in input order
  --data-dir <dir>     where the embedded database and OCR data live (default .warranty, or WARRANTY_DATA_DIR)
  --policy <version>   the policy table version to apply (default: the current one)
  --workers <n>        OCR workers (default: one per core)
  --where <filter>     claims to re-run: field op value[,value…] joined by "and"; fields status, flag,
                       family, retailer, policy, id (= !=), created, claimed (dates; = < <= > >=), reviewed (yes/no)
  --force              re-run stages even where the stored output is current
  --chunk-size <n>     claims reprocess computes and commits together (default 500)
  --csv <file>         where reprocess writes the claims whose decision changes (default: <data-dir>/reports/)
  -h, --help           this text

Environment: WARRANTY_DATA_DIR, WARRANTY_MAX_FILE_BYTES, WARRANTY_MAX_PIXELS, WARRANTY_OCR_WORKERS,
WARRANTY_DEFAULT_COUNTRY, WARRANTY_POLICY_VERSION, DATABASE_URL (PostgreSQL instead of the embedded database),
DATABASE_SCHEMA. Distributed mode (npm run api / npm run worker), and measuring accuracy and speed from a
checkout (npm run eval / npm run bench): see README.`;

const OPTIONS = {
  json: { type: 'boolean' },
  manifest: { type: 'string' },
  'data-dir': { type: 'string' },
  policy: { type: 'string' },
  workers: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  'from-stage': { type: 'string' },
  'chunk-size': { type: 'string' },
  where: { type: 'string' },
  'dry-run': { type: 'boolean' },
  apply: { type: 'boolean' },
  force: { type: 'boolean' },
  resume: { type: 'string' },
  csv: { type: 'string' },
  now: { type: 'string' },
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
      const { maxFileBytes } = config.limits;
      const inputs = values.manifest ? await claimsFromManifest(values.manifest, maxFileBytes) : await claimsFromPaths(rest, maxFileBytes);
      await decideAll(inputs, config, Boolean(values.json));
      return 0;
    }
    case 'import': {
      const { importInputs } = await import('./import-command.js');
      if (rest.length !== 1) throw new UsageError('import needs one folder or manifest');
      await decideAll(await importInputs(rest[0]!, config), config, Boolean(values.json));
      return 0;
    }
    case 'add-document': {
      const { runAddDocument } = await import('./add-document-command.js');
      await runAddDocument(rest, config, Boolean(values.json));
      return 0;
    }
    case 'reprocess': {
      const { runReprocess } = await import('./reprocess-command.js');
      await runReprocess(
        {
          fromStage: values['from-stage'],
          where: values.where,
          dryRun: values['dry-run'],
          apply: values.apply,
          force: values.force,
          resume: values.resume,
          csv: values.csv,
          chunkSize: values['chunk-size'],
        },
        config,
      );
      return 0;
    }
    case 'api-key': {
      const { runApiKeyCommand } = await import('./api-keys.js');
      await runApiKeyCommand(rest, { name: values.name, role: values.role }, config);
      return 0;
    }
    case 'user': {
      const { runUserCommand } = await import('./users.js');
      await runUserCommand(rest, { name: values.name, role: values.role }, config);
      return 0;
    }
    case 'review-corrections': {
      const { exportCorrections } = await import('./users.js');
      await exportCorrections(config);
      return 0;
    }
    case 'close-overdue': {
      const { runCloseOverdue } = await import('./close-overdue-command.js');
      await runCloseOverdue({ now: values.now }, config);
      return 0;
    }
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

/** Runs claims through the pipeline, printing results as they are decided and a summary. */
async function decideAll(inputs: ClaimInput[], config: Config, json: boolean): Promise<void> {
  const runtime = await startRuntime(config);
  const started = Date.now();
  const results: ClaimResult[] = [];
  const progress = new ProgressBar(inputs.length);
  try {
    await runtime.pipeline.run(inputs, (result) => {
      results.push(result);
      progress.tick();
      if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    });
  } finally {
    await runtime.close();
  }
  const summary = summaryLine(results, (Date.now() - started) / 1000);
  if (json) process.stderr.write(`${summary}\n`);
  else process.stdout.write(`${renderTable(results.map(tableRow))}\n\n${summary}\n`);
}

const relaunched = relaunchWithArenaLimit();
if (relaunched === null) dieWithLauncher();
(relaunched ?? main(process.argv.slice(2))).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`warranty: ${(error as Error).message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (
      error instanceof ConfigError ||
      error instanceof PolicyLoadError ||
      error instanceof AccountError ||
      error instanceof FilterError ||
      error instanceof ClaimNotFoundError ||
      error instanceof ClaimClosedError ||
      error instanceof InputRejectedError
    ) {
      process.stderr.write(`warranty: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`warranty: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
