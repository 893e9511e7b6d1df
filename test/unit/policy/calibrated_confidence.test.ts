import { describe, expect, it } from 'vitest';
import { CalibrationLoadError } from '../../../src/errors/calibration-load-error.js';
import { PolicyLoadError } from '../../../src/errors/policy-load-error.js';
import { assess } from '../../../src/policy/assess.js';
import {
  confidenceCalibration,
  mapConfidence,
  parseCalibration,
  READING_KINDS,
  type CalibrationTable,
} from '../../../src/policy/confidence-calibration.js';
import { loadPolicy, parsePolicy } from '../../../src/policy/policy-table.js';
import { claim, receipt } from './claim-builders.js';

const FIELDS = ['purchaseDate', 'retailer', 'model', 'serial', 'imei'] as const;

/** A table whose `any` map is the identity and whose PDF-text and barcode maps say "nearly always right". */
function table(overrides: Partial<CalibrationTable> = {}): CalibrationTable {
  const identity = { knots: [[0, 0] as [number, number], [1, 1] as [number, number]], count: 100 };
  const sure = { knots: [[0.1, 0.99] as [number, number]], count: 100 };
  return {
    version: '2099.1',
    description: 'test',
    fittedOn: ['test'],
    method: 'test',
    fields: Object.fromEntries(FIELDS.map((f) => [f, { any: identity, 'pdf-text': sure, barcode: sure }])) as CalibrationTable['fields'],
    ...overrides,
  };
}

describe('a calibration map', () => {
  const map = {
    knots: [
      [0.2, 0.3],
      [0.6, 0.9],
    ] as Array<[number, number]>,
    count: 50,
  };

  it('is linear between its knots and flat beyond them', () => {
    expect(mapConfidence(map, 0.4)).toBeCloseTo(0.6, 10);
    expect(mapConfidence(map, 0.05)).toBe(0.3);
    expect(mapConfidence(map, 0.95)).toBe(0.9);
  });
});

describe('calibrating an extraction', () => {
  const calibration = parseCalibration(table(), 'test table');

  it("maps each read field by the way it was read: a PDF's text by its own map, OCR by the pooled one", () => {
    const ocr = calibration.calibrate(receipt({ purchaseDate: { value: '2024-03-12', confidence: 0.42 } }, { textSource: 'ocr' }));
    const pdf = calibration.calibrate(receipt({ purchaseDate: { value: '2024-03-12', confidence: 0.42 } }, { textSource: 'pdf-text' }));
    expect(ocr.purchaseDate.confidence).toBe(0.42);
    expect(pdf.purchaseDate.confidence).toBe(0.99);
  });

  it('maps a value decoded from a barcode by the barcode map whatever the text source', () => {
    const read = receipt({}, { textSource: 'ocr' });
    const calibrated = calibration.calibrate({ ...read, imei: { ...read.imei, confidence: 0.3, via: 'barcode' } });
    expect(calibrated.imei.confidence).toBe(0.99);
  });

  it('leaves fields that were not read as they are, and never changes a value', () => {
    const read = receipt({ serial: null, model: { value: 'SM-S921B/DS', confidence: 0.5 } }, { textSource: 'pdf-text' });
    const calibrated = calibration.calibrate(read);
    expect(calibrated.serial).toEqual(read.serial);
    expect(FIELDS.map((f) => calibrated[f].value)).toEqual(FIELDS.map((f) => read[f].value));
  });

  it("leaves a reviewer's correction at the certainty the reviewer gave it", () => {
    const read = receipt({ serial: { value: '0TQ43HCT900517X', confidence: 0.5 } }, { textSource: 'pdf-text' });
    const corrected = { ...read, serial: { ...read.serial, source: 'reviewer' } };
    expect(calibration.calibrate(corrected).serial.confidence).toBe(0.5);
    expect(calibration.calibrate(read).serial.confidence).not.toBe(0.5);
  });
});

