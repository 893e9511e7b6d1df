import { z } from 'zod';
import { InvalidStageOutputError } from '../errors/invalid-stage-output-error.js';
import { Decision, NormalisedForm } from './assessment.js';
import { IntakeDocument } from './document.js';
import { Extraction } from './extraction.js';
import { DocumentSignals } from './fraud.js';
import { TextLayer } from './text-layer.js';

/**
 * What each recorded stage keeps in `stage_outputs`, by stage name: the one place a stored output's
 * type comes from. Written as the stage made it; read back, it is validated against this schema.
 */
export const STAGE_OUTPUT_SCHEMAS = {
  intake: IntakeDocument,
  read: TextLayer,
  /** Kept for the review page (heat map) and for judging again under a new policy. */
  signals: DocumentSignals,
  extract: Extraction,
  /** The normalised claim form, so a claim can be assessed again without the customer. */
  form: NormalisedForm,
  assess: Decision,
} as const;

export type RecordedStage = keyof typeof STAGE_OUTPUT_SCHEMAS;
export type StageOutputOf<S extends RecordedStage> = z.output<(typeof STAGE_OUTPUT_SCHEMAS)[S]>;

/** Stages run once per document of a claim; the others (form, assess) once per claim. */
export const DOCUMENT_STAGES = ['intake', 'read', 'signals', 'extract'] as const satisfies readonly RecordedStage[];

/**
 * One stage's output as stored for re-runs: the version that made it and the hash of its input.
 * `document`: which of the claim's documents a per-document stage read (0-based); absent for the
 * claim-wide stages, which are kept under document 0.
 */
export type StageOutput<S extends RecordedStage = RecordedStage> = {
  [K in S]: { stage: K; stageVersion: string; inputHash: string; output: StageOutputOf<K>; document?: number };
}[S];

/** A stored output as read back: what made it, and the output validated against its stage's schema. */
export interface StoredStageOutput<S extends RecordedStage> {
  stageVersion: string;
  inputHash: string;
  output: StageOutputOf<S>;
}

// The map seen per stage, so that indexing it with a stage type gives that stage's schema.
const SCHEMA_OF: { [S in RecordedStage]: z.ZodType<StageOutputOf<S>> } = STAGE_OUTPUT_SCHEMAS;

export const isRecordedStage = (stage: string): stage is RecordedStage => Object.hasOwn(STAGE_OUTPUT_SCHEMAS, stage);

/** A stored output checked against its stage's schema; InvalidStageOutputError when it does not match. */
export function parseStageOutput<S extends RecordedStage>(claimId: string, stage: S, output: unknown): StageOutputOf<S> {
  const parsed = SCHEMA_OF[stage].safeParse(output);
  if (!parsed.success) throw new InvalidStageOutputError(claimId, stage, z.prettifyError(parsed.error).replace(/\n+/g, '; '));
  return parsed.data;
}

/** A `stage_outputs` row as stored, before validation. */
export interface StageOutputRow {
  stage: string;
  stageVersion: string;
  inputHash: string;
  output: unknown;
  /** The claim's document a per-document stage read; absent or 0 for the first, and for claim-wide stages. */
  document?: number;
}

/** A row as a typed stage output: an unknown stage name or a mismatching output is an InvalidStageOutputError. */
export function stageOutputFromRow(claimId: string, row: StageOutputRow): StageOutput {
  const { stage } = row;
  if (!isRecordedStage(stage)) throw new InvalidStageOutputError(claimId, stage, 'no such recorded stage');
  return {
    stage,
    stageVersion: row.stageVersion,
    inputHash: row.inputHash,
    output: parseStageOutput(claimId, stage, row.output),
  } as StageOutput;
}

/**
 * One claim's stored outputs by stage and document. An output is validated when first asked for, so
 * a re-run that only compares versions does not pay for parsing a text layer it will not use.
 */
export class StoredStages {
  private readonly rows = new Map<string, StageOutputRow>();
  private readonly parsed = new Map<string, StageOutput>();

  constructor(private readonly claimId: string) {}

  add(row: StageOutputRow): void {
    if (!isRecordedStage(row.stage)) throw new InvalidStageOutputError(this.claimId, row.stage, 'no such recorded stage');
    const key = keyOf(row.stage, row.document ?? 0);
    this.rows.set(key, row);
    this.parsed.delete(key);
  }

  /** The documents read (those with an intake output), in order. */
  documents(): number[] {
    return [...this.rows.values()]
      .filter((r) => r.stage === 'intake')
      .map((r) => r.document ?? 0)
      .sort((a, b) => a - b);
  }

  /** The stage's version and input hash without reading its output. */
  made(stage: RecordedStage, document = 0): { stageVersion: string; inputHash: string } | undefined {
    const row = this.rows.get(keyOf(stage, document));
    return row && { stageVersion: row.stageVersion, inputHash: row.inputHash };
  }

  /** The stage's stored output (of `document`, for a per-document stage), validated; undefined when none is stored. */
  get<S extends RecordedStage>(stage: S, document = 0): StageOutput<S> | undefined {
    const key = keyOf(stage, document);
    const known = this.parsed.get(key);
    if (known) return known as StageOutput<S>;
    const row = this.rows.get(key);
    if (!row) return undefined;
    const typed = {
      stage,
      stageVersion: row.stageVersion,
      inputHash: row.inputHash,
      output: parseStageOutput(this.claimId, stage, row.output),
      ...(row.document !== undefined && { document: row.document }),
    };
    this.parsed.set(key, typed as StageOutput);
    return typed;
  }
}

const keyOf = (stage: string, document: number) => `${stage}#${document}`;
