#!/usr/bin/env node
/** `npm run eval -- <dataset-folder | corrections.ndjson> [--json] [--generated] [--sample N]`: see USAGE. */
import { parseArgs } from 'node:util';
import { UsageError } from '../../src/errors/usage-error.js';
import { configFrom, runTool, SETTINGS_OPTIONS, SETTINGS_USAGE, wholeNumber } from '../lib/command.js';
import { runEvaluation } from './run-evaluation.js';

const USAGE = `Usage: npm run eval -- <dataset-folder | corrections.ndjson> [--json] [--generated] [--sample N]

Scores the pipeline on a labelled dataset, per document kind: a claims set (manifest.ndjson +
truth.ndjson), a receipts set (images/ + labels/, SROIE style), or the reviewers' corrections as
\`warranty review-corrections\` exports them (the extractor alone, no OCR).

  --json               the figures as one JSON object
  --generated          also score fraud cases made from a claims set's clean receipts, and how
                       well the workbench's heat regions point at their edits
  --sample <n>         only a stratified sample of n claims (keeping the claims duplicates refer to);
                       with --generated, cases made from the first n clean claims only
${SETTINGS_USAGE}`;

runTool('eval', USAGE, async () => {
  const { values, positionals } = parseArgs({
    options: { ...SETTINGS_OPTIONS, json: { type: 'boolean' }, generated: { type: 'boolean' }, sample: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) throw new UsageError('needs one dataset folder or a corrections .ndjson file');
  const sample = wholeNumber(values.sample, '--sample', 'claims');
  await runEvaluation(positionals[0]!, configFrom(values), {
    json: Boolean(values.json),
    generated: Boolean(values.generated),
    sample,
  });
});