describe('loading a calibration table', () => {
  it('refuses a map whose probability falls as the score rises', () => {
    const broken = table();
    broken.fields.model.any = {
      knots: [
        [0.2, 0.8],
        [0.6, 0.5],
      ],
      count: 10,
    };
    expect(() => parseCalibration(broken, 'broken.json')).toThrow(/broken\.json[\s\S]*must not fall/);
  });

  it('refuses knots whose scores do not rise, and a probability above 1', () => {
    const unordered = table();
    unordered.fields.serial.any = {
      knots: [
        [0.6, 0.5],
        [0.6, 0.7],
      ],
      count: 10,
    };
    expect(() => parseCalibration(unordered, 'x')).toThrow(/must rise/);
    const overOne = table();
    overOne.fields.imei.any = { knots: [[0.5, 1.2]], count: 10 };
    expect(() => parseCalibration(overOne, 'x')).toThrow(CalibrationLoadError);
  });

  it('refuses a table without a pooled map for every field', () => {
    const missing = table() as unknown as { fields: Record<string, unknown> };
    delete missing.fields.retailer;
    expect(() => parseCalibration(missing, 'x')).toThrow(/retailer/);
  });

  it('names an unknown version and the known ones', () => {
    expect(() => confidenceCalibration('1999.1')).toThrow(/unknown confidence calibration "1999.1"; known versions: 2026.7/);
  });

  it('ships 2026.7 fitted for every field, each map rising', () => {
    const shipped = confidenceCalibration('2026.7');
    for (const field of FIELDS) {
      const scores = [0, 0.2, 0.4, 0.6, 0.8, 1].map((raw) => shipped.probability(field, 'ocr', raw));
      expect(scores).toEqual([...scores].sort((a, b) => a - b));
      for (const kind of READING_KINDS) expect(shipped.probability(field, kind, 0.5)).toBeGreaterThan(0);
    }
  });

  it('makes a policy table that names a calibration which does not load invalid', () => {
    const table2026_7 = structuredClone(loadPolicy('2026.7')) as Record<string, unknown>;
    table2026_7.confidenceCalibration = '1999.1';
    expect(() => parsePolicy(table2026_7, 'policies/test.json')).toThrow(PolicyLoadError);
  });
});

describe('the low-confidence bar under a calibrated policy (2026.7)', () => {
  const policy2026_7 = loadPolicy('2026.7');
  const calibration = confidenceCalibration(policy2026_7.confidenceCalibration!);
  const bar = policy2026_7.checks.lowConfidence.minConfidence.model;
  // Around the raw OCR score of a model code that the shipped map carries over the bar.
  const scores = Array.from({ length: 1001 }, (_, i) => i / 1000);
  const passing = scores.find((raw) => calibration.probability('model', 'ocr', raw) >= bar)!;
  const failing = scores.find((raw) => calibration.probability('model', 'ocr', raw) < bar)!;

  const input = (confidence: number) => claim({ receipt: receipt({ model: { value: 'SM-S921B/DS', confidence } }, { textSource: 'ocr' }) });
  const lowModel = (decision: ReturnType<typeof assess>) =>
    decision.flags.filter((f) => f.code === 'LOW_CONFIDENCE' && f.evidence.field === 'model');

  it('compares the calibrated probability with the bar, not the raw score', () => {
    expect(passing).toBeLessThan(bar);
    const decision = assess(input(passing), policy2026_7);
    expect(lowModel(decision)).toEqual([]);
    expect(decision.status).toBe('eligible');
    expect(decision.reconciledFields?.model?.confidence).toBe(calibration.probability('model', 'ocr', passing));
  });

  it('shows the reviewer the probability, the raw score and the calibration that made one of the other', () => {
    expect(failing).toBeDefined();
    const decision = assess(input(failing), policy2026_7);
    expect(decision.status).toBe('needs_review');
    expect(lowModel(decision)[0]?.evidence).toMatchObject({
      confidence: calibration.probability('model', 'ocr', failing),
      rawConfidence: failing,
      calibration: '2026.7',
      threshold: bar,
    });
    expect(lowModel(decision)[0]?.message).toMatch(/probability that such a reading is right, by calibration 2026\.7/);
  });

  it('leaves 2026.6 comparing the raw score with its bar of 0.6, as it always did', () => {
    const decision = assess(input(0.55), loadPolicy('2026.6'));
    expect(lowModel(decision)[0]?.evidence).toMatchObject({ confidence: 0.55, threshold: 0.6 });
    expect(lowModel(decision)[0]?.evidence).not.toHaveProperty('rawConfidence');
    expect(decision.reconciledFields).toBeUndefined();
  });
});
