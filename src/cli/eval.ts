import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ClaimInput } from '../../pipelines/claim-pipeline.js';
import type { Config } from '../config/env.js';
import { FIELD_NAMES, type FieldName } from '../domain/extraction.js';
import type { ClaimResult } from '../domain/result.js';
import { TextLayer } from '../domain/text-layer.js';
import { UsageError } from '../errors/usage-error.js';
import { extract } from '../extract/extract.js';
import { comparableModel, compactCode } from '../extract/confusions.js';
import { editDistance } from '../extract/fuzzy.js';
import type { TesseractEngine } from '../ocr/tesseract-engine.js';
import { claimsFromManifest } from './claim-inputs.js';
import { readReceiptFile } from './regular-file.js';
import { startRuntime } from './runtime.js';
import { generateTamperCases } from './tamper-cases.js';

/** One labelled claim of a dataset: what the receipt truly shows and the expected decision. */
interface Truth {
  claimId: string;
  file: string;
  scenario?: string;
  receipt: Record<FieldName, string | null>;
  retailerAliases?: string[];
  expected: { status: string; flags: string[] };
  /** Other outcomes that count as right (e.g. an unreadable photo refused at the door). */
  acceptAlso?: Array<{ status: string; flags: string[] }>;
  doc?: { mode?: string };
  tamper?: unknown;
  duplicateOf?: string;
  duplicateSerialOf?: string;
}

/** Which kind of fraud a flag detects, and which truth makes a claim a positive for it. */
const FRAUD_KINDS = {
  tampering: { code: 'POSSIBLE_TAMPERING', positive: (t: Truth) => t.tamper !== undefined },
  reused_receipt: { code: 'DUPLICATE_RECEIPT', positive: (t: Truth) => t.duplicateOf !== undefined },
  repeated_serial: { code: 'DUPLICATE_SERIAL', positive: (t: Truth) => t.duplicateSerialOf !== undefined },
} as const;
type FraudKind = keyof typeof FRAUD_KINDS;

/** Fired signals of a result, by kind: `tampering:background`, `reused_receipt:receipt_hash`, … */
function firedSignals(result: ClaimResult): Array<{ kind: FraudKind; signal: string }> {
  return result.flags.flatMap((f) => {
    const kind = (Object.keys(FRAUD_KINDS) as FraudKind[]).find((k) => FRAUD_KINDS[k].code === f.code);
    if (!kind) return [];
    const detail = [f.evidence.signal, f.evidence.match].find((d) => typeof d === 'string') ?? 'serial';
    return [{ kind, signal: `${kind}:${detail}` }];
  });
}

/**
 * Detection figures: precision and recall per signal and per kind of fraud, detection per scenario,
 * and the false-alarm rate (claims with no fraud in their truth that got a fraud flag).
 */
export function detectionReport(pairs: Array<{ truth: Truth; result: ClaimResult }>): {
  lines: string[];
  figures: Record<string, unknown>;
} {
  const positives = new Map<FraudKind, number>();
  const signals = new Map<string, { kind: FraudKind; fired: number; right: number }>();
  const kinds = new Map<FraudKind, { fired: number; right: number }>();
  const scenarios = new Tally();
  let honest = 0;
  let falseAlarms = 0;
  for (const { truth, result } of pairs) {
    const isPositive = (k: FraudKind) => FRAUD_KINDS[k].positive(truth);
    for (const k of Object.keys(FRAUD_KINDS) as FraudKind[]) if (isPositive(k)) positives.set(k, (positives.get(k) ?? 0) + 1);
    const fired = firedSignals(result);
    for (const { kind, signal } of new Map(fired.map((f) => [f.signal, f])).values()) {
      const s = signals.get(signal) ?? { kind, fired: 0, right: 0 };
      s.fired++;
      if (isPositive(kind)) s.right++;
      signals.set(signal, s);
    }
    for (const kind of new Set(fired.map((f) => f.kind))) {
      const k = kinds.get(kind) ?? { fired: 0, right: 0 };
      k.fired++;
      if (isPositive(kind)) k.right++;
      kinds.set(kind, k);
    }
    const fraudulent = (Object.keys(FRAUD_KINDS) as FraudKind[]).filter(isPositive);
    if (fraudulent.length === 0) {
      honest++;
      if (fired.length > 0) falseAlarms++;
    } else {
      scenarios.add(
        truth.scenario ?? 'unknown',
        fraudulent.every((k) => fired.some((f) => f.kind === k)),
      );
    }
  }
  const lines = ['detection            precision         recall'];
  const figures: Record<string, unknown> = {};
  for (const kind of Object.keys(FRAUD_KINDS) as FraudKind[]) {
    const k = kinds.get(kind) ?? { fired: 0, right: 0 };
    const p = positives.get(kind) ?? 0;
    lines.push(`  ${kind.padEnd(18)} ${pct(k.right, k.fired)} (${k.right}/${k.fired})  ${pct(k.right, p)} (${k.right}/${p})`);
    figures[kind] = { precision: k.fired ? k.right / k.fired : null, recall: p ? k.right / p : null };
    for (const [name, s] of [...signals.entries()].filter(([, s]) => s.kind === kind).sort()) {
      lines.push(
        `    ${name.slice(kind.length + 1).padEnd(26)} ${pct(s.right, s.fired)} (${s.right}/${s.fired})  ${pct(s.right, p)} (${s.right}/${p})`,
      );
      figures[name] = { precision: s.fired ? s.right / s.fired : null, recall: p ? s.right / p : null };
    }
  }
  lines.push('  detected per scenario');
  for (const key of [...scenarios.counts.keys()].sort()) lines.push(`    ${key.padEnd(26)} ${scenarios.line(key)}`);
  lines.push(`  false alarms on claims without fraud: ${pct(falseAlarms, honest)} (${falseAlarms}/${honest})`);
  figures.falseAlarmRate = honest ? falseAlarms / honest : null;
  return { lines, figures };
}

