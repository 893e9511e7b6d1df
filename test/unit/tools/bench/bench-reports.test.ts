import { describe, expect, it } from 'vitest';
import { DAYS, duplicatesReport, lookup, seedStatements } from '../../../../tools/bench/duplicates-workload.js';
import { loadReport, loadSummary } from '../../../../tools/bench/load-report.js';
import { MB, nativeComparison, pipelineReport, runFiles, stageLines } from '../../../../tools/bench/pipeline-report.js';

describe('the pipeline benchmark', () => {
  const found = ['b.pdf', 'notes.txt', 'images/a.JPG', 'c.png', 'labels/a.json'];

  it('takes the receipts in path order, cut to --limit, cycled to --repeat-to', () => {
    expect(runFiles(found, {})).toEqual(['b.pdf', 'c.png', 'images/a.JPG']);
    expect(runFiles(found, { limit: 2 })).toEqual(['b.pdf', 'c.png']);
    expect(runFiles(found, { limit: 2, repeatTo: 5 })).toEqual(['b.pdf', 'c.png', 'b.pdf', 'c.png', 'b.pdf']);
    expect(runFiles(['notes.txt'], { repeatTo: 3 })).toEqual([]);
  });

  it('reports each stage’s p50, p95 and total in the order the stages ran', () => {
    const times = new Map([
      ['read', [100, 300, 200, 400]],
      ['decide', [2, 4]],
    ]);
    expect(stageLines(times)).toEqual([
      '  read       p50    300 ms   p95    400 ms   sum    1.0 s',
      '  decide     p50      4 ms   p95      4 ms   sum    0.0 s',
    ]);
  });

  it('prints the run’s figures, saying when receipts were repeated', () => {
    const lines = pipelineReport({
      folder: 'samples',
      files: ['a.pdf', 'b.png', 'a.pdf', 'b.png'],
      ocrWorkers: 2,
      cores: 2,
      mallocArenaMax: '2',
      rate: 0.5,
      stageTimes: new Map([['read', [1000]]]),
      ocrBusy: 0.964,
      ocrWorkersStarted: 3,
      pagesPerWorker: 40,
      peakRssBytes: 877 * MB,
      startedRssBytes: 660 * MB,
      checkpoints: ['1: 700', '4: 877'],
    });
    expect(lines).toEqual([
      'benchmark: 4 receipts from samples (2 files, repeated), 2 OCR workers, 2 cores, MALLOC_ARENA_MAX=2 (figures vary with machine load)',
      '  pipeline  0.50 receipts/s  (8.0 s wall)',
      '  read       p50   1000 ms   p95   1000 ms   sum    1.0 s',
      '  OCR pool busy 96.4% of the wall time: time outside OCR (workers idle while other stages run) 3.6%',
      '  OCR workers started: 3 (each is replaced after 40 pages)',
      '  peak memory (RSS, OCR pool at full size): 877 MB over the run; 660 MB once started',
      '  RSS (MB) after receipts done: 1: 700, 4: 877',
    ]);
  });

  it('sets the pipeline beside native tesseract, or says why it could not', () => {
    expect(nativeComparison(25, 2, 1.11, 0.36).at(-1)).toMatch(/0\.36 images\/s {2}\(ratio 3\.08\)$/);
    expect(nativeComparison(25, 2, 0, null)).toEqual([expect.stringMatching(/^ {2}native tesseract: not installed .*, skipped$/)]);
  });
});

describe('the duplicate look-up benchmark', () => {
  it('re-uses a stored receipt on even look-ups, with the fingerprint the seed gave that claim', () => {
    const { g, reused, fingerprint } = lookup(4, 100_000);
    expect(reused).toBe(true);
    expect(g).toBe(1 + ((4 * 104_729) % 100_000));
    expect(fingerprint.unit).toBe(`SN${String(g).padStart(9, '0')}`);
    expect(fingerprint.numbers).toEqual([String(g * 13), String(g * 17), '8153200']);
    const day = new Date(Date.UTC(2023, 0, 1) + ((g * 7919) % DAYS) * 86_400_000).toISOString().slice(0, 10);
    expect(fingerprint.purchaseDate).toBe(day);
    expect(seedStatements(100_000, '2026.4').join('\n')).toMatch(/\(g \* 7919\) % 1100/);
  });

  it('makes odd look-ups new purchases sharing only shop and model', () => {
    const { reused, fingerprint } = lookup(3, 100_000);
    expect(reused).toBe(false);
    expect(fingerprint).toMatchObject({ purchaseDate: '2026-01-01', unit: 'NEW3', numbers: ['3'] });
  });

  it('reports mean, p50, p95 and max, and where the mean goes', () => {
    const lines = duplicatesReport({
      claims: 100_000,
      database: 'PGlite',
      seededMs: 12_345,
      times: [4, 1, 3, 2],
      lookupsMs: 8,
      scoringMs: 2,
    });
    expect(lines).toEqual([
      'duplicate look-up against 100,000 stored claims (PGlite, seeded in 12.3 s):',
      '  4 look-ups (serial + file hash + fingerprint candidates + scoring): mean 2.50 ms, p50 3.00 ms, p95 4.00 ms, max 4.00 ms',
      '  of the mean: database look-ups 2.00 ms, scoring the candidates 0.500 ms',
    ]);
  });
});

describe('the distributed load benchmark', () => {
  it('turns timings into throughput and latency percentiles, and compares with the CLI', () => {
    const summary = loadSummary({
      claims: 4,
      started: 1000,
      submitted: 3000,
      finished: 5000,
      acksMs: [10, 40, 20, 30],
      endToEndMs: [1000, 4000, 3000, 2000],
    });
    expect(summary).toEqual({
      claims: 4,
      submitSeconds: 2,
      totalSeconds: 4,
      throughput: 1,
      ackMs: { p50: 30, p95: 40, p99: 40 },
      endToEndSeconds: { p50: 3, p95: 4, p99: 4 },
    });
    const lines = loadReport(summary, 2, { api: '185 MB', workers: ['634 MB', '640 MB'] }, { rate: 1.25, peakMemory: '1062 MB' });
    expect(lines.at(-1)).toBe('Ratio distributed / CLI: 80 % (target ≥ 90 %); upload ack p95 target < 100 ms');
    expect(lines).toContain('  peak memory         api 185 MB, workers 634 MB, 640 MB');
  });
});
