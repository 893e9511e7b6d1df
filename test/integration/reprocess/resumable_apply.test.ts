import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadPolicy } from '../../../src/policy/policy-table.js';
import type { CrashPoint } from '../../../src/runtime/crash-point.js';
import { storeSyntheticClaims, stricterPolicy, syntheticClaims } from '../../../tools/harness/synthetic-claims.js';
import { ClaimsRepository } from '../../../src/store/claims-repository.js';
import { FingerprintRepository } from '../../../src/store/fingerprint-repository.js';
import { openDatabase } from '../../../src/store/database.js';

const CLI = path.resolve('dist/src/cli/main.js');
const CLAIMS = 200;
const CHUNK = 10;
const ARGS = ['reprocess', '--from-stage', 'assess', '--where', 'policy=2025.9', '--apply', '--chunk-size', String(CHUNK)];

let dataDir: string;
const inDatabase = async <T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> => {
  const db = await openDatabase({ dataDir: path.join(dataDir, 'db') });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
};

/** Runs the built CLI; with `crashAt`, the CLI kills itself (SIGKILL) when it reaches that point. */
function warranty(crashAt?: CrashPoint): Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...(crashAt && { WARRANTY_TEST_CRASH_POINT: crashAt }) };
    const child = spawn('node', [CLI, ...ARGS, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'warranty-resume-'));
  // Claims decided under an earlier policy: re-assessed under the current one, every one changes.
  await inDatabase((db) =>
    storeSyntheticClaims(syntheticClaims(CLAIMS, { seed: 3 }), {
      claims: new ClaimsRepository(db),
      fingerprints: new FingerprintRepository(db),
      policy: stricterPolicy(loadPolicy(), '2025.9'),
    }),
  );
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

it('an applied batch killed mid-way resumes with the same command and does every claim exactly once', async () => {
  const killed = await warranty('after-reprocess-chunk-commit');
  expect(killed.signal).toBe('SIGKILL');
  const partial = await inDatabase(async (db) => ({
    done: Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM reprocess_batch_claims WHERE done_at IS NOT NULL'))[0]!.n),
    versions: Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM claim_result_versions'))[0]!.n),
  }));
  expect(partial.done).toBe(CHUNK);
  // A chunk's results and its done markers commit together: none without the other.
  expect(partial.versions).toBe(partial.done);

  const resumed = await warranty();
  expect(resumed.code).toBe(0);
  expect(resumed.stderr).toMatch(new RegExp(`resuming unfinished batch rp-\\S+ \\(${partial.done} of ${CLAIMS} done\\)`));
  expect(resumed.stdout).toContain(`${CLAIMS} claims: ${CLAIMS} got a new result`);

  await inDatabase(async (db) => {
    const batches = await db.query<{ id: string; finished_at: Date | null; total: number }>(
      'SELECT id, finished_at, total FROM reprocess_batches',
    );
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ total: CLAIMS, finished_at: expect.any(Date) });
    const perClaim = await db.query<{ id: string; versions: string; events: string; done: boolean; policy_version: string }>(
      `SELECT c.id, c.policy_version,
              (SELECT count(*) FROM claim_result_versions v WHERE v.claim_id = c.id) AS versions,
              (SELECT count(*) FROM claim_events e WHERE e.claim_id = c.id AND e.kind = 'reprocessed') AS events,
              (SELECT b.done_at IS NOT NULL FROM reprocess_batch_claims b WHERE b.claim_id = c.id) AS done
         FROM claims c`,
    );
    expect(perClaim).toHaveLength(CLAIMS);
    for (const claim of perClaim) {
      expect({
        id: claim.id,
        versions: Number(claim.versions),
        events: Number(claim.events),
        done: claim.done,
        policy: claim.policy_version,
      }).toEqual({ id: claim.id, versions: 1, events: 1, done: true, policy: loadPolicy().version });
    }
  });
  const csvPath = resumed.stdout.match(/claims whose decision changes: (\S+)/)![1]!;
  const csv = (await readFile(csvPath, 'utf8')).trim().split('\n');
  expect(csv[0]).toBe('claim_id,request_number,outcome,old_status,new_status,added_flags,dropped_flags,decided_by');
  expect(csv.length).toBeGreaterThan(1);
}, 180_000);
