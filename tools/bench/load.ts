#!/usr/bin/env node
/**
 * `npm run bench:load [-- --claims 500 --files <folder>]`: distributed mode under load on this
 * machine. Starts an S3-protocol server (s3rver) unless S3_ENDPOINT is set, the API and two worker
 * processes (one OCR thread each) on the local Redis and PostgreSQL, submits the claims through
 * HTTP, and compares with the CLI on the same files in the same run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mb, openBenchInstallation, peakMemory, ROOT } from './installation.js';
import { loadReport, loadSummary } from './load-report.js';

const { values } = parseArgs({
  options: {
    claims: { type: 'string', default: '500' },
    files: { type: 'string', default: path.join(ROOT, 'samples') },
    rate: { type: 'string', default: '2' },
  },
});
const CLAIMS = Number(values.claims);
/**
 * Uploads arrive on a fixed schedule (open loop), each on its own connection, as from independent
 * customers: a slow answer does not hold the next upload back, so the acknowledgement times are
 * not flattered (no coordinated omission). The default is four times what two OCR workers decide,
 * so the backlog grows and the workers are saturated for the whole run.
 */
const RATE = Number(values.rate);
const DECIDED = new Set(['eligible', 'not_eligible', 'needs_review', 'rejected_input']);

async function receipts(): Promise<Array<{ name: string; bytes: Buffer }>> {
  const names = (await readdir(values.files)).filter((f) => /\.(pdf|jpe?g|png)$/i.test(f) && !f.startsWith('corrupt')).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(path.join(values.files, name)) })));
}

async function main(): Promise<void> {
  const files = await receipts();
  const plan = Array.from({ length: CLAIMS }, (_, i) => ({ claimId: `LOAD-${i}`, receipt: files[i % files.length]! }));
  const installation = await openBenchInstallation();
  const { db, submitterKey: key } = installation;
  try {
    const api = await installation.start('dist/src/api/main.js', 'api listening');
    const apiPeak = peakMemory(api.child);
    const apiUrl = api.line.replace('api listening on ', '').trim();
    const workers = await Promise.all([1, 2].map(() => installation.start('dist/workers/main.js', 'worker ready')));
    const workerPeaks = workers.map((w) => peakMemory(w.child));
    process.stderr.write(
      `distributed: ${CLAIMS} claims arriving at ${RATE}/s, ${files.length} distinct receipts, 2 workers × 1 OCR thread\n`,
    );

    const acks: number[] = [];
    const submittedAt = new Map<string, number>();
    const started = performance.now();
    await Promise.all(
      plan.map(async ({ claimId, receipt }, i) => {
        const due = started + (i * 1000) / RATE;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        const form = new FormData();
        form.append('claimId', claimId);
        form.append('country', 'DE');
        form.append('claimDate', '2025-06-01');
        form.append('receipt', new Blob([new Uint8Array(receipt.bytes)]), receipt.name);
        const sent = performance.now();
        const response = await fetch(`${apiUrl}/claims`, { method: 'POST', body: form, headers: { authorization: `Bearer ${key}` } });
        acks.push(performance.now() - sent);
        submittedAt.set(claimId, sent);
        if (response.status !== 202) throw new Error(`claim ${claimId}: HTTP ${response.status} ${await response.text()}`);
      }),
    );
    const submitted = performance.now();
    const decidedAt = new Map<string, number>();
    let reported = 0;
    while (decidedAt.size < plan.length) {
      const rows = await db.query<{ id: string; status: string }>(`SELECT id, status FROM claims WHERE status = ANY($1::text[])`, [
        [...DECIDED],
      ]);
      const now = performance.now();
      for (const r of rows) if (!decidedAt.has(r.id)) decidedAt.set(r.id, now);
      if (decidedAt.size >= reported + 50 || decidedAt.size === plan.length) {
        reported = decidedAt.size;
        process.stderr.write(`  decided ${reported}/${plan.length}\n`);
      }
      if (decidedAt.size < plan.length) await new Promise((r) => setTimeout(r, 250));
    }
    const finished = performance.now();
    const result = loadSummary({
      claims: plan.length,
      started,
      submitted,
      finished,
      acksMs: acks,
      endToEndMs: plan.map((p) => decidedAt.get(p.claimId)! - submittedAt.get(p.claimId)!),
    });
    const peaks = { api: mb(apiPeak()), workers: workerPeaks.map((p) => mb(p())) };
    await installation.stopAll();

    const cli = await cliThroughput(plan);
    console.log(loadReport(result, files.length, peaks, { rate: cli.rate, peakMemory: mb(cli.peakKb) }).join('\n'));
  } finally {
    await installation.close();
  }
}

async function cliThroughput(
  plan: Array<{ claimId: string; receipt: { name: string; bytes: Buffer } }>,
): Promise<{ rate: number; peakKb: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-cli-'));
  try {
    const lines = await Promise.all(
      plan.map(async ({ claimId, receipt }) => {
        const file = path.join(dir, receipt.name);
        await writeFile(file, receipt.bytes);
        return JSON.stringify({ file, claimId, country: 'DE', claimDate: '2025-06-01' });
      }),
    );
    await writeFile(path.join(dir, 'claims.ndjson'), `${lines.join('\n')}\n`);
    const started = performance.now();
    const { DATABASE_URL: _distributedOnly, ...embedded } = process.env;
    // The arena limit the CLI would relaunch itself with, set here: the process measured is then the
    // one doing the work, not a launcher waiting for it.
    const cli = spawn(
      process.execPath,
      [path.join(ROOT, 'dist/src/cli/main.js'), 'process', '--manifest', path.join(dir, 'claims.ndjson'), '--json'],
      {
        env: {
          ...embedded,
          MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
          WARRANTY_DATA_DIR: path.join(dir, 'data'),
          WARRANTY_OCR_WORKERS: '2',
          LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    const peak = peakMemory(cli);
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    if (code !== 0) throw new Error(`the CLI exited with ${code}`);
    return { rate: plan.length / ((performance.now() - started) / 1000), peakKb: peak() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
