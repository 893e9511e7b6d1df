import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ClaimInput } from '../../pipelines/claim-pipeline.js';
import { claimsFromManifest } from '../../src/cli/claim-inputs.js';
import { readReceiptFile } from '../../src/cli/regular-file.js';
import type { Config } from '../../src/config/env.js';
import { FIELD_NAMES, type FieldName } from '../../src/domain/extraction.js';
import type { ClaimResult } from '../../src/domain/result.js';
import { TextLayer } from '../../src/domain/text-layer.js';
import { UsageError } from '../../src/errors/usage-error.js';
import { extract } from '../../src/extract/extract.js';
import type { TesseractEngine } from '../../src/ocr/tesseract-engine.js';
import type { ClaimsRepository } from '../../src/store/claims-repository.js';
import type { FingerprintRepository } from '../../src/store/fingerprint-repository.js';
import { confidenceCalibration } from '../../src/policy/confidence-calibration.js';
import { loadPolicy } from '../../src/policy/policy-table.js';
import { withScratchRuntime } from '../harness/embedded-runtime.js';
import { detectionReport, firedSignals } from './detection.js';
import { labelDateToIso } from './receipts.js';
import { stratifiedSample } from './sample.js';
import { claimsJson, claimsReport, fieldRight, percent, scoreClaims, similarity, Tally, type Pair, type Truth } from './scoring.js';
import { heatRegionReport } from './heat-regions.js';
import { approvalCurve, approvalReport, calibrationShift, outcomesUnder, type DecidedClaim } from './approval-curve.js';
import { decisionInputs } from './decision-inputs.js';
import { generateTamperCases } from './tamper-cases.js';

/**
 * `npm run eval`: reads a labelled set, runs the pipeline on it in a scratch database and prints
 * the figures that scoring.ts, detection.ts and receipts.ts compute.
 */

