import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../src/domain/result.js';
import { textReceipt } from '../support/text-documents.js';

const run = promisify(execFile);
const CLI = path.resolve('dist/src/cli/main.js');
const MODEL = 'SM-S921B/DS';

describe('warranty import with several documents a claim, and warranty add-document (CLI)', () => {
  let dir: string;
  const warranty = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run('node', [CLI, ...args, '--data-dir', path.join(dir, 'data'), '--workers', '1']);
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  let imported: ClaimResult[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'warranty-documents-'));
    const files: Record<string, Uint8Array> = {
      'receipt-a.pdf': await textReceipt({ purchaseDate: '2025-02-22', model: MODEL, imei: '350917642084132', receiptNumber: 'A' }),
      'receipt-a-again.pdf': await textReceipt({ purchaseDate: '2025-03-14', model: MODEL, imei: '350917642084132', receiptNumber: 'A2' }),
      'receipt-b.pdf': await textReceipt({ purchaseDate: '2025-02-23', model: MODEL, receiptNumber: 'B' }),
      'copy-b.pdf': await textReceipt({ purchaseDate: '2025-02-23', model: MODEL, imei: '352628115309728', receiptNumber: 'B' }),
    };
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
    const form = (claimId: string, imei: string, purchaseDate: string) => ({
      claimId,
      imei,
      model: MODEL,
      purchaseDate,
      country: 'DE',
      claimDate: '2025-06-01',
    });
    const lines = [
      { files: ['receipt-a.pdf', 'receipt-a-again.pdf'], ...form('CLI-A', '350917642084132', '2025-02-22') },
      { file: 'receipt-b.pdf', files: ['copy-b.pdf'], ...form('CLI-BOTH', '352628115309728', '2025-02-23') },
      { files: ['receipt-b.pdf'], ...form('CLI-B', '352628115309728', '2025-02-23') },
    ];
    await writeFile(path.join(dir, 'claims.ndjson'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const { code, stdout, stderr } = await warranty(['import', path.join(dir, 'claims.ndjson'), '--json']);
    expect(code, stderr).toBe(0);
    imported = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ClaimResult);
  }, 240_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every file a manifest line names and flags documents that disagree, with both values', () => {
    const [a] = imported;
    expect(a).toMatchObject({ claimId: 'CLI-A', file: 'receipt-a.pdf', status: 'needs_review' });
    const flag = a!.flags.find((f) => f.code === 'DOCUMENTS_DISAGREE');
    expect(flag?.evidence).toMatchObject({
      field: 'purchaseDate',
      values: [
        { document: 0, value: '2025-02-22' },
        { document: 1, value: '2025-03-14' },
      ],
    });
    expect(a!.fields.imei).toMatchObject({ value: '350917642084132', document: 0 });
  });

  it('refuses a manifest line that gives both "file" and "files"', () => {
    expect(imported[1]).toMatchObject({ claimId: 'CLI-BOTH', status: 'rejected_input', flags: [{ code: 'INVALID_FORM_DATA' }] });
    expect(imported[1]!.flags[0]!.message).toMatch(/both "file" and "files"/);
  });

  it('adds a document to a stored claim, decides it again with both, and takes the same file twice as one document', async () => {
    expect(imported[2]).toMatchObject({ claimId: 'CLI-B', status: 'needs_review' });
    const added = await warranty(['add-document', 'CLI-B', path.join(dir, 'copy-b.pdf'), '--json']);
    expect(added.code, added.stderr).toBe(0);
    const answer = JSON.parse(added.stdout);
    expect(answer).toMatchObject({
      claimId: 'CLI-B',
      isNew: true,
      document: { index: 1, file: 'copy-b.pdf', addedBy: 'cli' },
      status: 'eligible',
    });
    expect(answer.result.fields.imei).toMatchObject({ value: '352628115309728', document: 1 });

    const again = await warranty(['add-document', 'CLI-B', path.join(dir, 'copy-b.pdf'), '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ isNew: false, document: { index: 1 }, status: 'eligible' });

    // Decided for good: refused, with the reason, and exit code 2.
    const closed = await warranty(['add-document', 'CLI-B', path.join(dir, 'receipt-a.pdf')]);
    expect(closed.code).toBe(2);
    expect(closed.stderr).toMatch(/CLI-B is eligible: it takes no more documents/);
    expect((await warranty(['add-document', 'NO-SUCH', path.join(dir, 'receipt-a.pdf')])).stderr).toMatch(/No claim NO-SUCH/);
  }, 240_000);
});
