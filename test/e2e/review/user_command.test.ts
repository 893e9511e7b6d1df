import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDistributedEnv, type DistributedEnv } from '../../support/distributed-env.js';
import { signIn } from '../../support/review-client.js';

const CLI = path.resolve('dist/src/cli/main.js');

/** Runs the built CLI with `input` on stdin, against the test installation's database. */
function warranty(env: DistributedEnv, args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('warranty user', () => {
  const env = useDistributedEnv();

  it('creates a reviewer account with the password from stdin, who can then sign in, and disables it', async () => {
    const created = await warranty(env(), ['user', 'create', '--name', 'rita', '--role', 'reviewer'], 'rita-long-password\n');
    expect(created).toMatchObject({ code: 0, stderr: 'account rita (reviewer) created\n' });
    const session = await signIn(env().baseUrl, 'rita', 'rita-long-password');
    expect((await session.call('GET', '/queue')).status).toBe(200);

    expect(await warranty(env(), ['user', 'create', '--name', 'rita', '--role', 'reviewer'], 'another-long-password\n')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/taken/),
    });
    expect(await warranty(env(), ['user', 'create', '--name', 'tom', '--role', 'reviewer'], 'short\n')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/at least 12/),
    });

    expect((await warranty(env(), ['user', 'disable', 'rita'])).code).toBe(0);
    expect((await session.call('GET', '/queue')).status).toBe(401);
  }, 60_000);

  it('exports reviewer corrections as NDJSON (none yet: empty output)', async () => {
    expect(await warranty(env(), ['review-corrections'])).toMatchObject({ code: 0, stdout: '' });
  }, 30_000);
});