function withEvaluationRuntime<T>(
  config: Config,
  work: (
    run: (inputs: ClaimInput[]) => Promise<ClaimResult[]>,
    ocr: TesseractEngine,
    stores: { claims: ClaimsRepository; fingerprints: FingerprintRepository },
  ) => Promise<T>,
): Promise<T> {
  // A fresh database per evaluation: duplicates are judged within the dataset only.
  return withScratchRuntime(config, 'warranty-eval-', (runtime) =>
    work(
      async (inputs) => {
        const results: ClaimResult[] = [];
        let done = 0;
        await runtime.pipeline.run(inputs, (r) => {
          results.push(r);
          if (process.stderr.isTTY) process.stderr.write(`\r${++done}/${inputs.length}`);
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        return results;
      },
      runtime.ocr,
      { claims: runtime.claims, fingerprints: runtime.fingerprints },
    ),
  );
}

/** A labelled claims set run through the pipeline: each claim's truth, result and what it was assessed from. */
export interface ClaimsSetRun {
  claims: DecidedClaim[];
  /** Claims in the set (more than were run when sampled). */
  truths: number;
  sampled: boolean;
  seconds: number;
  regions: Awaited<ReturnType<typeof heatRegionReport>> | null;
  /** Claims whose stored outputs did not load again: kept as decided, left out of the calibration. */
  notReassessed: string[];
}

/** `heat`: also score the workbench's heat regions against the generated cases' edited boxes. */
export async function runClaimsSet(folder: string, config: Config, sample?: number, heat = false): Promise<ClaimsSetRun> {
  const truths = (await readFile(path.join(folder, 'truth.ndjson'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Truth);
  const byId = new Map(truths.map((t) => [t.claimId, t]));
  const sampled = sample ? stratifiedSample(truths, sample) : null;
  // The manifest's order is kept: duplicates are judged against the claims before them.
  const inputs = (await claimsFromManifest(path.join(folder, 'manifest.ndjson'), config.limits.maxFileBytes)).filter(
    (input) => !sampled || sampled.has(String((input.form as { claimId?: string } | null)?.claimId)),
  );
  const started = Date.now();
  const pairsOf = (results: ClaimResult[]): Pair[] =>
    results.flatMap((result) => {
      const truth = byId.get(result.claimId);
      return truth ? [{ truth, result }] : [];
    });
  const policy = loadPolicy(config.policyVersion);
  // Heat regions and the decisions' inputs are read from the stored stage outputs, before the scratch runtime goes.
  const { results, regions, decided } = await withEvaluationRuntime(config, async (run, _ocr, stores) => {
    const results = await run(inputs);
    return {
      results,
      regions: heat ? await heatRegionReport(folder, pairsOf(results), stores.claims, config.limits.maxPixels) : null,
      decided: await decisionInputs(results, stores, policy),
    };
  });
  return {
    claims: pairsOf(results).map((pair) => ({ ...pair, input: decided.inputs.get(pair.result.claimId) ?? null })),
    notReassessed: decided.unreadable,
    truths: truths.length,
    sampled: sampled !== null,
    seconds: (Date.now() - started) / 1000,
    regions,
  };
}

async function evaluateClaims(folder: string, config: Config, sample?: number, heat = false): Promise<Record<string, unknown>> {
  const { claims, truths, sampled, seconds, regions, notReassessed } = await runClaimsSet(folder, config, sample, heat);
  const policy = loadPolicy(config.policyVersion);
  const figures = scoreClaims(claims);
  const detection = detectionReport(claims);
  const shift = calibrationShift(claims, policy.confidenceCalibration ? confidenceCalibration(policy.confidenceCalibration) : null);
  const curve = approvalCurve(claims, policy);
  const asDecided = outcomesUnder(claims, policy);
  const lines = [
    `claims dataset ${folder}: ${claims.length} claims${sampled ? ` (stratified sample of ${truths})` : ''} in ${seconds.toFixed(1)} s`,
    '',
    ...claimsReport(figures),
    '',
    ...approvalReport(shift, curve, asDecided, policy),
    ...(notReassessed.length
      ? [`  not re-assessed (stored outputs do not load; kept as decided):`, ...notReassessed.map((m) => `    ${m}`)]
      : []),
    '',
    ...detection.lines,
    ...(regions?.lines.length ? ['', ...regions.lines] : []),
    '',
    'misses:',
    ...figures.misses.map((m) => `  ${m}`),
  ];
  return {
    report: lines.join('\n'),
    figures: {
      ...claimsJson(figures),
      confidenceCalibration: {
        version: shift.version,
        eceRaw: Object.fromEntries(FIELD_NAMES.map((f) => [f, shift.raw[f].ece])),
        eceCalibrated: Object.fromEntries(FIELD_NAMES.map((f) => [f, shift.calibrated[f].ece])),
      },
      approvalCurve: curve,
      detection: detection.figures,
      ...(regions ? { heatRegions: regions.figures } : {}),
      seconds,
    },
  };
}

async function evaluateReceipts(folder: string, config: Config): Promise<Record<string, unknown>> {
  const images = (await readdir(path.join(folder, 'images'))).filter((f) => /\.(jpe?g|png|pdf)$/i.test(f)).sort();
  const inputs: ClaimInput[] = images.map((name) => ({
    file: name,
    documents: [{ file: name, load: () => readReceiptFile(path.join(folder, 'images', name), config.limits.maxFileBytes) }],
    form: { claimId: name },
  }));
  const started = Date.now();
  const results = await withEvaluationRuntime(config, (run) => run(inputs));
  const seconds = (Date.now() - started) / 1000;
  const tally = new Tally();
  const misses: string[] = [];
  // Every SROIE receipt is a different, genuine purchase: any fraud flag on one is a false alarm.
  const alarms = results.filter((r) => firedSignals(r).length > 0);
  for (const result of results) {
    const id = result.file!.replace(/\.[^.]+$/, '');
    const label = JSON.parse(await readFile(path.join(folder, 'labels', `${id}.json`), 'utf8')) as { company: string; date: string };
    const dateRight = labelDateToIso(label.date) === result.fields.purchaseDate.value;
    const companyScore = result.fields.retailer.value ? similarity(label.company, result.fields.retailer.value) : 0;
    tally.add('date', dateRight);
    tally.add('company', companyScore >= 0.8);
    if (!dateRight)
      misses.push(`${id} date: expected ${label.date} got ${result.fields.purchaseDate.value} (${result.fields.purchaseDate.source})`);
    if (companyScore < 0.8) misses.push(`${id} company: expected ${label.company} got ${result.fields.retailer.value}`);
  }
  const report = [
    `receipts dataset ${folder}: ${results.length} receipts in ${seconds.toFixed(1)} s`,
    `  date      ${tally.line('date')}`,
    `  company   ${tally.line('company')}  (similarity >= 0.8)`,
    `  fraud false alarms ${percent(alarms.length, results.length)} (${alarms.length}/${results.length})${alarms.length ? ': ' : ''}${alarms
      .map(
        (r) =>
          `${r.file} ${firedSignals(r)
            .map((f) => f.signal)
            .join(',')}`,
      )
      .join('; ')}`,
    '',
    'misses:',
    ...misses.map((m) => `  ${m}`),
  ].join('\n');
  return {
    report,
    figures: {
      date: tally.rate('date'),
      company: tally.rate('company'),
      fraudFalseAlarmRate: alarms.length / Math.max(1, results.length),
      seconds,
    },
  };
}

/** One reviewer's correction as `warranty review-corrections` exports it: a labelled example. */
const CorrectionExample = z.object({
  claimId: z.string(),
  field: z.enum(FIELD_NAMES),
  machine: z.object({ value: z.string().nullable() }),
  corrected: z.string().nullable(),
  text: TextLayer.nullable(),
});

/**
 * The current extractor on the reviewers' corrections: each example's stored reading is extracted
 * again and compared with what the reviewer set. A parser change that fixes past mistakes shows
 * here, without OCR and without the receipts.
 */
export async function evaluateCorrections(file: string): Promise<Record<string, unknown>> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim());
  const byField = new Tally();
  const stillWrong: string[] = [];
  let withoutText = 0;
  for (const [i, line] of lines.entries()) {
    const parsed = CorrectionExample.safeParse(JSON.parse(line));
    if (!parsed.success) throw new UsageError(`${file} line ${i + 1} is not a correction as review-corrections writes it`);
    const { claimId, field, corrected, text } = parsed.data;
    if (!text) {
      withoutText++;
      continue;
    }
    const value = extract(text)[field].value;
    const right = fieldRight(field, { receipt: { ...EMPTY_RECEIPT, [field]: corrected } }, value);
    byField.add(field, right);
    byField.add('all', right);
    if (!right) stillWrong.push(`  ${claimId} ${field}: reviewer ${corrected} extractor ${value}`);
  }
  const report = [
    `reviewer corrections ${file}: ${lines.length} examples${withoutText ? ` (${withoutText} without a stored reading, skipped)` : ''}`,
    'extractor now agrees with the reviewer',
    ...[...FIELD_NAMES, 'all'].filter((f) => byField.counts.has(f)).map((f) => `  ${f.padEnd(14)} ${byField.line(f)}`),
    ...(stillWrong.length ? ['still different:', ...stillWrong] : []),
  ].join('\n');
  return { report, figures: { examples: lines.length, skipped: withoutText, agree: Object.fromEntries(byField.counts) } };
}

const EMPTY_RECEIPT: Record<FieldName, string | null> = { purchaseDate: null, retailer: null, model: null, serial: null, imei: null };

/**
 * Scores the pipeline on a labelled folder: either a claims set (manifest.ndjson + truth.ndjson)
 * or a receipts set (images/ + labels/ with SROIE's company and date); or, given an .ndjson file,
 * the reviewers' corrections (evaluateCorrections).
 */
export async function runEvaluation(
  folder: string,
  config: Config,
  options: { json: boolean; generated: boolean; sample?: number },
): Promise<void> {
  const has = (name: string) =>
    stat(path.join(folder, name)).then(
      () => true,
      () => false,
    );
  if (
    folder.endsWith('.ndjson') &&
    (await stat(folder).then(
      (s) => s.isFile(),
      () => false,
    ))
  ) {
    const outcome = await evaluateCorrections(folder);
    process.stdout.write(options.json ? `${JSON.stringify(outcome.figures)}\n` : `${outcome.report as string}\n`);
    return;
  }
  let outcome: Record<string, unknown>;
  const claimsSet = (await has('truth.ndjson')) && (await has('manifest.ndjson'));
  if (claimsSet) outcome = await evaluateClaims(folder, config, options.sample);
  else if ((await has('images')) && (await has('labels'))) outcome = await evaluateReceipts(folder, config);
  else
    throw new UsageError(
      `${folder} holds neither truth.ndjson + manifest.ndjson nor images/ + labels/, and is not a corrections .ndjson file`,
    );
  if (!options.generated) {
    process.stdout.write(options.json ? `${JSON.stringify(outcome.figures)}\n` : `${outcome.report as string}\n`);
    return;
  }
  if (!claimsSet) throw new UsageError('--generated needs a claims dataset: its clean claims are what the cases are made from');
  // The dataset's report first: generating and scoring the cases takes as long again.
  if (!options.json) process.stdout.write(`${outcome.report as string}\n\n`);
  const generated = await evaluateGenerated(folder, config, options.sample);
  process.stdout.write(
    options.json ? `${JSON.stringify({ dataset: outcome.figures, generated: generated.figures })}\n` : `${generated.report as string}\n`,
  );
}

/**
 * The same scoring on fraud cases made from the dataset's clean claims (see tamper-cases.ts), from
 * the first `sample` clean claims when given, with the heat regions scored against the edits.
 */
async function evaluateGenerated(folder: string, config: Config, sample?: number): Promise<Record<string, unknown>> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'warranty-generated-'));
  const sets = { reuse: path.join(out, 'reuse'), edits: path.join(out, 'edits'), clones: path.join(out, 'clones') };
  try {
    await withEvaluationRuntime(config, (_run, ocr) => generateTamperCases(folder, sets, ocr, config.limits.maxPixels, sample));
    const reused = await evaluateClaims(sets.reuse, config, undefined, true);
    const edited = await evaluateClaims(sets.edits, config, undefined, true);
    const cloned = await evaluateClaims(sets.clones, config, undefined, true);
    return {
      report: [
        `generated: clean claims, re-used receipts, repeated serials\n${reused.report as string}`,
        `generated: retyped dates and patched PDFs (no original on file)\n${edited.report as string}`,
        `generated: cloned digits (no original on file)\n${cloned.report as string}`,
      ].join('\n\n'),
      figures: { reuse: reused.figures, edits: edited.figures, clones: cloned.figures },
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
