import { describe, expect, it } from 'vitest';
import { parseCalibration } from '../../../../src/policy/confidence-calibration.js';
import { fitCalibrationMap, fitCalibrationTable, type FieldReading, type LabelledReading } from '../../../../tools/calibration/fit.js';

/** `count` readings at `confidence`, the first `right` of them right. */
function readings(confidence: number, count: number, right: number): LabelledReading[] {
  return Array.from({ length: count }, (_, i) => ({ confidence, right: i < right }));
}

describe('fitting a calibration map (isotonic, pool-adjacent-violators)', () => {
  it('reproduces the share of right readings at each score, smoothed by one right and one wrong', () => {
    const map = fitCalibrationMap([...readings(0.2, 40, 10), ...readings(0.5, 40, 30), ...readings(0.9, 40, 40)], 30);
    expect(map).toEqual({
      knots: [
        [0.2, 0.262], // (10 + 1) / (40 + 2)
        [0.5, 0.738], // (30 + 1) / 42
        [0.9, 0.976], // 41 / 42
      ],
      count: 120,
    });
  });

  it('pools a score that did better than a higher one with it: the map never falls', () => {
    const map = fitCalibrationMap([...readings(0.3, 40, 36), ...readings(0.6, 40, 28), ...readings(0.9, 40, 40)], 30)!;
    // 0.3 (90%) and 0.6 (70%) violate the order: one step of 64/80 at their mean score.
    expect(map.knots).toEqual([
      [0.45, 0.793],
      [0.9, 0.976],
    ]);
    for (let i = 1; i < map.knots.length; i++) expect(map.knots[i]![1]).toBeGreaterThanOrEqual(map.knots[i - 1]![1]);
  });

  it('holds at least the minimum count in every step: a few lucky readings promise no certainty', () => {
    const map = fitCalibrationMap([...readings(0.2, 50, 25), ...readings(0.4, 5, 4), ...readings(0.8, 50, 45)], 30)!;
    // The 5 readings at 0.4 (4 right) join the 0.8 step, whose share is nearer, not a step of their own.
    expect(map.knots).toEqual([
      [0.2, 0.5],
      [0.7636, 0.877],
    ]);
  });

  it('is monotone on shuffled, noisy data', () => {
    let state = 7;
    const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
    const noisy = Array.from({ length: 2000 }, () => {
      const confidence = Math.round(random() * 1000) / 1000;
      return { confidence, right: random() < 0.3 + 0.6 * confidence };
    });
    const map = fitCalibrationMap(noisy, 30)!;
    expect(map.knots.length).toBeGreaterThan(3);
    for (let i = 1; i < map.knots.length; i++) {
      expect(map.knots[i]![0]).toBeGreaterThan(map.knots[i - 1]![0]);
      expect(map.knots[i]![1]).toBeGreaterThanOrEqual(map.knots[i - 1]![1]);
    }
  });

  it('fits nothing from fewer readings than the minimum', () => {
    expect(fitCalibrationMap(readings(0.5, 29, 20), 30)).toBeNull();
  });
});

describe('fitting a calibration table', () => {
  const meta = { version: '2099.1', description: 'test', fittedOn: ['test set'] };
  const of = (field: FieldReading['field'], kind: FieldReading['kind'], list: LabelledReading[]): FieldReading[] =>
    list.map((r) => ({ ...r, field, kind }));
  const everyField = (kind: FieldReading['kind'], list: LabelledReading[]) =>
    (['purchaseDate', 'retailer', 'model', 'serial', 'imei'] as const).flatMap((f) => of(f, kind, list));

  it('gives a map per reading kind that has enough readings, and one over all kinds', () => {
    const table = fitCalibrationTable(
      [
        ...everyField('ocr', readings(0.5, 40, 20)),
        ...of('purchaseDate', 'pdf-text', readings(0.5, 40, 40)),
        ...of('model', 'barcode', readings(0.9, 3, 3)),
      ],
      meta,
      30,
    );
    expect(table.fields.purchaseDate.ocr?.knots).toEqual([[0.5, 0.5]]);
    expect(table.fields.purchaseDate['pdf-text']?.knots).toEqual([[0.5, 0.976]]);
    expect(table.fields.purchaseDate.any.count).toBe(80);
    expect(table.fields.model.barcode).toBeUndefined();
    expect(table.fields.retailer['pdf-text']).toBeUndefined();
    // What the tool writes is what the loader accepts.
    expect(() => parseCalibration(table, 'fitted')).not.toThrow();
  });

  it('refuses to calibrate a field read too rarely', () => {
    expect(() => fitCalibrationTable(of('purchaseDate', 'ocr', readings(0.5, 40, 20)), meta, 30)).toThrow(/readings of retailer/);
  });
});
