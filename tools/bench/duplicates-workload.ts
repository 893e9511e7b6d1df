/**
 * The duplicate look-up benchmark's workload and report, with no I/O: stored claims shaped like real
 * traffic (a few retailers, a few hundred models, three years of dates), seeded by SQL, and the
 * look-ups of new claims, half of which re-use a stored receipt.
 */
import type { ReceiptFingerprint } from '../../src/domain/fraud.js';
import { mean, quantile } from '../lib/statistics.js';

export const RETAILERS = 12;
export const MODELS = 400;
export const DAYS = 1100;

/** One statement per table for `claims` stored claims: a generated series is far faster than 100k round trips. */
export function seedStatements(claims: number, policyVersion: string): string[] {
  const series = `
  WITH s AS (SELECT g, 'R' || (g % ${RETAILERS}) AS retailer, (date '2023-01-01' + (g * 7919) % ${DAYS})::text AS day,
                    'SM-M' || (g * 31 % ${MODELS}) AS model, 'SN' || lpad(g::text, 9, '0') AS unit FROM generate_series(1, ${claims}) g)`;
  return [
    `INSERT INTO claims (id, request_number, file, status, policy_version, result)
  SELECT 'seed-' || g, 'WR-' || g, NULL, 'eligible', '${policyVersion}', '{}'::jsonb FROM generate_series(1, ${claims}) g`,
    `INSERT INTO claim_identifiers (kind, value, claim_id)
  SELECT 'serial', 'SN' || lpad(g::text, 9, '0'), 'seed-' || g FROM generate_series(1, ${claims}) g
  UNION ALL SELECT 'receipt_hash', md5(g::text), 'seed-' || g FROM generate_series(1, ${claims}) g`,
    `${series} INSERT INTO receipt_fingerprints (claim_id, fingerprint)
  SELECT 'seed-' || g, jsonb_build_object('retailer', retailer, 'purchaseDate', day, 'model', model, 'unit', unit,
         'numbers', jsonb_build_array((g * 13)::text, (g * 17)::text, '8153200'), 'imageHash', md5(g::text) || md5(g::text)) FROM s`,
    `${series} INSERT INTO receipt_blocks (block, claim_id)
  SELECT b, 'seed-' || g FROM s, LATERAL (VALUES ('rd:' || retailer || '|' || day), ('rm:' || retailer || '|' || model),
                                                  ('dm:' || day || '|' || model), ('u:' || unit)) v(b)`,
  ];
}

export interface Lookup {
  /** The stored claim it re-uses the receipt of (`seed-<g>`), or shares only shop and model with. */
  g: number;
  reused: boolean;
  fingerprint: ReceiptFingerprint;
}

/**
 * The `i`th look-up against `claims` stored claims: even ones re-use a stored receipt (the same
 * fingerprint the seed gave claim g), odd ones are new purchases sharing only shop and model.
 */
export function lookup(i: number, claims: number): Lookup {
  const g = 1 + ((i * 104_729) % claims);
  const reused = i % 2 === 0;
  return {
    g,
    reused,
    fingerprint: {
      retailer: `R${g % RETAILERS}`,
      purchaseDate: reused ? new Date(Date.UTC(2023, 0, 1) + ((g * 7919) % DAYS) * 86_400_000).toISOString().slice(0, 10) : '2026-01-01',
      model: `SM-M${(g * 31) % MODELS}`,
      unit: reused ? `SN${String(g).padStart(9, '0')}` : `NEW${i}`,
      numbers: reused ? [String(g * 13), String(g * 17), '8153200'] : [String(i)],
      imageHash: null,
    },
  };
}

export interface DuplicatesMeasurement {
  claims: number;
  database: string;
  seededMs: number;
  /** Each look-up's whole time, ms. */
  times: readonly number[];
  /** Summed over the look-ups, ms. */
  lookupsMs: number;
  scoringMs: number;
}

export function duplicatesReport(m: DuplicatesMeasurement): string[] {
  const n = m.times.length;
  return [
    `duplicate look-up against ${m.claims.toLocaleString('en')} stored claims (${m.database}, seeded in ${(m.seededMs / 1000).toFixed(1)} s):`,
    `  ${n} look-ups (serial + file hash + fingerprint candidates + scoring): mean ${mean(m.times).toFixed(2)} ms, ` +
      `p50 ${quantile(m.times, 0.5).toFixed(2)} ms, p95 ${quantile(m.times, 0.95).toFixed(2)} ms, max ${quantile(m.times, 1).toFixed(2)} ms`,
    `  of the mean: database look-ups ${(m.lookupsMs / n).toFixed(2)} ms, scoring the candidates ${(m.scoringMs / n).toFixed(3)} ms`,
  ];
}
