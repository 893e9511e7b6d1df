/**
 * Scoring of a labelled claims set, with no I/O: truths and the pipeline's results in, figures and
 * report lines out. Figures are given overall and per document kind (how the proof of purchase
 * came: text PDF, scan, photo, …), because the kinds fail differently.
 */
import { FIELD_NAMES, type FieldName } from '../../src/domain/extraction.js';
import type { ClaimResult } from '../../src/domain/result.js';
import { comparableModel, compactCode } from '../../src/domain/identifiers.js';
import { editDistance } from '../../src/extract/fuzzy.js';

/** One labelled claim of a dataset: what the receipt truly shows and the expected decision. */
export interface Truth {
  claimId: string;
  file: string;
  scenario?: string;
  /** How the document was made (the corpus writes it; claims-dev's is its `doc.mode`). */
  documentKind?: string;
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

export interface Pair {
  truth: Truth;
  result: ClaimResult;
}

export const documentKind = (truth: Truth): string => truth.documentKind ?? truth.doc?.mode ?? 'unknown';

/** Similarity 0..1 from edit distance, as SROIE's company field is scored here. */
export function similarity(a: string, b: string): number {
  const x = a.toUpperCase().replace(/\s+/g, ' ').trim();
  const y = b.toUpperCase().replace(/\s+/g, ' ').trim();
  if (!x.length && !y.length) return 1;
  return 1 - editDistance(x, y) / Math.max(x.length, y.length);
}

export function fieldRight(field: FieldName, truth: Pick<Truth, 'receipt' | 'retailerAliases'>, value: string | null): boolean {
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

/** Decided eligible where the truth is not: the worst outcome the pipeline can have. */
const unsafeApproval = (truth: Truth, result: ClaimResult) => result.status === 'eligible' && truth.expected.status !== 'eligible';

export function statusRight(truth: Truth, result: ClaimResult): boolean {
  const codes = result.flags.map((f) => f.code as string);
  return (
    result.status === truth.expected.status ||
    (truth.acceptAlso ?? []).some((outcome) => outcome.status === result.status && outcome.flags.every((code) => codes.includes(code)))
  );
}

export interface Rate {
  right: number;
  total: number;
}

const rate = (r: Rate): number | null => (r.total ? r.right / r.total : null);

export const percent = (n: number, d: number): string => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

/** Right/total counts under keys. */
export class Tally {
  readonly counts = new Map<string, Rate>();
  add(key: string, right: boolean): void {
    const c = this.counts.get(key) ?? { right: 0, total: 0 };
    c.total++;
    if (right) c.right++;
    this.counts.set(key, c);
  }
  get(key: string): Rate {
    return this.counts.get(key) ?? { right: 0, total: 0 };
  }
  rate(key: string): number | null {
    return rate(this.get(key));
  }
  line(key: string): string {
    const c = this.get(key);
    return `${percent(c.right, c.total)} (${c.right}/${c.total})`;
  }
}

/** Figures for one group of claims (all of them, or one document kind). */
export interface GroupFigures {
  claims: number;
  status: Rate;
  /** Eligible claims decided eligible: the share that needs no human. */
  straightThrough: Rate;
  /** Decided eligible where the truth is not eligible. */
  unsafeApprovals: number;
  fields: Record<FieldName, Rate>;
  calibration: Record<FieldName, Calibration>;
}

/** One bin of a reliability table: the values read with a confidence in [from, to). */
export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanConfidence: number | null;
  accuracy: number | null;
}

export interface Calibration {
  bins: ReliabilityBin[];
  /** Expected calibration error: the count-weighted mean gap between confidence and accuracy. */
  ece: number | null;
  count: number;
}

const BINS = 10;

/**
 * Reliability table and expected calibration error of a field's confidence, over the values the
 * pipeline read (a field it left empty states no belief, so it is not counted).
 */
export function calibration(points: Array<{ confidence: number; right: boolean }>): Calibration {
  const bins = Array.from({ length: BINS }, (_, i) => ({ from: i / BINS, to: (i + 1) / BINS, count: 0, confidenceSum: 0, right: 0 }));
  for (const { confidence, right } of points) {
    const bin = bins[Math.min(BINS - 1, Math.max(0, Math.floor(confidence * BINS)))]!;
    bin.count++;
    bin.confidenceSum += confidence;
    if (right) bin.right++;
  }
  const count = points.length;
  const ece = count
    ? bins.reduce((sum, b) => sum + (b.count ? (b.count / count) * Math.abs(b.right / b.count - b.confidenceSum / b.count) : 0), 0)
    : null;
  return {
    bins: bins.map((b) => ({
      from: b.from,
      to: b.to,
      count: b.count,
      meanConfidence: b.count ? b.confidenceSum / b.count : null,
      accuracy: b.count ? b.right / b.count : null,
    })),
    ece,
    count,
  };
}

function groupFigures(pairs: Pair[]): GroupFigures {
  const counts = new Tally();
  const points = Object.fromEntries(FIELD_NAMES.map((f) => [f, [] as Array<{ confidence: number; right: boolean }>])) as Record<
    FieldName,
    Array<{ confidence: number; right: boolean }>
  >;
  let unsafeApprovals = 0;
  for (const { truth, result } of pairs) {
    counts.add('status', statusRight(truth, result));
    if (truth.expected.status === 'eligible') counts.add('straightThrough', result.status === 'eligible');
    if (unsafeApproval(truth, result)) unsafeApprovals++;
    // A document refused as unreadable has no fields to score.
    if (truth.scenario === 'unreadable') continue;
    for (const field of FIELD_NAMES) {
      const { value, confidence } = result.fields[field];
      const right = fieldRight(field, truth, value);
      counts.add(field, right);
      if (value !== null) points[field].push({ confidence, right });
    }
  }
  return {
    claims: pairs.length,
    status: counts.get('status'),
    straightThrough: counts.get('straightThrough'),
    unsafeApprovals,
    fields: Object.fromEntries(FIELD_NAMES.map((f) => [f, counts.get(f)])) as Record<FieldName, Rate>,
    calibration: Object.fromEntries(FIELD_NAMES.map((f) => [f, calibration(points[f])])) as Record<FieldName, Calibration>,
  };
}

export interface ClaimsFigures {
  all: GroupFigures;
  byKind: Record<string, GroupFigures>;
  byScenario: Record<string, Rate>;
  flagRecall: Record<string, Rate>;
  /** Flags raised on eligible claims that were sent to a human: why they did not go straight through. */
  heldBackBy: Record<string, number>;
  misses: string[];
}

/** Every figure of a claims set: overall, per document kind, per scenario, per expected flag. */
export function scoreClaims(pairs: Pair[]): ClaimsFigures {
  const kinds = [...new Set(pairs.map((p) => documentKind(p.truth)))].sort();
  const byScenario = new Tally();
  const flagRecall = new Tally();
  const heldBackBy: Record<string, number> = {};
  const misses: string[] = [];
  for (const { truth, result } of pairs) {
    const right = statusRight(truth, result);
    byScenario.add(truth.scenario ?? 'unknown', right);
    for (const code of truth.expected.flags)
      flagRecall.add(
        code,
        result.flags.some((f) => f.code === code),
      );
    if (truth.expected.status === 'eligible' && result.status !== 'eligible')
      for (const code of new Set(result.flags.map((f) => f.code as string))) heldBackBy[code] = (heldBackBy[code] ?? 0) + 1;
    const where = `${truth.claimId} ${truth.file} [${documentKind(truth)}]`;
    if (truth.scenario !== 'unreadable')
      for (const field of FIELD_NAMES) {
        const value = result.fields[field].value;
        if (!fieldRight(field, truth, value)) misses.push(`${where} ${field}: expected ${truth.receipt[field]} got ${value}`);
      }
    if (!right)
      misses.push(
        `${unsafeApproval(truth, result) ? 'UNSAFE APPROVAL ' : ''}${where} status: expected ${truth.expected.status} ${truth.expected.flags.join(',')} got ${result.status} ${result.flags.map((f) => f.code).join(',')}`,
      );
  }
  return {
    all: groupFigures(pairs),
    byKind: Object.fromEntries(kinds.map((k) => [k, groupFigures(pairs.filter((p) => documentKind(p.truth) === k))])),
    byScenario: Object.fromEntries([...byScenario.counts.entries()].sort()),
    flagRecall: Object.fromEntries([...flagRecall.counts.entries()].sort()),
    heldBackBy: Object.fromEntries(Object.entries(heldBackBy).sort((a, b) => b[1] - a[1])),
    misses,
  };
}

const cell = (r: Rate) => `${percent(r.right, r.total)} ${`(${r.right}/${r.total})`.padEnd(11)}`;
const short = (r: Rate) => (r.total === 0 ? '    -' : `${((100 * r.right) / r.total).toFixed(0).padStart(4)}%`);
const ece = (c: Calibration) => (c.ece === null ? '    -' : c.ece.toFixed(3).padStart(5));

/** The figures as the text report `npm run eval` prints. */
export function claimsReport(figures: ClaimsFigures): string[] {
  const groups: Array<[string, GroupFigures]> = [...Object.entries(figures.byKind), ['all', figures.all]];
  const lines = ['per document kind  claims  status right           straight-through      unsafe  date  retail model serial  IMEI'];
  for (const [kind, g] of groups)
    lines.push(
      `  ${kind.padEnd(17)} ${String(g.claims).padStart(5)}  ${cell(g.status)} ${cell(g.straightThrough)} ${String(g.unsafeApprovals).padStart(6)} ${FIELD_NAMES.map((f) => short(g.fields[f])).join(' ')}`,
    );
  lines.push('', 'confidence calibration: expected calibration error per field, confidences as the results give them (values read only)');
  lines.push(`  ${'kind'.padEnd(17)} ${FIELD_NAMES.map((f) => f.padStart(12)).join('')}`);
  for (const [kind, g] of groups)
    lines.push(
      `  ${kind.padEnd(17)} ${FIELD_NAMES.map((f) => `${ece(g.calibration[f])} (${g.calibration[f].count})`.padStart(12)).join('')}`,
    );
  lines.push('', 'reliability table, all kinds: accuracy (count) per confidence bin');
  lines.push(`  ${'bin'.padEnd(10)} ${FIELD_NAMES.map((f) => f.padStart(14)).join('')}`);
  for (let b = 0; b < BINS; b++) {
    const { from, to } = figures.all.calibration.purchaseDate.bins[b]!;
    const row = FIELD_NAMES.map((f) => {
      const bin = figures.all.calibration[f].bins[b]!;
      return (bin.accuracy === null ? '-' : `${(100 * bin.accuracy).toFixed(0)}% (${bin.count})`).padStart(14);
    });
    lines.push(`  ${`${from.toFixed(1)}-${to.toFixed(1)}`.padEnd(10)} ${row.join('')}`);
  }
  lines.push('', 'status right per scenario');
  for (const [scenario, r] of Object.entries(figures.byScenario)) lines.push(`  ${scenario.padEnd(24)} ${cell(r)}`);
  lines.push('', 'flag recall');
  for (const [code, r] of Object.entries(figures.flagRecall)) lines.push(`  ${code.padEnd(24)} ${cell(r)}`);
  lines.push('', 'eligible claims not decided eligible, by flag raised');
  for (const [code, n] of Object.entries(figures.heldBackBy)) lines.push(`  ${code.padEnd(24)} ${n}`);
  return lines;
}

/** The figures for `--json`: rates as numbers (null where nothing was counted), with their counts. */
export function claimsJson(figures: ClaimsFigures): Record<string, unknown> {
  const group = (g: GroupFigures) => ({
    claims: g.claims,
    statusAccuracy: rate(g.status),
    status: g.status,
    straightThroughRate: rate(g.straightThrough),
    straightThrough: g.straightThrough,
    unsafeApprovals: g.unsafeApprovals,
    fieldAccuracy: Object.fromEntries(FIELD_NAMES.map((f) => [f, rate(g.fields[f])])),
    fields: g.fields,
    calibration: g.calibration,
  });
  return {
    ...group(figures.all),
    byKind: Object.fromEntries(Object.entries(figures.byKind).map(([k, g]) => [k, group(g)])),
    statusByScenario: figures.byScenario,
    flagRecall: Object.fromEntries(Object.entries(figures.flagRecall).map(([k, r]) => [k, rate(r)])),
    heldBackBy: figures.heldBackBy,
  };
}
