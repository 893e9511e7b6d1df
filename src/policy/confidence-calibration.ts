import { z } from 'zod';
import type { Extraction, Field, FieldName } from '../domain/extraction.js';
import { CalibrationLoadError } from '../errors/calibration-load-error.js';
// Static imports so the build ships every table with the code, as for the policy tables.
import calibration2026_7 from './calibration/2026.7.json' with { type: 'json' };

/**
 * What a field's confidence means: the extractor's score (OCR confidence × how sure the parser is)
 * ranks readings but is no probability. A calibration table maps it, per field and per way the
 * value was read, to the share of such readings that were right on a labelled training set, so a
 * bar of 0.9 means "right 9 times in 10". Kept as versioned data beside the policy tables
 * (`calibration/<version>.json`, written by `npm run calibrate`); a policy table names the version
 * it decides with, so a released decision never changes under it. Never edit a released table.
 */

/** How a value was read: a PDF's text layer is exact, OCR is not, a barcode carries a check. */
export const READING_KINDS = ['ocr', 'pdf-text', 'barcode'] as const;
export type ReadingKind = (typeof READING_KINDS)[number];

const Probability = z.number().min(0).max(1);

/** [raw score, probability right]: raw rising, probability never falling (a better score is never worse news). */
const CalibrationMap = z
  .object({
    knots: z.array(z.tuple([Probability, Probability])).min(1),
    /** How many labelled readings the map was fitted on. */
    count: z.number().int().positive(),
  })
  .superRefine((map, ctx) => {
    map.knots.forEach(([raw, probability], i) => {
      const previous = map.knots[i - 1];
      if (previous && raw <= previous[0])
        ctx.addIssue({ code: 'custom', path: ['knots', i], message: `raw scores must rise: ${raw} follows ${previous[0]}` });
      if (previous && probability < previous[1])
        ctx.addIssue({ code: 'custom', path: ['knots', i], message: `probabilities must not fall: ${probability} follows ${previous[1]}` });
    });
  });
export type CalibrationMap = z.infer<typeof CalibrationMap>;

/** A field's maps: `any` for every reading kind together, and one per kind where enough readings were seen. */
const FieldMaps = z.object({
  any: CalibrationMap,
  ocr: CalibrationMap.optional(),
  'pdf-text': CalibrationMap.optional(),
  barcode: CalibrationMap.optional(),
});

export const CalibrationSchema = z.object({
  version: z.string().regex(/^\d{4}\.\d+$/, 'a calibration version looks like "2026.7"'),
  description: z.string().min(1),
  /** The labelled sets the maps were fitted on: never the sets the bar is verified on. */
  fittedOn: z.array(z.string().min(1)).min(1),
  method: z.string().min(1),
  fields: z.object({ purchaseDate: FieldMaps, retailer: FieldMaps, model: FieldMaps, serial: FieldMaps, imei: FieldMaps }),
});
export type CalibrationTable = z.infer<typeof CalibrationSchema>;

/** The probability a map gives a raw score: linear between knots, the end knots' value beyond them. */
export function mapConfidence(map: CalibrationMap, raw: number): number {
  const knots = map.knots;
  const first = knots[0]!;
  const last = knots[knots.length - 1]!;
  if (raw <= first[0]) return first[1];
  if (raw >= last[0]) return last[1];
  const upper = knots.findIndex(([x]) => x >= raw);
  const [x0, y0] = knots[upper - 1]!;
  const [x1, y1] = knots[upper]!;
  return y0 + ((raw - x0) / (x1 - x0)) * (y1 - y0);
}

/** How this field's value was read, for choosing its map. */
export function readingKind(field: Field, extraction: Pick<Extraction, 'facts'>): ReadingKind {
  return field.via === 'barcode' ? 'barcode' : (extraction.facts.textSource ?? 'ocr');
}

export class ConfidenceCalibration {
  readonly version: string;

  constructor(private readonly table: CalibrationTable) {
    this.version = table.version;
  }

  /** The probability that a value of `field` read this way with this raw score is right. */
  probability(field: FieldName, kind: ReadingKind, raw: number): number {
    const maps = this.table.fields[field];
    return Math.round(mapConfidence(maps[kind] ?? maps.any, raw) * 1000) / 1000;
  }

  /**
   * The extraction with each read field's confidence as a calibrated probability; empty fields and
   * a reviewer's corrections (a person's reading, not the extractor's score) stay as they are.
   */
  calibrate(extraction: Extraction): Extraction {
    const calibrated = (name: FieldName): Field => {
      const field = extraction[name];
      return field.value === null || field.source === 'reviewer'
        ? field
        : { ...field, confidence: this.probability(name, readingKind(field, extraction), field.confidence) };
    };
    return {
      ...extraction,
      purchaseDate: calibrated('purchaseDate'),
      retailer: calibrated('retailer'),
      model: calibrated('model'),
      serial: calibrated('serial'),
      imei: calibrated('imei'),
    };
  }
}

const CALIBRATION_TABLES: Readonly<Record<string, unknown>> = {
  '2026.7': calibration2026_7,
};

const loaded = new Map<string, ConfidenceCalibration>();

export function listCalibrationVersions(): string[] {
  return Object.keys(CALIBRATION_TABLES).sort();
}

/** The validated calibration of `version`; throws CalibrationLoadError when it is unknown or broken. */
export function confidenceCalibration(version: string): ConfidenceCalibration {
  const cached = loaded.get(version);
  if (cached) return cached;
  if (!(version in CALIBRATION_TABLES)) {
    throw new CalibrationLoadError(`unknown confidence calibration "${version}"; known versions: ${listCalibrationVersions().join(', ')}`);
  }
  const calibration = parseCalibration(CALIBRATION_TABLES[version], `calibration/${version}.json`);
  if (calibration.version !== version) {
    throw new CalibrationLoadError(
      `calibration/${version}.json declares version "${calibration.version}"; the file and its version must agree`,
    );
  }
  loaded.set(version, calibration);
  return calibration;
}

/** Validates a calibration table; `origin` names it in the error so the broken file can be found. */
export function parseCalibration(table: unknown, origin: string): ConfidenceCalibration {
  const result = CalibrationSchema.safeParse(table);
  if (!result.success) throw new CalibrationLoadError(`confidence calibration ${origin} is invalid:\n${z.prettifyError(result.error)}`);
  return new ConfidenceCalibration(result.data);
}