const pct = (n: number, d: number) => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

class Tally {
  readonly counts = new Map<string, { right: number; total: number }>();
  add(key: string, right: boolean): void {
    const c = this.counts.get(key) ?? { right: 0, total: 0 };
    c.total++;
    if (right) c.right++;
    this.counts.set(key, c);
  }
  rate(key: string): number | null {
    const c = this.counts.get(key);
    return c ? c.right / c.total : null;
  }
  line(key: string): string {
    const c = this.counts.get(key) ?? { right: 0, total: 0 };
    return `${pct(c.right, c.total)} (${c.right}/${c.total})`;
  }
}

/** Similarity 0..1 from edit distance, as SROIE's company field is scored here. */
export function similarity(a: string, b: string): number {
  const x = a.toUpperCase().replace(/\s+/g, ' ').trim();
  const y = b.toUpperCase().replace(/\s+/g, ' ').trim();
  if (!x.length && !y.length) return 1;
  return 1 - editDistance(x, y) / Math.max(x.length, y.length);
}

function fieldRight(field: FieldName, truth: Pick<Truth, 'receipt' | 'retailerAliases'>, value: string | null): boolean {
  const expected = truth.receipt[field];
  if (expected === null || value === null) return expected === value;
  switch (field) {
    case 'retailer':
      return [expected, ...(truth.retailerAliases ?? [])].some((alias) => similarity(alias, value) >= 0.9);
    case 'model':
      return comparableModel(expected) === comparableModel(value);
    case 'serial':
    case 'imei':
      return compactCode(expected) === compactCode(value);
    default:
      return expected === value;
  }
}

function statusRight(truth: Truth, result: ClaimResult): boolean {
  const codes = result.flags.map((f) => f.code as string);
  return (
    result.status === truth.expected.status ||
    (truth.acceptAlso ?? []).some((outcome) => outcome.status === result.status && outcome.flags.every((code) => codes.includes(code)))
  );
}

