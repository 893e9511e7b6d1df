import { FIELD_NAMES, type FieldName } from '../../src/domain/extraction.js';
import { READING_KINDS, type CalibrationMap, type CalibrationTable, type ReadingKind } from '../../src/policy/confidence-calibration.js';

/**
 * Fitting a confidence calibration from labelled readings, with no I/O: isotonic regression by
 * pool-adjacent-violators (the probability of being right may only rise with the raw score, and
 * is otherwise what the data says), every step holding at least `minCount` readings so a handful
 * of lucky ones cannot promise certainty, and each step's share smoothed by one right and one
 * wrong reading (Laplace), so nothing seen a finite number of times becomes 0 or 1.
 */

export interface LabelledReading {
  confidence: number;
  right: boolean;
}

/** A field's value read on a labelled claim: its raw score, how it was read and whether it was right. */
export interface FieldReading extends LabelledReading {
  field: FieldName;
  kind: ReadingKind;
}

interface Block {
  confidenceSum: number;
  count: number;
  right: number;
}

const share = (b: Block) => b.right / b.count;
const merged = (a: Block, b: Block): Block => ({
  confidenceSum: a.confidenceSum + b.confidenceSum,
  count: a.count + b.count,
  right: a.right + b.right,
});

/** Readings of equal score together, by rising score. */
function blocksByScore(readings: readonly LabelledReading[]): Block[] {
  const sorted = [...readings].sort((a, b) => a.confidence - b.confidence);
  const blocks: Array<Block & { score: number }> = [];
  for (const { confidence, right } of sorted) {
    const last = blocks[blocks.length - 1];
    if (last?.score === confidence) {
      last.count++;
      last.confidenceSum += confidence;
      if (right) last.right++;
    } else {
      blocks.push({ score: confidence, confidenceSum: confidence, count: 1, right: right ? 1 : 0 });
    }
  }
  return blocks;
}

/** Pool adjacent violators: neighbours whose shares fall (or tie) are pooled until the shares rise. */
function poolAdjacentViolators(blocks: readonly Block[]): Block[] {
  const pooled: Block[] = [];
  for (const block of blocks) {
    pooled.push(block);
    while (pooled.length > 1 && share(pooled[pooled.length - 2]!) >= share(pooled[pooled.length - 1]!)) {
      const last = pooled.pop()!;
      pooled.push(merged(pooled.pop()!, last));
    }
  }
  return pooled;
}

/**
 * Steps with fewer than `minCount` readings pooled into the neighbour whose share is nearer;
 * pooling neighbours of a rising sequence keeps it rising.
 */
function poolSmallSteps(blocks: readonly Block[], minCount: number): Block[] {
  const steps = [...blocks];
  for (;;) {
    const small = steps.findIndex((b) => b.count < minCount);
    if (small < 0 || steps.length === 1) return steps;
    const left = steps[small - 1];
    const right = steps[small + 1];
    const intoLeft = !right || (left !== undefined && share(steps[small]!) - share(left) <= share(right) - share(steps[small]!));
    const at = intoLeft ? small - 1 : small;
    steps.splice(at, 2, merged(steps[at]!, steps[at + 1]!));
  }
}

/** The calibration map of these readings; null when there are fewer than `minCount` of them. */
export function fitCalibrationMap(readings: readonly LabelledReading[], minCount: number): CalibrationMap | null {
  if (readings.length < minCount || readings.length === 0) return null;
  const steps = poolSmallSteps(poolAdjacentViolators(blocksByScore(readings)), minCount);
  const knots: Array<[number, number]> = [];
  for (const step of steps) {
    const raw = Math.round((step.confidenceSum / step.count) * 10_000) / 10_000;
    const smoothed = Math.round(((step.right + 1) / (step.count + 2)) * 1000) / 1000;
    const previous = knots[knots.length - 1];
    // Smoothing can dip a small step below a big one before it: the map never falls.
    const probability = previous ? Math.max(previous[1], smoothed) : smoothed;
    if (previous && raw <= previous[0]) previous[1] = Math.max(previous[1], probability);
    else knots.push([raw, probability]);
  }
  return { knots, count: readings.length };
}

/**
 * A calibration table from readings: per field a map over every reading kind together (which must
 * have at least `minCount` readings) and one per kind that has enough of its own.
 */
export function fitCalibrationTable(
  readings: readonly FieldReading[],
  meta: Pick<CalibrationTable, 'version' | 'description' | 'fittedOn'>,
  minCount: number,
): CalibrationTable {
  const fieldMaps = (field: FieldName) => {
    const ofField = readings.filter((r) => r.field === field);
    const any = fitCalibrationMap(ofField, minCount);
    if (!any) throw new Error(`${ofField.length} readings of ${field}: at least ${minCount} are needed to calibrate it`);
    const byKind = READING_KINDS.flatMap((kind) => {
      const map = fitCalibrationMap(
        ofField.filter((r) => r.kind === kind),
        minCount,
      );
      return map ? [[kind, map] as const] : [];
    });
    return { any, ...Object.fromEntries(byKind) };
  };
  return {
    ...meta,
    method:
      `isotonic regression (pool-adjacent-violators) of right/wrong on the extractor's score, per field and per reading kind ` +
      `(ocr, pdf-text, barcode; "any" pools them); every step holds at least ${minCount} readings; ` +
      `each step's share smoothed as (right + 1) / (count + 2); linear between steps, flat beyond`,
    fields: Object.fromEntries(FIELD_NAMES.map((f) => [f, fieldMaps(f)])) as CalibrationTable['fields'],
  };
}
