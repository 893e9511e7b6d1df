import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/database.js';

const run = promisify(execFile);
const CLI = path.resolve('dist/src/cli/main.js');

let dataDir: string;

async function warranty(...args: string[]) {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args, '--data-dir', dataDir]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const readStage = async () => {
  const db = await openDatabase({ dataDir: path.join(dataDir, 'db') });
  try {
    return await db.query<{ claim_id: string; created_at: Date }>(
      "SELECT claim_id, created_at FROM stage_outputs WHERE stage = 'read' ORDER BY claim_id",
    );
  } finally {
    await db.close();
  }
};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'warranty-rerun-ocr-'));
  // A text PDF: read without OCR, so the test is quick and still goes through every stage.
  const sample = path.resolve('samples/invoice-text.pdf');
  const manifest = path.join(dataDir, 'claims.ndjson');
  const claim = {
    file: sample,
    serial: '0TQ43HCT900517W',
    model: 'UE55CU8079UXZG',
    purchaseDate: '2023-02-21',
    country: 'DE',
    claimDate: '2025-06-01',
  };
  await writeFile(manifest, `${JSON.stringify({ ...claim, claimId: 'IMP-1' })}\n`);
  expect((await warranty('import', manifest)).code).toBe(0);
  await writeFile(manifest, `${JSON.stringify({ ...claim, claimId: 'PROC-1' })}\n`);
  expect((await warranty('process', '--manifest', manifest)).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

it('import keeps the receipt by its sha256, and a forced re-run from the OCR stage reads it again', async () => {
  const folders = await readdir(path.join(dataDir, 'receipts'));
  expect(folders).toHaveLength(1);
  const before = await readStage();

  const dry = await warranty('reprocess', '--from-stage', 'read', '--force', '--where', 'id=IMP-1', '--dry-run');
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain('1 claims: 0 would get a new result, 1 unchanged');
  expect(await readStage()).toEqual(before);

  const applied = await warranty('reprocess', '--from-stage', 'read', '--force', '--where', 'id=IMP-1', '--apply');
  expect(applied.code).toBe(0);
  const after = await readStage();
  expect(after.find((s) => s.claim_id === 'IMP-1')!.created_at.getTime()).toBeGreaterThan(
    before.find((s) => s.claim_id === 'IMP-1')!.created_at.getTime(),
  );
});

it('without --force a re-run from the OCR stage reuses text the current reader made', async () => {
  const before = await readStage();
  const { code } = await warranty('reprocess', '--from-stage', 'read', '--where', 'id=IMP-1,PROC-1', '--apply');
  expect(code).toBe(0);
  expect(await readStage()).toEqual(before);
});

it('refuses a bad filter or a bad mode with a message, exit code 2', async () => {
  const badFilter = await warranty('reprocess', '--from-stage', 'assess', '--where', 'status=approved', '--dry-run');
  expect(badFilter.code).toBe(2);
  expect(badFilter.stderr).toContain('"approved" is not a valid status');
  const noMode = await warranty('reprocess', '--from-stage', 'assess', '--where', 'status=eligible');
  expect(noMode.code).toBe(2);
  expect(noMode.stderr).toContain('exactly one of --dry-run or --apply');
  const badStage = await warranty('reprocess', '--from-stage', 'ocr', '--where', 'status=eligible', '--dry-run');
  expect(badStage.stderr).toContain('--from-stage must be read, extract or assess');
});