async function withScratchRuntime<T>(
  config: Config,
  work: (run: (inputs: ClaimInput[]) => Promise<ClaimResult[]>, ocr: TesseractEngine) => Promise<T>,
): Promise<T> {
  // A fresh database per evaluation: duplicates are judged within the dataset only.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'warranty-eval-'));
  const runtime = await startRuntime({ ...config, dataDir });
  try {
    return await work(async (inputs) => {
      const results: ClaimResult[] = [];
      let done = 0;
      await runtime.pipeline.run(inputs, (r) => {
        results.push(r);
        if (process.stderr.isTTY) process.stderr.write(`\r${++done}/${inputs.length}`);
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      return results;
    }, runtime.ocr);
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function evaluateClaims(folder: string, config: Config): Promise<Record<string, unknown>> {
  const truths = (await readFile(path.join(folder, 'truth.ndjson'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Truth);
  const byId = new Map(truths.map((t) => [t.claimId, t]));
  const inputs = await claimsFromManifest(path.join(folder, 'manifest.ndjson'), config.limits.maxFileBytes);
  const started = Date.now();
  const results = await withScratchRuntime(config, (run) => run(inputs));
  const seconds = (Date.now() - started) / 1000;

  const fields = new Tally();
  const outcome = new Tally();
  const flagRecall = new Tally();
  const misses: string[] = [];
  const pairs: Array<{ truth: Truth; result: ClaimResult }> = [];
  let unsafeApprovals = 0;
  for (const result of results) {
    const truth = byId.get(result.claimId);
    if (!truth) continue;
    pairs.push({ truth, result });
    const mode = truth.doc?.mode ?? 'all';
    const group = mode === 'photo' || mode === 'duplicate_copy' ? 'photos' : 'scans+pdfs';
    const readable = truth.scenario !== 'unreadable';
    for (const f of FIELD_NAMES) {
      if (!readable) continue;
      const right = fieldRight(f, truth, result.fields[f].value);
      fields.add(`${group} ${f}`, right);
      fields.add(`all ${f}`, right);
      if (!right) misses.push(`${truth.claimId} ${truth.file} ${f}: expected ${truth.receipt[f]} got ${result.fields[f].value}`);
    }
    const statusOk = statusRight(truth, result);
    outcome.add('status', statusOk);
    outcome.add(`status ${truth.scenario}`, statusOk);
    if (!statusOk)
      misses.push(
        `${truth.claimId} ${truth.file} status: expected ${truth.expected.status} ${truth.expected.flags.join(',')} got ${result.status} ${result.flags.map((f) => f.code).join(',')}`,
      );
    for (const code of truth.expected.flags)
      flagRecall.add(
        code,
        result.flags.some((f) => f.code === code),
      );
    if (result.status === 'eligible' && truth.expected.status !== 'eligible') unsafeApprovals++;
  }

  const lines = [
    `claims dataset ${folder}: ${results.length} claims in ${seconds.toFixed(1)} s`,
    '',
    'field accuracy      photos            scans+pdfs        all',
  ];
  for (const f of FIELD_NAMES)
    lines.push(`  ${f.padEnd(16)}  ${fields.line(`photos ${f}`)}  ${fields.line(`scans+pdfs ${f}`)}  ${fields.line(`all ${f}`)}`);
  lines.push('', `status accuracy     ${outcome.line('status')}`);
  for (const key of [...outcome.counts.keys()].filter((k) => k !== 'status').sort())
    lines.push(`  ${key.slice(7).padEnd(24)} ${outcome.line(key)}`);
  lines.push('', 'flag recall');
  for (const key of [...flagRecall.counts.keys()].sort()) lines.push(`  ${key.padEnd(24)} ${flagRecall.line(key)}`);
  const detection = detectionReport(pairs);
  lines.push('', ...detection.lines);
  lines.push('', `unsafe approvals    ${unsafeApprovals}`, '', 'misses:', ...misses.map((m) => `  ${m}`));
  return {
    report: lines.join('\n'),
    figures: {
      fieldAccuracy: Object.fromEntries([...fields.counts.keys()].map((k) => [k, fields.rate(k)])),
      statusAccuracy: outcome.rate('status'),
      flagRecall: Object.fromEntries([...flagRecall.counts.keys()].map((k) => [k, flagRecall.rate(k)])),
      detection: detection.figures,
      unsafeApprovals,
      seconds,
    },
  };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** SROIE labels print the date as the receipt does; day-first, two-digit years in 20xx. */
export function labelDateToIso(label: string): string | null {
  const text = label.trim().toUpperCase();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  m = /^(\d{1,2})[-/. ]([A-Z]{3})[A-Z]*[-/. ,]*(\d{2,4})$/.exec(text);
  if (m && MONTHS.includes(m[2]!)) {
    const year = m[3]!.length === 2 ? `20${m[3]}` : m[3]!;
    return `${year}-${String(MONTHS.indexOf(m[2]!) + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  }
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$/.exec(text);
  if (m) {
    const year = m[3]!.length === 2 ? `20${m[3]}` : m[3]!;
    return `${year}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  }
  return null;
}

async function evaluateReceipts(folder: string, config: Config): Promise<Record<string, unknown>> {
  const images = (await readdir(path.join(folder, 'images'))).filter((f) => /\.(jpe?g|png|pdf)$/i.test(f)).sort();
  const inputs: ClaimInput[] = images.map((name) => ({
    file: name,
    loadReceipt: () => readReceiptFile(path.join(folder, 'images', name), config.limits.maxFileBytes),
    form: { claimId: name },
  }));
  const started = Date.now();
  const results = await withScratchRuntime(config, (run) => run(inputs));
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
    `  fraud false alarms ${pct(alarms.length, results.length)} (${alarms.length}/${results.length})${alarms.length ? ': ' : ''}${alarms
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
export async function runEvaluation(folder: string, config: Config, options: { json: boolean; generated: boolean }): Promise<void> {
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
  if (claimsSet) outcome = await evaluateClaims(folder, config);
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
  const generated = await evaluateGenerated(folder, config);
  process.stdout.write(
    options.json ? `${JSON.stringify({ dataset: outcome.figures, generated: generated.figures })}\n` : `${generated.report as string}\n`,
  );
}

/** The same scoring on fraud cases made from the dataset's clean claims (see tamper-cases.ts). */
async function evaluateGenerated(folder: string, config: Config): Promise<Record<string, unknown>> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'warranty-generated-'));
  const sets = { reuse: path.join(out, 'reuse'), edits: path.join(out, 'edits'), clones: path.join(out, 'clones') };
  try {
    await withScratchRuntime(config, (_run, ocr) => generateTamperCases(folder, sets, ocr, config.limits.maxPixels));
    const reused = await evaluateClaims(sets.reuse, config);
    const edited = await evaluateClaims(sets.edits, config);
    const cloned = await evaluateClaims(sets.clones, config);
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
