import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAGE_OUTPUT_SCHEMAS, StoredStages, stageOutputFromRow } from '../../../src/domain/stage-outputs.js';
import { InvalidStageOutputError } from '../../../src/errors/invalid-stage-output-error.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const WRITER = 'src/store/claim-state-writer.ts';

/**
 * Statements that change a claim's state, its audit trail or the review queue's flag index, or
 * announce a change to webhook subscribers (written with the change, in its transaction; delivering
 * and pruning them is the webhooks repository's).
 */
const STATE_WRITES = [
  /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+claims\b/i,
  /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+claim_events\b/i,
  /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+review_queue_flags\b/i,
  /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+claim_result_versions\b/i,
  /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+customer_requests\b/i,
  /\bINSERT\s+INTO\s+webhook_(events|deliveries)\b/i,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

describe('claim state', () => {
  it('is written by ClaimStateWriter alone', () => {
    const files = ['src', 'pipelines', 'workers'].flatMap(sourceFiles);
    expect(files).toContain(WRITER);
    const offenders = files
      .filter((f) => f !== WRITER)
      .flatMap((f) => {
        const text = readFileSync(path.join(ROOT, f), 'utf8');
        return STATE_WRITES.filter((re) => re.test(text)).map((re) => `${f}: ${re.exec(text)![0]}`);
      });
    expect(offenders).toEqual([]);
  });
});

describe('stored stage outputs', () => {
  const text = { source: 'ocr' as const, pages: [], confidence: 0.5 };

  it('are validated against their stage schema when read, once', () => {
    const stages = new StoredStages('c1');
    stages.add({ stage: 'read', stageVersion: 'v1', inputHash: 'h', output: text });
    stages.add({ stage: 'extract', stageVersion: 'v2', inputHash: 'h2', output: { purchaseDate: 'yesterday' } });
    expect(stages.get('read')).toEqual({ stage: 'read', stageVersion: 'v1', inputHash: 'h', output: text });
    expect(stages.get('read')).toBe(stages.get('read'));
    expect(stages.get('form')).toBeUndefined();
    // Versions are there without parsing; a mismatching output is an error, never taken for absent.
    expect(stages.made('extract')).toEqual({ stageVersion: 'v2', inputHash: 'h2' });
    expect(() => stages.get('extract')).toThrow(InvalidStageOutputError);
    expect(() => stages.get('extract')).toThrow(/claim c1: the stored extract output does not match its schema/);
  });

  it('are refused under a stage name no stage records', () => {
    expect(() => new StoredStages('c1').add({ stage: 'ocr', stageVersion: 'v', inputHash: 'h', output: text })).toThrow(
      InvalidStageOutputError,
    );
    expect(() => stageOutputFromRow('c1', { stage: 'ocr', stageVersion: 'v', inputHash: 'h', output: text })).toThrow(
      /no such recorded stage/,
    );
    expect(stageOutputFromRow('c1', { stage: 'read', stageVersion: 'v', inputHash: 'h', output: text }).stage).toBe('read');
    expect(Object.keys(STAGE_OUTPUT_SCHEMAS).sort()).toEqual(['assess', 'extract', 'form', 'intake', 'read', 'signals']);
  });
});
