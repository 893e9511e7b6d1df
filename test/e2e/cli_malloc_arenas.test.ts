import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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
  let probe: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'arenas-'));
    // Loaded before the program by every node process of the run (NODE_OPTIONS is inherited): each
    // says which limit glibc was started with, the launcher first, then the CLI it relaunches.
    probe = path.join(folder, 'arena-probe.cjs');
    await writeFile(probe, "process.stderr.write(`arenas=${process.env.MALLOC_ARENA_MAX ?? 'unset'}\\n`);\n");
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  /** The limit each process of a `warranty --help` run started with, in start order. */
  const arenasOfEachProcess = async (env: NodeJS.ProcessEnv) => {
    const { stderr } = await run('node', [CLI, '--help'], { env: { ...env, NODE_OPTIONS: `--require ${probe}` } });
    return [...stderr.matchAll(/^arenas=(\S+)$/gm)].map((m) => m[1]);
  };

  it('runs with two malloc arenas when started without a limit, so long runs keep their memory bounded', async () => {
    expect(await arenasOfEachProcess(environment())).toEqual(['unset', '2']);
  });

  it("keeps a limit the user set, and passes the program's exit status through", async () => {
    expect(await arenasOfEachProcess(environment({ MALLOC_ARENA_MAX: '4' }))).toEqual(['4']);
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
