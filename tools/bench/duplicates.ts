#!/usr/bin/env node
/**
 * Duplicate look-up cost as claims grow: seeds N stored claims (default 100,000) with serials,
 * receipt hashes, fingerprints and blocking keys shaped like real traffic (a few retailers, a few
 * hundred models, three years of dates), then times the decide step's look-ups for new claims.
 *
 *   npm run bench:duplicates [-- --claims 100000 --lookups 300]   (DATABASE_URL for PostgreSQL)
 */
import { parseArgs } from 'node:util';
import { blockingKeys, matchReceipt } from '../../src/fraud/receipt-match.js';
import { loadPolicy } from '../../src/policy/policy-table.js';
import { ClaimsRepository } from '../../src/store/claims-repository.js';
import { openDatabase } from '../../src/store/database.js';
import { FingerprintRepository } from '../../src/store/fingerprint-repository.js';
import { duplicatesReport, lookup, seedStatements } from './duplicates-workload.js';

const { values } = parseArgs({ options: { claims: { type: 'string' }, lookups: { type: 'string' } } });
const CLAIMS = Number(values.claims ?? 100_000);
const LOOKUPS = Number(values.lookups ?? 300);

// A schema of its own on a server, dropped afterwards: the seeded claims must not outlive the run.
const schema = `bench_duplicates_${process.pid}`;
const db = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, schema } : { dataDir: 'memory://' });
const policy = loadPolicy();
const fraud = policy.fraud!;
const started = performance.now();
for (const statement of seedStatements(CLAIMS, policy.version)) await db.query(statement);
await db.query('ANALYZE');
const seededMs = performance.now() - started;

const claims = new ClaimsRepository(db);
const fingerprints = new FingerprintRepository(db);
const times: number[] = [];
const parts = { lookups: 0, scoring: 0 };
for (let i = 0; i < LOOKUPS; i++) {
  const { g, reused, fingerprint: fp } = lookup(i, CLAIMS);
  // As the decide step does it (detect-fraud.ts): both look-ups at once, then scoring.
  const t0 = performance.now();
  const [earlier, candidates] = await Promise.all([
    claims.findEarlier(Number.MAX_SAFE_INTEGER, [
      { kind: 'serial', value: fp.unit! },
      { kind: 'receipt_hash', value: `new-${i}` },
    ]),
    fingerprints.candidates(Number.MAX_SAFE_INTEGER, blockingKeys(fp), fraud.duplicateReceipt.maxCandidates),
  ]);
  const t1 = performance.now();
  const match = matchReceipt(fp, candidates, fraud.duplicateReceipt);
  times.push(performance.now() - t0);
  parts.lookups += t1 - t0;
  parts.scoring += performance.now() - t1;
  if (reused && (!match || earlier.length === 0)) throw new Error(`look-up ${i} missed the stored receipt seed-${g}`);
  if (!reused && match) throw new Error(`look-up ${i} matched an unrelated receipt ${match.candidate.claimId}`);
}
if (process.env.DATABASE_URL) await db.query(`DROP SCHEMA ${schema} CASCADE`);
await db.close();
const report = duplicatesReport({
  claims: CLAIMS,
  database: process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite',
  seededMs,
  times,
  lookupsMs: parts.lookups,
  scoringMs: parts.scoring,
});
process.stdout.write(`${report.join('\n')}\n`);
