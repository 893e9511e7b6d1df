import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = path.resolve('dist/src/cli/main.js');

/** The environment without any MALLOC_ARENA_MAX, plus what a test adds. */
function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('MALLOC_ARENA_MAX' in extra)) delete env.MALLOC_ARENA_MAX;
  return env;
}

describe.runIf(process.platform === 'linux')('warranty on glibc Linux', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'arenas-'));
    await copyFile(path.resolve('samples/invoice-text.pdf'), path.join(folder, 'invoice-text.pdf'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const arenasReported = async (env: NodeJS.ProcessEnv) => {
    const { stdout } = await run('node', [CLI, 'bench', folder, '--data-dir', path.join(folder, 'data')], { env });
    return /MALLOC_ARENA_MAX=(\S+)/.exec(stdout)?.[1];
  };

  it('runs with two malloc arenas when started without a limit, so long runs keep their memory bounded', async () => {
    expect(await arenasReported(environment())).toBe('2');
  });

  it("keeps a limit the user set, and passes the program's exit status through", async () => {
    expect(await arenasReported(environment({ MALLOC_ARENA_MAX: '4' }))).toBe('4');
    const refused = await run('node', [CLI, 'no-such-command'], { env: environment() }).catch((error: { code: number }) => error);
    expect(refused).toMatchObject({ code: 2 });
  });

  it('stops the relaunched run when the launcher is killed outright, so nothing runs on unseen', async () => {
    const receipts = (await readdir('samples')).filter((name) => /\.(pdf|png|jpe?g)$/.test(name));
    const data = await mkdtemp(path.join(os.tmpdir(), 'arenas-killed-'));
    try {
      const launcher = spawn('node', [CLI, 'process', 'samples', '--json', '--data-dir', data], {
        env: environment(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      // The first decided claim comes from the relaunched child: it is running, with receipts to go.
      launcher.stdout.on('data', (chunk: Buffer) => {
        if (stdout === '') launcher.kill('SIGKILL');
        stdout += chunk.toString();
      });
      launcher.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // The pipes close only when every process holding them has ended: the launcher and its child.
      await new Promise((resolve) => launcher.on('close', resolve));
      expect(stdout.trim().split('\n').length).toBeLessThan(receipts.length);
      expect(stderr).not.toMatch(/claims in [\d.]+ s/);
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });
});
