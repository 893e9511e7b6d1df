#!/usr/bin/env node
/** `npm run calibrate -- <claims-folder | readings.ndjson>... --version <v> [--out file]`: see USAGE. */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FIELD_NAMES } from '../../src/domain/extraction.js';
import { UsageError } from '../../src/errors/usage-error.js';
import { parseCalibration, readingKind } from '../../src/policy/confidence-calibration.js';
import { loadPolicy } from '../../src/policy/policy-table.js';
import {
  approvalCurve,
  approvalReport,
  calibrationShift,
  lowestSafeBar,
  outcomesUnder,
  type DecidedClaim,
} from '../eval/approval-curve.js';
import { runClaimsSet } from '../eval/run-evaluation.js';
import { fieldRight } from '../eval/scoring.js';
import { configFrom, runTool, SETTINGS_OPTIONS, SETTINGS_USAGE, wholeNumber } from '../lib/command.js';
import { fitCalibrationTable, type FieldReading } from './fit.js';

const USAGE = `Usage: npm run calibrate -- <claims-folder | readings.ndjson>... --version <v> [--out <file>]
         [--save-readings <file>] [--min-count N] [--margin M] [--description <text>]

Fits a confidence calibration (src/policy/calibration/<v>.json) on labelled claims sets: each set
is run through the pipeline (or its readings saved by an earlier run are loaded), every value read
is scored right or wrong against the truth, and per field and way of reading (OCR, PDF text,
barcode) the extractor's score is mapped to the share of right readings. Then prints, on the same
claims, the reliability before and after and the approval curve under the policy (--policy) with
the fitted calibration, and the lowest bar that approves nothing unsafe, raised by the margin.
Fit on training sets only: the bar is verified with \`npm run eval\` on sets it never saw.

  --version <v>          the calibration's version, as a policy table names it (e.g. 2026.7)
  --out <file>           write the table there (default: print only)
  --save-readings <file> keep the sets' readings (truth, result, assessment input) as ndjson,
                         to fit again without reading the receipts
  --min-count <n>        readings each step of a map holds at least (default 30)
  --margin <m>           added to the lowest safe bar (default 0.1)
  --description <text>   what the table is, for its "description"
${SETTINGS_USAGE}`;

runTool('calibrate', USAGE, async () => {
  const { values, positionals } = parseArgs({
    options: {
      ...SETTINGS_OPTIONS,
      version: { type: 'string' },
      out: { type: 'string' },
      'save-readings': { type: 'string' },
      'min-count': { type: 'string' },
      margin: { type: 'string' },
      description: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length === 0) throw new UsageError('needs at least one claims folder or readings .ndjson file');
  if (!values.version || !/^\d{4}\.\d+$/.test(values.version)) throw new UsageError('--version takes a version such as 2026.7');
  const margin = Number(values.margin ?? '0.1');
  if (!Number.isFinite(margin) || margin < 0 || margin > 1)
    throw new UsageError(`--margin takes a number from 0 to 1, not "${values.margin}"`);
  const minCount = wholeNumber(values['min-count'], '--min-count', 'readings') ?? 30;
  const config = configFrom(values);

  const claims: DecidedClaim[] = [];
  const fittedOn: string[] = [];
  const notReassessed: string[] = [];
  for (const source of positionals) {
    const set = await readSet(source, config);
    claims.push(...set.claims);
    notReassessed.push(...set.notReassessed);
    fittedOn.push(`${source}: ${set.claims.length} claims`);
  }
  if (values['save-readings']) await writeFile(values['save-readings'], claims.map((c) => `${JSON.stringify(c)}\n`).join(''));

  const table = fitCalibrationTable(
    fieldReadings(claims),
    {
      version: values.version,
      description: values.description ?? `Fitted by npm run calibrate on ${fittedOn.join('; ')}`,
      fittedOn,
    },
    minCount,
  );
  const calibrator = parseCalibration(table, 'the fitted table');
  // The curve under the policy with this calibration: the readings calibrated here, the policy's own left out.
  const { confidenceCalibration: _own, ...base } = loadPolicy(config.policyVersion);
  const calibrated = claims.map((c) => ({
    ...c,
    input: c.input && { ...c.input, extraction: c.input.extraction && calibrator.calibrate(c.input.extraction) },
  }));
  const curve = approvalCurve(calibrated, base);
  const bar = lowestSafeBar(curve, margin);
  const lines = [
    `calibration ${table.version} fitted on ${claims.length} claims (${fittedOn.join('; ')})`,
    '',
    'maps: raw score -> probability right (readings)',
    ...FIELD_NAMES.flatMap((f) =>
      Object.entries(table.fields[f]).map(
        ([kind, map]) =>
          `  ${f.padEnd(13)} ${kind.padEnd(9)} (${map.count}) ${map.knots.map(([x, y]) => `${x.toFixed(3)}->${y.toFixed(3)}`).join(' ')}`,
      ),
    ),
    '',
    ...approvalReport(calibrationShift(claims, calibrator), curve, outcomesUnder(calibrated, base), {
      ...base,
      version: `${base.version} + calibration ${table.version}`,
    }),
    ...(notReassessed.length
      ? ['', 'not re-assessed (stored outputs do not load; kept as decided, not fitted on):', ...notReassessed.map((m) => `  ${m}`)]
      : []),
    '',
    bar === null
      ? 'every bar of the curve approves an unsafe claim on these sets: no bar is supported'
      : `lowest bar with no unsafe approval at it or above, + ${margin}: ${bar}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.out) await writeFile(values.out, `${JSON.stringify(table, null, 2)}\n`);
});

async function readSet(
  source: string,
  config: ReturnType<typeof configFrom>,
): Promise<{ claims: DecidedClaim[]; notReassessed: string[] }> {
  const isFile = await stat(source).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) return runClaimsSet(source, config);
  const claims = (await readFile(source, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DecidedClaim);
  return { claims, notReassessed: [] };
}

/** Every value read on the labelled claims, scored against the truth; unreadable documents state no reading. */
function fieldReadings(claims: readonly DecidedClaim[]): FieldReading[] {
  return claims.flatMap(({ truth, input }) => {
    const extraction = input?.extraction;
    if (!extraction || truth.scenario === 'unreadable') return [];
    return FIELD_NAMES.flatMap((field) => {
      const read = extraction[field];
      if (read.value === null) return [];
      return [{ field, kind: readingKind(read, extraction), confidence: read.confidence, right: fieldRight(field, truth, read.value) }];
    });
  });
}
