import { describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../../../src/domain/result.js';
import { labelDateToIso } from '../../../../tools/eval/receipts.js';
import { stratifiedSample } from '../../../../tools/eval/sample.js';
import { calibration, claimsJson, claimsReport, documentKind, scoreClaims, type Truth } from '../../../../tools/eval/scoring.js';

const receipt = { purchaseDate: '2024-03-12', retailer: 'Elgiganten', model: 'SM-S911B/DS', serial: null, imei: '356938035643809' };

function truth(claimId: string, kind: string, status: string, extra: Partial<Truth> = {}): Truth {
  return {
    claimId,
    file: `files/${claimId}.jpg`,
    documentKind: kind,
    scenario: 'clean',
    receipt,
    expected: { status, flags: [] },
    ...extra,
  };
}

function result(
  claimId: string,
  status: ClaimResult['status'],
  fields: Partial<Record<keyof typeof receipt, [string | null, number]>> = {},
): ClaimResult {
  const field = (name: keyof typeof receipt) => {
    const [value, confidence] = fields[name] ?? [receipt[name], 0.95];
    return { value, confidence, source: value };
  };
  return {
    claimId,
    file: `files/${claimId}.jpg`,
    status,
    fields: {
      purchaseDate: field('purchaseDate'),
      retailer: field('retailer'),
      model: field('model'),
      serial: field('serial'),
      imei: field('imei'),
    },
    warranty: null,
    flags: status === 'needs_review' ? [{ code: 'LOW_CONFIDENCE', message: '', evidence: {} }] : [],
    policyVersion: '2026.3',
  } as ClaimResult;
}

describe('calibration', () => {
  it('bins confidences, and measures the gap between confidence and accuracy', () => {
    const points = [
      ...Array.from({ length: 10 }, (_, i) => ({ confidence: 0.95, right: i < 9 })),
      ...Array.from({ length: 10 }, (_, i) => ({ confidence: 0.55, right: i < 3 })),
    ];
    const c = calibration(points);
    expect(c.count).toBe(20);
    expect(c.bins[9]).toMatchObject({ count: 10, accuracy: 0.9 });
    expect(c.bins[9]!.meanConfidence).toBeCloseTo(0.95);
    expect(c.bins[5]).toMatchObject({ count: 10, accuracy: 0.3 });
    // (10/20)·|0.9 − 0.95| + (10/20)·|0.3 − 0.55|
    expect(c.ece).toBeCloseTo(0.15);
  });

  it('puts a confidence of 1 in the top bin and has no error without points', () => {
    expect(calibration([{ confidence: 1, right: true }]).bins[9]!.count).toBe(1);
    expect(calibration([]).ece).toBeNull();
  });
});

describe('scoreClaims', () => {
  const pairs = [
    { truth: truth('C-1', 'photo', 'eligible'), result: result('C-1', 'eligible') },
    {
      truth: truth('C-2', 'photo', 'eligible'),
      result: result('C-2', 'needs_review', { serial: [null, 0], imei: ['356938035643808', 0.5] }),
    },
    { truth: truth('C-3', 'photo', 'needs_review'), result: result('C-3', 'eligible') },
    { truth: truth('C-4', 'pdf_text', 'not_eligible'), result: result('C-4', 'not_eligible', { retailer: ['ELGIGANTEN', 0.9] }) },
  ];
  const figures = scoreClaims(pairs);

  it('reports status, straight-through and unsafe approvals per document kind', () => {
    expect(figures.byKind.photo).toMatchObject({
      claims: 3,
      status: { right: 1, total: 3 },
      straightThrough: { right: 1, total: 2 },
      unsafeApprovals: 1,
    });
    expect(figures.byKind.pdf_text).toMatchObject({
      claims: 1,
      status: { right: 1, total: 1 },
      straightThrough: { right: 0, total: 0 },
      unsafeApprovals: 0,
    });
    expect(figures.all.unsafeApprovals).toBe(1);
    expect(figures.heldBackBy).toEqual({ LOW_CONFIDENCE: 1 });
  });

  it('names each unsafe approval among the misses, so it can be looked at', () => {
    expect(figures.misses.filter((m) => m.startsWith('UNSAFE APPROVAL '))).toEqual([expect.stringMatching(/^UNSAFE APPROVAL C-3 /)]);
  });

  it('scores fields, and calibrates only the values the pipeline read', () => {
    expect(figures.byKind.photo!.fields.imei).toEqual({ right: 2, total: 3 });
    expect(figures.byKind.pdf_text!.fields.retailer).toEqual({ right: 1, total: 1 });
    expect(figures.all.calibration.serial.count).toBe(0);
    expect(figures.all.calibration.imei.count).toBe(4);
    expect(figures.misses.some((m) => m.startsWith('C-2') && m.includes('imei'))).toBe(true);
  });

  it('prints a row per kind and gives the same figures as JSON', () => {
    const report = claimsReport(figures).join('\n');
    expect(report).toMatch(/photo\s+3\s+33\.3% \(1\/3\)/);
    expect(report).toContain('reliability table');
    const json = claimsJson(figures) as { byKind: Record<string, { statusAccuracy: number; straightThroughRate: number | null }> };
    expect(json.byKind.photo!.statusAccuracy).toBeCloseTo(1 / 3);
    expect(json.byKind.pdf_text!.straightThroughRate).toBeNull();
  });

  it('takes the kind from claims-dev’s doc.mode when the truth names none', () => {
    expect(documentKind({ ...truth('D', 'x', 'eligible'), documentKind: undefined, doc: { mode: 'pdf_scan' } })).toBe('pdf_scan');
  });
});

describe('stratifiedSample', () => {
  const kinds = ['photo', 'photo', 'photo', 'photo', 'scan', 'fax'];
  const truths = Array.from({ length: 60 }, (_, i) => truth(`C-${i}`, kinds[i % kinds.length]!, 'eligible'));
  truths[35] = { ...truths[35]!, duplicateOf: 'C-1' };

  it('keeps every kind, in proportion with a floor, and the claims duplicates refer to', () => {
    const sample = stratifiedSample(truths, 12);
    const byKind = (kind: string) => truths.filter((t) => sample.has(t.claimId) && documentKind(t) === kind).length;
    // 8 photos by their share, plus C-1: the sampled fax C-35 re-uses its receipt.
    expect(sample.has('C-35')).toBe(true);
    expect(sample.has('C-1')).toBe(true);
    expect(byKind('photo')).toBe(9);
    expect(byKind('scan')).toBe(2);
    expect(byKind('fax')).toBe(2);
    expect(stratifiedSample(truths, 12)).toEqual(sample);
  });
});

describe('SROIE labels', () => {
  it('reads day-first dates in the formats the labels use', () => {
    expect(labelDateToIso('05/03/2018')).toBe('2018-03-05');
    expect(labelDateToIso('05 MAR 2018')).toBe('2018-03-05');
    expect(labelDateToIso('2018-03-05')).toBe('2018-03-05');
    expect(labelDateToIso('5-3-18')).toBe('2018-03-05');
  });
});
