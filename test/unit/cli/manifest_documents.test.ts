import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsFromManifest } from '../../../src/cli/claim-inputs.js';

describe('a manifest line naming its documents', () => {
  let dir: string;
  const manifest = async (lines: unknown[]) => {
    const file = path.join(dir, 'claims.ndjson');
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    return claimsFromManifest(file, 1024);
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'manifest-'));
    await writeFile(path.join(dir, 'receipt.pdf'), '%PDF-receipt');
    await writeFile(path.join(dir, 'label.jpg'), 'label bytes');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads "files" in order, relative to the manifest, the first naming the claim; "file" alone as before', async () => {
    const [several, one, none] = await manifest([
      { claimId: 'A', files: ['receipt.pdf', 'label.jpg'] },
      { claimId: 'B', file: 'receipt.pdf' },
      { claimId: 'C' },
    ]);
    expect(several).toMatchObject({ file: 'receipt.pdf', form: { claimId: 'A' } });
    expect(several!.documents.map((d) => d.file)).toEqual(['receipt.pdf', 'label.jpg']);
    expect(Buffer.from(await several!.documents[1]!.load()).toString()).toBe('label bytes');
    expect(one!.documents.map((d) => d.file)).toEqual(['receipt.pdf']);
    expect(none).toMatchObject({ file: null, documents: [], form: { claimId: 'C' } });
  });

  it('refuses a line that gives both "file" and "files", or "files" that is not a list of names, keeping its form', async () => {
    const lines = await manifest([
      { claimId: 'BOTH', file: 'receipt.pdf', files: ['label.jpg'] },
      { claimId: 'EMPTY', files: [] },
      { claimId: 'NOT-NAMES', files: ['receipt.pdf', 3] },
    ]);
    expect(lines.map((l) => [l.form, l.invalid])).toEqual([
      [{ claimId: 'BOTH' }, 'manifest line 1 gives both "file" and "files": name the documents in "files" alone'],
      [{ claimId: 'EMPTY' }, 'manifest line 2: "files" must be a non-empty list of file names'],
      [{ claimId: 'NOT-NAMES' }, 'manifest line 3: "files" must be a non-empty list of file names'],
    ]);
  });
});
