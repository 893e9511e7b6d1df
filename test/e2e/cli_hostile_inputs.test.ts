import { execFile, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../src/domain/result.js';

const CLI = path.resolve('dist/src/cli/main.js');
const SAMPLES = path.resolve('samples');
const GiB = 1024 ** 3;
const exec = promisify(execFile);

// A CLI that hangs (as it did on a FIFO) must not outlive the test run.
const children = new Set<ChildProcess>();

function warranty(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'node',
      [CLI, ...args, '--data-dir', dataDir, '--workers', '1'],
      { maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        children.delete(child);
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    children.add(child);
  });
}

const parseLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ClaimResult);

/** A FIFO at `file`: opening it for reading waits until someone opens it for writing. */
const mkfifo = (file: string) => exec('mkfifo', [file]);

describe('warranty process and import on hostile inputs (FIFOs, devices, sparse files, links, non-object lines)', () => {
  let dir: string;
  let passwdHead: string;
  let results: ClaimResult[];
  let stdout: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'warranty-hostile-'));
    passwdHead = (await readFile('/etc/passwd')).subarray(0, 8).toString('latin1');
    const receipts = path.join(dir, 'receipts');
    await mkdir(receipts);
    await mkfifo(path.join(receipts, 'fifo.jpg'));
    await symlink('/dev/null', path.join(receipts, 'device.jpg'));
    await symlink('/etc/passwd', path.join(receipts, 'passwd.jpg'));
    await writeFile(path.join(receipts, 'sparse-1g.jpg'), '');
    await truncate(path.join(receipts, 'sparse-1g.jpg'), GiB);
    // Larger than Node can read into one buffer: refused for its size, never opened for it.
    await writeFile(path.join(receipts, 'sparse-3g.png'), '');
    await truncate(path.join(receipts, 'sparse-3g.png'), 3 * GiB);
    await mkdir(path.join(receipts, 'folder.pdf'));
    await copyFile(path.join(SAMPLES, 'invoice-text.pdf'), path.join(receipts, 'zz-real.pdf'));
    const manifest = path.join(dir, 'claims.ndjson');
    await writeFile(
      manifest,
      [
        '[1,2]',
        'null',
        '"receipts/zz-real.pdf"',
        '42',
        ...['fifo.jpg', 'device.jpg', 'passwd.jpg', 'sparse-1g.jpg', 'sparse-3g.png', 'folder.pdf', 'zz-real.pdf'].map((file) =>
          JSON.stringify({ file: `receipts/${file}`, claimId: file }),
        ),
      ].join('\n'),
    );
    const batch = await warranty(['process', '--manifest', manifest, '--json'], path.join(dir, 'data'));
    expect(batch.code).toBe(0);
    stdout = batch.stdout;
    results = parseLines(stdout);
  }, 180_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const refusal = (claimId: string) => {
    const result = results.find((r) => r.claimId === claimId)!;
    expect(result.status).toBe('rejected_input');
    return result.flags[0]!;
  };

  it('finishes the batch: every line has a result, the real receipt after the hostile ones is decided', () => {
    expect(results).toHaveLength(11);
    expect(results.at(-1)).toMatchObject({ claimId: 'zz-real.pdf', file: 'receipts/zz-real.pdf' });
    expect(results.at(-1)!.status).not.toBe('rejected_input');
  });

  it('refuses each manifest line that is not a JSON object, naming the line, as its own claim', () => {
    expect(results.slice(0, 4).map((r) => [r.status, r.file, r.flags.map((f) => f.code)])).toEqual(
      Array.from({ length: 4 }, () => ['rejected_input', null, ['INVALID_FORM_DATA']]),
    );
    expect(results.slice(0, 4).map((r) => r.flags[0]!.message)).toEqual([
      'The claim form is malformed: manifest line 1 is an array, not a JSON object.',
      'The claim form is malformed: manifest line 2 is null, not a JSON object.',
      'The claim form is malformed: manifest line 3 is a string, not a JSON object.',
      'The claim form is malformed: manifest line 4 is a number, not a JSON object.',
    ]);
    expect(new Set(results.slice(0, 4).map((r) => r.claimId)).size).toBe(4);
  });

  it('refuses a FIFO, a device and a folder by what they are, without reading them', () => {
    expect(refusal('fifo.jpg')).toMatchObject({
      code: 'UNSUPPORTED_FILE',
      message: 'The receipt is a named pipe (FIFO), not a file.',
    });
    expect(refusal('device.jpg')).toMatchObject({
      code: 'UNSUPPORTED_FILE',
      message: 'The receipt is a device, not a file.',
    });
    expect(refusal('folder.pdf')).toMatchObject({
      code: 'UNSUPPORTED_FILE',
      message: 'The receipt is a folder, not a file.',
    });
  });

  it('refuses files over the size limit by their size, before reading them', () => {
    expect(refusal('sparse-1g.jpg')).toMatchObject({ code: 'FILE_TOO_LARGE', evidence: { bytes: GiB, limit: 5 * 1024 * 1024 } });
    expect(refusal('sparse-3g.png')).toMatchObject({ code: 'FILE_TOO_LARGE', evidence: { bytes: 3 * GiB } });
    expect(results.find((r) => r.claimId === 'sparse-3g.png')!.documentHash).toBeNull();
  });

  it('never quotes a refused file’s content, in text or in hex', () => {
    expect(refusal('passwd.jpg')).toEqual({ code: 'UNSUPPORTED_FILE', message: 'Only PDF, JPG and PNG files are accepted.', evidence: {} });
    expect(stdout).not.toContain(passwdHead);
    expect(stdout).not.toContain(Buffer.from(passwdHead, 'latin1').toString('hex'));
  });

  it('imports a folder holding the same files: refuses them, keeps only the real receipt', async () => {
    const dataDir = path.join(dir, 'import-data');
    const run = await warranty(['import', path.join(dir, 'receipts'), '--json'], dataDir);
    expect(run.code).toBe(0);
    const imported = parseLines(run.stdout);
    expect(imported.map((r) => [path.basename(r.file!), r.status === 'rejected_input' ? r.flags[0]!.code : 'decided'])).toEqual([
      ['device.jpg', 'UNSUPPORTED_FILE'],
      ['fifo.jpg', 'UNSUPPORTED_FILE'],
      ['folder.pdf', 'UNSUPPORTED_FILE'],
      ['passwd.jpg', 'UNSUPPORTED_FILE'],
      ['sparse-1g.jpg', 'FILE_TOO_LARGE'],
      ['sparse-3g.png', 'FILE_TOO_LARGE'],
      ['zz-real.pdf', 'decided'],
    ]);
    expect(run.stdout).not.toContain(passwdHead);
    const kept = await readdir(path.join(dataDir, 'receipts'), { recursive: true, withFileTypes: true });
    expect(kept.filter((entry) => entry.isFile())).toHaveLength(1);
  });

  it('refuses a manifest that is a FIFO as a usage error, without waiting for a writer', async () => {
    const manifest = path.join(dir, 'manifest-fifo.ndjson');
    await mkfifo(manifest);
    const run = await warranty(['process', '--manifest', manifest], path.join(dir, 'data'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Cannot read manifest ${manifest}: it is a named pipe (FIFO), not a file`);
  });
});
