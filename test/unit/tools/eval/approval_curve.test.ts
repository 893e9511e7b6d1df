import { describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../../../src/domain/result.js';
import { parseCalibration } from '../../../../src/policy/confidence-calibration.js';
import { loadPolicy } from '../../../../src/policy/policy-table.js';
import {
  approvalCurve,
  approvalReport,
  calibrationShift,
  lowestSafeBar,
  outcomesUnder,
  withConfidenceBar,
  type DecidedClaim,
} from '../../../../tools/eval/approval-curve.js';
import type { Truth } from '../../../../tools/eval/scoring.js';
import { claim, receipt, VALID_IMEI } from '../../policy/claim-builders.js';

// A table without calibration: the bar meets the scores as they are, so the arithmetic is plain.
const policy = loadPolicy('2026.6');
const shown = { purchaseDate: '2024-03-12', retailer: 'MediaMarkt', model: 'SM-S921B/DS', serial: null, imei: VALID_IMEI };

function decided(id: string, expected: string, dateConfidence: number | null, status: ClaimResult['status'] = 'eligible'): DecidedClaim {
  const truth: Truth = { claimId: id, file: `${id}.jpg`, scenario: 'clean', receipt: shown, expected: { status: expected, flags: [] } };
  const input =
    dateConfidence === null ? null : claim({ receipt: receipt({ purchaseDate: { value: '2024-03-12', confidence: dateConfidence } }) });
  const field = { value: null, confidence: 0, source: null };
  const result: ClaimResult = {
    claimId: id,
    file: `${id}.jpg`,
    status,
    fields: { purchaseDate: field, retailer: field, model: field, serial: field, imei: field },
    warranty: null,
    flags: [],
    policyVersion: policy.version,
    documentHash: null,
  };
  return { truth, result, input };
}

// Eligible, its date read at 0.9; not eligible by its truth though its reading looks eligible, date at 0.75; refused at the door.
const claims = [
  decided('right', 'eligible', 0.9),
  decided('misread', 'not_eligible', 0.75),
  decided('refused', 'rejected_input', null, 'rejected_input'),
];

describe('the approval curve', () => {
  const curve = approvalCurve(claims, policy, [0.7, 0.8, 0.95]);

  it('counts straight-through and unsafe approvals at each bar by assessing the claims again', () => {
    expect(curve.map((p) => [p.bar, p.straightThrough, p.unsafeApprovals])).toEqual([
      [0.7, { right: 1, total: 1 }, 1],
      [0.8, { right: 1, total: 1 }, 0],
      [0.95, { right: 0, total: 1 }, 0],
    ]);
  });

  it('scores status with a claim refused before assessment kept as it was decided', () => {
    // At 0.8: the eligible one approved, the misread one held for review (not its not_eligible), the refusal right.
    expect(curve[1]!.status).toEqual({ right: 2, total: 3 });
  });

  it('supports the lowest bar from which on nothing unsafe is approved, raised by the margin', () => {
    expect(lowestSafeBar(curve, 0)).toBe(0.8);
    expect(lowestSafeBar(curve, 0.1)).toBe(0.95);
    expect(lowestSafeBar(approvalCurve(claims, policy, [0.5, 0.7]), 0.05)).toBeNull();
  });

  it('sets one bar for every field and leaves the rest of the policy as it is', () => {
    const at = withConfidenceBar(policy, 0.85);
    expect(Object.values(at.checks.lowConfidence.minConfidence)).toEqual([0.85, 0.85, 0.85, 0.85, 0.85]);
    expect(at.checks.lowConfidence.id).toBe(policy.checks.lowConfidence.id);
    expect(at.families).toBe(policy.families);
    expect(policy.checks.lowConfidence.minConfidence.purchaseDate).toBe(0.6);
  });

  it("reproduces the policy's own decisions at the policy's own bar", () => {
    expect(outcomesUnder(claims, policy)).toEqual({
      status: { right: 2, total: 3 },
      straightThrough: { right: 1, total: 1 },
      unsafeApprovals: 1,
    });
  });
});

describe('calibration before and after', () => {
  it("scores each read value's raw and calibrated confidence against the truth", () => {
    const sure = { knots: [[0, 1] as [number, number]], count: 10 };
    const calibrator = parseCalibration(
      {
        version: '2099.1',
        description: 'test',
        fittedOn: ['test'],
        method: 'test',
        fields: { purchaseDate: { any: sure }, retailer: { any: sure }, model: { any: sure }, serial: { any: sure }, imei: { any: sure } },
      },
      'test',
    );
    const shift = calibrationShift(claims, calibrator);
    // Two dates read, both as the truth shows: raw 0.9 and 0.75 are off by 0.1 and 0.25; calibrated to 1, off by nothing.
    expect(shift.raw.purchaseDate.count).toBe(2);
    expect(shift.raw.purchaseDate.ece).toBeCloseTo(0.175, 10);
    expect(shift.calibrated.purchaseDate.ece).toBe(0);
    const report = approvalReport(shift, approvalCurve(claims, policy, [0.8]), outcomesUnder(claims, policy), policy).join('\n');
    expect(report).toMatch(/confidence calibration 2099\.1/);
    expect(report).toMatch(/0\.80 +66\.7% \(2\/3\)/);
  });
});
