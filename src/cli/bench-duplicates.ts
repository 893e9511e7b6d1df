#!/usr/bin/env node
/**
 * Duplicate look-up cost as claims grow: seeds N stored claims (default 100,000) with serials,
 * receipt hashes, fingerprints and blocking keys shaped like real traffic (a few retailers, a few
 * hundred models, three years of dates), then times the decide step's look-ups for new claims.
 *
 *   npm run bench:duplicates [-- --claims 100000 --lookups 300]   (DATABASE_URL for PostgreSQL)
 */
import { parseArgs } from 'node:util';
import type { ReceiptFingerprint } from '../domain/fraud.js';
import { matchReceipt, blockingKeys } from '../fraud/receipt-match.js';
import { loadPolicy } from '../policy/policy-table.js';
import { ClaimsRepository } from '../store/claims-repository.js';
import { openDatabase } from '../store/database.js';
import { FingerprintRepository } from '../store/fingerprint-repository.js';

const { values } = parseArgs({ options: { claims: { type: 'string' }, lookups: { type: 'string' } } });
const CLAIMS = Number(values.claims ?? 100_000);
const LOOKUPS = Number(values.lookups ?? 300);
const RETAILERS = 12;
const MODELS = 400;
const DAYS = 1100;

// A schema of its own on a server, dropped afterwards: the seeded claims must not outlive the run.
const schema = `bench_duplicates_${process.pid}`;
const db = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, schema } : { dataDir: 'memory://' });
const fraud = loadPolicy().fraud!;
const started = performance.now();
// One statement per table: a generated series is far faster than 100k round trips.
const seed = `
  WITH s AS (SELECT g, 'R' || (g % ${RETAILERS}) AS retailer, (date '2023-01-01' + (g * 7919) % ${DAYS})::text AS day,
                    'SM-M' || (g * 31 % ${MODELS}) AS model, 'SN' || lpad(g::text, 9, '0') AS unit FROM generate_series(1, ${CLAIMS}) g)`;
await db.query(`INSERT INTO claims (id, request_number, file, status, policy_version, result)
  SELECT 'seed-' || g, 'WR-' || g, NULL, 'eligible', '${loadPolicy().version}', '{}'::jsonb FROM generate_series(1, ${CLAIMS}) g`);
await db.query(`INSERT INTO claim_identifiers (kind, value, claim_id)
  SELECT 'serial', 'SN' || lpad(g::text, 9, '0'), 'seed-' || g FROM generate_series(1, ${CLAIMS}) g
  UNION ALL SELECT 'receipt_hash', md5(g::text), 'seed-' || g FROM generate_series(1, ${CLAIMS}) g`);
await db.query(`${seed} INSERT INTO receipt_fingerprints (claim_id, fingerprint)
  SELECT 'seed-' || g, jsonb_build_object('retailer', retailer, 'purchaseDate', day, 'model', model, 'unit', unit,
         'numbers', jsonb_build_array((g * 13)::text, (g * 17)::text, '8153200'), 'imageHash', md5(g::text) || md5(g::text)) FROM s`);
await db.query(`${seed} INSERT INTO receipt_blocks (block, claim_id)
  SELECT b, 'seed-' || g FROM s, LATERAL (VALUES ('rd:' || retailer || '|' || day), ('rm:' || retailer || '|' || model),
                                                  ('dm:' || day || '|' || model), ('u:' || unit)) v(b)`);
await db.query('ANALYZE');
const seeded = performance.now() - started;

const claims = new ClaimsRepository(db);
const fingerprints = new FingerprintRepository(db);
const times: number[] = [];
const parts = { lookups: 0, scoring: 0 };
for (let i = 0; i < LOOKUPS; i++) {
  // Half the look-ups re-use a stored receipt, half are new purchases sharing only shop and model.
  const g = 1 + ((i * 104_729) % CLAIMS);
  const reused = i % 2 === 0;
  const fp: ReceiptFingerprint = {
    retailer: `R${g % RETAILERS}`,
    purchaseDate: reused ? new Date(Date.UTC(2023, 0, 1) + ((g * 7919) % DAYS) * 86_400_000).toISOString().slice(0, 10) : '2026-01-01',
    model: `SM-M${(g * 31) % MODELS}`,
    unit: reused ? `SN${String(g).padStart(9, '0')}` : `NEW${i}`,
    numbers: reused ? [String(g * 13), String(g * 17), '8153200'] : [String(i)],
    imageHash: null,
  };
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
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
process.stdout.write(
  `duplicate look-up against ${CLAIMS.toLocaleString('en')} stored claims (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, seeded in ${(seeded / 1000).toFixed(1)} s):\n` +
    `  ${LOOKUPS} look-ups (serial + file hash + fingerprint candidates + scoring): mean ${mean.toFixed(2)} ms, ` +
    `p50 ${times[Math.floor(0.5 * times.length)]!.toFixed(2)} ms, p95 ${times[Math.floor(0.95 * times.length)]!.toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms\n` +
    `  of the mean: database look-ups ${(parts.lookups / LOOKUPS).toFixed(2)} ms, scoring the candidates ${(parts.scoring / LOOKUPS).toFixed(3)} ms\n`,
);
