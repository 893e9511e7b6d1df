/**
 * What the low-confidence bar buys, with no I/O: the claims already read are assessed again under
 * the same policy with other bars (assess is pure and cheap: no OCR), counting for each bar the
 * eligible claims that go straight through and the unsafe approvals. And how well the confidences
 * the decision compares with the bar are calibrated, before and after the policy's calibration.
 */
import type { AssessInput } from '../../src/domain/assessment.js';
import { FIELD_NAMES, type FieldName } from '../../src/domain/extraction.js';
import type { ClaimResult } from '../../src/domain/result.js';
import { assess } from '../../src/policy/assess.js';
import type { ConfidenceCalibration } from '../../src/policy/confidence-calibration.js';
import type { Policy } from '../../src/policy/policy-schema.js';
import { calibration, fieldRight, percent, statusRight, Tally, type Calibration, type Rate, type Truth } from './scoring.js';

/** A labelled claim as decided, with what its decision was assessed from (null: refused before assessment). */
export interface DecidedClaim {
  truth: Truth;
  result: ClaimResult;
  input: AssessInput | null;
}

export const CANDIDATE_BARS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99];

export interface Outcomes {
  status: Rate;
  /** Eligible claims decided eligible. */
  straightThrough: Rate;
  /** Decided eligible where the truth is not. */
  unsafeApprovals: number;
}

export interface CurvePoint extends Outcomes {
  bar: number;
}

/** The policy with one low-confidence bar for every field. */
export function withConfidenceBar(policy: Policy, bar: number): Policy {
  const lowConfidence = policy.checks.lowConfidence;
  return {
    ...policy,
    checks: {
      ...policy.checks,
      lowConfidence: { ...lowConfidence, minConfidence: { purchaseDate: bar, retailer: bar, model: bar, serial: bar, imei: bar } },
    },
  };
}

/** The claims' outcomes under `policy` as it is: a claim refused before assessment keeps its result. */
export function outcomesUnder(claims: readonly DecidedClaim[], policy: Policy): Outcomes {
  const tally = new Tally();
  let unsafeApprovals = 0;
  for (const { truth, result, input } of claims) {
    const decided = input ? { ...result, ...pick(assess(input, policy)) } : result;
    tally.add('status', statusRight(truth, decided));
    if (truth.expected.status === 'eligible') tally.add('straightThrough', decided.status === 'eligible');
    if (decided.status === 'eligible' && truth.expected.status !== 'eligible') unsafeApprovals++;
  }
  return { status: tally.get('status'), straightThrough: tally.get('straightThrough'), unsafeApprovals };
}

const pick = ({ status, flags }: Pick<ClaimResult, 'status' | 'flags'>) => ({ status, flags });

export function approvalCurve(claims: readonly DecidedClaim[], policy: Policy, bars: readonly number[] = CANDIDATE_BARS): CurvePoint[] {
  return bars.map((bar) => ({ ...outcomesUnder(claims, withConfidenceBar(policy, bar)), bar }));
}

/**
 * The lowest bar from which on no bar of the curve approves an unsafe claim, raised by `margin`
 * (to the next candidate at or above it): the approval bar the curve supports. Null when even the
 * highest bar approves one.
 */
export function lowestSafeBar(curve: readonly CurvePoint[], margin: number): number | null {
  let safeFrom: number | null = null;
  for (const point of [...curve].sort((a, b) => b.bar - a.bar)) {
    if (point.unsafeApprovals > 0) break;
    safeFrom = point.bar;
  }
  if (safeFrom === null) return null;
  const wanted = safeFrom + margin;
  return curve.map((p) => p.bar).find((bar) => bar >= wanted - 1e-9) ?? Math.max(...curve.map((p) => p.bar));
}

/** Reliability of the confidences the decision compares with the bar: the extractor's raw scores, and calibrated. */
export interface CalibrationShift {
  version: string | null;
  raw: Record<FieldName, Calibration>;
  calibrated: Record<FieldName, Calibration>;
}

