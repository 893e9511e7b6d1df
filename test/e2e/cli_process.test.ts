import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../src/domain/result.js';

const run = promisify(execFile);
const CLI = path.resolve('dist/src/cli/main.js');
const SAMPLES = path.resolve('samples');

interface Expected {
  claimId: string;
  receipt: Record<string, string | null>;
  expected: { status: string; flags: string[] };
}

async function warranty(args: string[], dataDir: string) {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args, '--data-dir', dataDir], { maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const parseLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ClaimResult);

describe('warranty process (CLI, real files)', () => {
  let dataDir: string;
  let manifestRun: ClaimResult[];
  let expected: Expected[];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'warranty-e2e-'));
    expected = (await readFile(path.join(SAMPLES, 'expected.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Expected);
    const { code, stdout } = await warranty(['process', '--manifest', path.join(SAMPLES, 'claims.ndjson'), '--json'], dataDir);
    expect(code).toBe(0);
    manifestRun = parseLines(stdout);
  }, 180_000);

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints one result-contract object a line, in manifest order', () => {
    expect(manifestRun.map((r) => r.claimId)).toEqual(expected.map((e) => e.claimId));
    for (const r of manifestRun) expect(r.policyVersion).toMatch(/^\d{4}\.\d+$/);
  });

  it('decides each sample as its expected outcome says (JPEG photo, PNG scan, text PDF, image-only PDF, corrupt file)', () => {
    for (const [i, r] of manifestRun.entries()) {
      const want = expected[i]!;
      expect({ claimId: r.claimId, status: r.status }).toEqual({ claimId: want.claimId, status: want.expected.status });
      for (const code of want.expected.flags) expect(r.flags.map((f) => f.code)).toContain(code);
    }
  });

  it('reads the fields each receipt shows', () => {
    for (const [i, r] of manifestRun.entries()) {
      const want = expected[i]!.receipt;
      if (r.status === 'rejected_input') continue;
      expect(r.fields.purchaseDate.value).toBe(want.purchaseDate);
      expect(r.fields.model.value).toBe(want.model);
      expect(r.fields.imei.value).toBe(want.imei);
    }
  });

  it('explains every decision: rule and evidence on each flag, the period rule on the warranty', () => {
    for (const r of manifestRun) {
      for (const f of r.flags) expect(f.message.length).toBeGreaterThan(10);
      if (r.warranty) expect(r.warranty.rule).toMatch(/\S+: \S+/);
    }
  });

  it('does not flag a claim processed again as a duplicate of itself', async () => {
    const { stdout } = await warranty(['process', '--manifest', path.join(SAMPLES, 'claims.ndjson'), '--json'], dataDir);
    const again = parseLines(stdout);
    expect(again.map((r) => r.status)).toEqual(manifestRun.map((r) => r.status));
    for (const r of again) expect(r.flags.map((f) => f.code)).not.toContain('DUPLICATE_RECEIPT');
  });

  it('flags a second claim on the same receipt, naming the first', async () => {
    const manifest = path.join(dataDir, 'second.ndjson');
    await writeFile(
      manifest,
      `${JSON.stringify({ file: path.join(SAMPLES, 'invoice-text.pdf'), claimId: 'SECOND-CLAIM', country: 'DE', claimDate: '2025-06-01' })}\n`,
    );
    const [second] = parseLines((await warranty(['process', '--manifest', manifest, '--json'], dataDir)).stdout);
    const duplicate = second!.flags.find((f) => f.code === 'DUPLICATE_RECEIPT');
    expect(second!.status).toBe('needs_review');
    expect(duplicate?.evidence).toMatchObject({ earlierClaimId: 'SAMPLE-003' });
  });

  it('flags the later of two claims on one receipt within a batch, never the earlier', async () => {
    const manifest = path.join(dataDir, 'same-batch.ndjson');
    const line = (claimId: string) =>
      JSON.stringify({ file: path.join(SAMPLES, 'invoice-scan.pdf'), claimId, country: 'DE', claimDate: '2025-06-01' });
    await writeFile(manifest, [line('BATCH-FIRST'), line('BATCH-SECOND')].join('\n'));
    const [first, second] = parseLines((await warranty(['process', '--manifest', manifest, '--json'], path.join(dataDir, 'fresh'))).stdout);
    expect(first!.flags.map((f) => f.code)).not.toContain('DUPLICATE_RECEIPT');
    expect(second!.flags.find((f) => f.code === 'DUPLICATE_RECEIPT')?.evidence).toMatchObject({
      earlierClaimId: 'BATCH-FIRST',
      match: 'receipt_hash',
    });
  });

  it('sends a claim without a receipt to review: nothing can be proven', async () => {
    const manifest = path.join(dataDir, 'no-receipt.ndjson');
    await writeFile(
      manifest,
      JSON.stringify({ claimId: 'NO-RECEIPT', imei: '350917642084132', model: 'SM-S921B/DS', purchaseDate: '2025-02-22' }),
    );
    const [result] = parseLines((await warranty(['process', '--manifest', manifest, '--json'], dataDir)).stdout);
    expect(result!.status).toBe('needs_review');
    expect(result!.file).toBeNull();
    expect(result!.flags.map((f) => f.code)).toContain('MISSING_PURCHASE_DATE');
  });

  it('keeps going past bad input: a malformed line, a missing file, an unsupported type', async () => {
    const manifest = path.join(dataDir, 'bad.ndjson');
    await writeFile(path.join(dataDir, 'notes.jpg'), 'this is plain text with a .jpg name');
    await writeFile(
      manifest,
      [
        '{not json',
        JSON.stringify({ file: 'does-not-exist.png', claimId: 'MISSING' }),
        JSON.stringify({ file: 'notes.jpg', claimId: 'TEXT' }),
        JSON.stringify({ file: path.join(SAMPLES, 'scan-receipt.png'), claimId: 'BAD-DATE', purchaseDate: '31.02.2024' }),
      ].join('\n'),
    );
    const { code, stdout } = await warranty(['process', '--manifest', manifest, '--json'], dataDir);
    expect(code).toBe(0);
    const results = parseLines(stdout);
    expect(results.map((r) => [r.status, r.flags[0]?.code])).toEqual([
      ['rejected_input', 'INVALID_FORM_DATA'],
      ['rejected_input', 'UNREADABLE_DOCUMENT'],
      ['rejected_input', 'UNSUPPORTED_FILE'],
      ['rejected_input', 'INVALID_FORM_DATA'],
    ]);
  });

  it('prints a readable table and a summary for a folder', async () => {
    const { code, stdout } = await warranty(['process', SAMPLES], dataDir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^file\s+status\s+purchaseDate\s+retailer\s+model\s+serial\s+imei\s+flags/m);
    expect(stdout).toMatch(/samples\/corrupt\.jpg\s+rejected_input/);
    expect(stdout).toMatch(/^6 claims in [\d.]+ s: \d+ eligible/m);
  });

  it('runs as a command of its own, as npx starts it', async () => {
    const { stdout } = await run(CLI, ['--help']);
    expect(stdout).toMatch(/^Usage:/);
  });

  it('exits non-zero only for usage errors', async () => {
    expect((await warranty(['process'], dataDir)).code).toBe(2);
    expect((await warranty(['frobnicate'], dataDir)).code).toBe(2);
    expect((await warranty(['process', '/no/such/folder'], dataDir)).code).toBe(2);
  });
});
