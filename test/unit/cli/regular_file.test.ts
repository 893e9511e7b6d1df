import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegularFile, type FileRefusals } from '../../../src/cli/regular-file.js';

class Refused extends Error {}
const refusals: FileRefusals = {
  notRegular: (what) => new Refused(`not regular: ${what}`),
  tooLarge: (bytes) => new Refused(`too large: ${bytes ?? 'grew while read'}`),
};

describe('readRegularFile', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'regular-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file up to the limit', async () => {
    writeFileSync(path.join(dir, 'r.jpg'), 'sixteen bytes!!!');
    expect((await readRegularFile(path.join(dir, 'r.jpg'), 16, refusals)).toString()).toBe('sixteen bytes!!!');
  });

  it('refuses by size before reading', async () => {
    await expect(readRegularFile(path.join(dir, 'r.jpg'), 15, refusals)).rejects.toThrow('too large: 16');
  });

  it('stops after limit + 1 bytes of a file whose size its metadata does not tell', async () => {
    // /proc files report size 0 and still have content, like a file that grows while it is read.
    await expect(readRegularFile('/proc/self/status', 16, refusals)).rejects.toThrow('too large: grew while read');
  });

  it('refuses a FIFO without waiting for a writer, and a device', async () => {
    execFileSync('mkfifo', [path.join(dir, 'p.jpg')]);
    await expect(readRegularFile(path.join(dir, 'p.jpg'), 16, refusals)).rejects.toThrow('not regular: a named pipe (FIFO)');
    await expect(readRegularFile('/dev/zero', 16, refusals)).rejects.toThrow('not regular: a device');
  });
});