/** Each read value of the claims scored right or wrong, with its raw and its calibrated confidence. */
export function calibrationShift(claims: readonly DecidedClaim[], calibrator: ConfidenceCalibration | null): CalibrationShift {
  const raw = new Map<FieldName, Array<{ confidence: number; right: boolean }>>(FIELD_NAMES.map((f) => [f, []]));
  const calibrated = new Map<FieldName, Array<{ confidence: number; right: boolean }>>(FIELD_NAMES.map((f) => [f, []]));
  for (const { truth, input } of claims) {
    if (!input?.extraction || truth.scenario === 'unreadable') continue;
    const extraction = input.extraction;
    const mapped = calibrator ? calibrator.calibrate(extraction) : extraction;
    for (const field of FIELD_NAMES) {
      const { value, confidence } = extraction[field];
      if (value === null) continue;
      const right = fieldRight(field, truth, value);
      raw.get(field)!.push({ confidence, right });
      calibrated.get(field)!.push({ confidence: mapped[field].confidence, right });
    }
  }
  const byField = (points: typeof raw) =>
    Object.fromEntries(FIELD_NAMES.map((f) => [f, calibration(points.get(f)!)])) as Record<FieldName, Calibration>;
  return { version: calibrator?.version ?? null, raw: byField(raw), calibrated: byField(calibrated) };
}

const ece = (c: Calibration) => (c.ece === null ? '    -' : c.ece.toFixed(3));

/** The report lines `npm run eval` prints for the calibration and the curve. */
export function approvalReport(shift: CalibrationShift, curve: readonly CurvePoint[], asDecided: Outcomes, policy: Policy): string[] {
  const bars = [...new Set(Object.values(policy.checks.lowConfidence.minConfidence))].join('/');
  const lines = [
    `confidence calibration ${shift.version ? `${shift.version} (policy ${policy.version})` : `none (policy ${policy.version} compares raw scores)`}: expected calibration error per field, values read`,
    `  ${''.padEnd(22)}${FIELD_NAMES.map((f) => f.padStart(13)).join('')}`,
    `  ${'extractor score'.padEnd(22)}${FIELD_NAMES.map((f) => `${ece(shift.raw[f])} (${shift.raw[f].count})`.padStart(13)).join('')}`,
    `  ${'calibrated'.padEnd(22)}${FIELD_NAMES.map((f) => `${ece(shift.calibrated[f])} (${shift.calibrated[f].count})`.padStart(13)).join('')}`,
    '',
    'reliability after calibration, all kinds: accuracy (count) per confidence bin',
  ];
  for (let b = 0; b < 10; b++) {
    const { from, to } = shift.calibrated.purchaseDate.bins[b]!;
    const row = FIELD_NAMES.map((f) => {
      const bin = shift.calibrated[f].bins[b]!;
      return (bin.accuracy === null ? '-' : `${(100 * bin.accuracy).toFixed(0)}% (${bin.count})`).padStart(13);
    });
    lines.push(`  ${`${from.toFixed(1)}-${to.toFixed(1)}`.padEnd(22)}${row.join('')}`);
  }
  lines.push(
    '',
    `approval curve: the same claims assessed again with one low-confidence bar for every field (policy ${policy.version}'s is ${bars})`,
    '  bar    status right           straight-through       unsafe',
  );
  const row = (label: string, p: Outcomes) =>
    `  ${label.padEnd(6)} ${percent(p.status.right, p.status.total)} ${`(${p.status.right}/${p.status.total})`.padEnd(11)}  ${percent(p.straightThrough.right, p.straightThrough.total)} ${`(${p.straightThrough.right}/${p.straightThrough.total})`.padEnd(11)} ${String(p.unsafeApprovals).padStart(8)}`;
  for (const point of curve) lines.push(row(point.bar.toFixed(2), point));
  lines.push(row('policy', asDecided));
  return lines;
}
