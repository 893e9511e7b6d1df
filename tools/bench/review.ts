#!/usr/bin/env node
/**
 * `npm run bench:review`: the reviewer workbench at scale. Seeds 100 000 claims (BENCH_CLAIMS) into
 * a private installation's Postgres schema, then prints the queue page's response time from the
 * built API (target < 200 ms) and the time for a claim page with a 3000 px receipt photo to become
 * usable in headless Chromium (target < 1 s). Needs PostgreSQL, Redis, and Debian's chromium.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { launchChromium } from '../harness/browser.js';
import { quantile } from '../lib/statistics.js';
import { openBenchInstallation, ROOT, type BenchInstallation } from './installation.js';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 100_000);
const ROUNDS = 30;

const ms = (v: number) => `${v.toFixed(1)} ms`;

/** Submits a claim through the API and waits for the workers' decision; answers the claim as GET /claims/:id does. */
async function processedClaim(baseUrl: string, key: string, fields: Record<string, string>, receipt: Buffer): Promise<any> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('receipt', new Blob([new Uint8Array(receipt)], { type: 'image/jpeg' }), 'photo-receipt-3000px.jpg');
  const headers = { authorization: `Bearer ${key}` };
  const accepted = await fetch(`${baseUrl}/claims`, { method: 'POST', body: form, headers });
  if (accepted.status !== 202) throw new Error(`submission refused: ${accepted.status} ${await accepted.text()}`);
  const { claimId } = (await accepted.json()) as { claimId: string };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const claim = await (await fetch(`${baseUrl}/claims/${encodeURIComponent(claimId)}`, { headers })).json().catch(() => null);
    if (claim?.result) return claim;
    if (Date.now() > deadline) throw new Error(`claim ${claimId} not decided after 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A workbench account made through the admin API, signed in over the JSON API: GETs with its cookie. */
async function reviewerSession(
  installation: BenchInstallation,
  baseUrl: string,
  username: string,
): Promise<{ password: string; get(route: string): Promise<{ status: number; body: any }> }> {
  const password = `${username}-long-password`;
  const created = await fetch(`${baseUrl}/admin/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${installation.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, role: 'reviewer' }),
  });
  if (created.status !== 201) throw new Error(`creating ${username}: ${created.status} ${await created.text()}`);
  const signedIn = await fetch(`${baseUrl}/review/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (signedIn.status !== 200) throw new Error(`sign-in of ${username}: ${signedIn.status} ${await signedIn.text()}`);
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
  return {
    password,
    async get(route) {
      const answer = await fetch(`${baseUrl}/review/api${route}`, { headers: { cookie } });
      return { status: answer.status, body: await answer.json().catch(() => null) };
    },
  };
}

async function main(): Promise<void> {
  const installation = await openBenchInstallation();
  const browser = await launchChromium();
  try {
    const api = await installation.start('dist/src/api/main.js', 'api listening');
    const baseUrl = api.line.replace('api listening on ', '').trim();
    const db = installation.db;
    // --- Seed --------------------------------------------------------------------------------
    const seeded = performance.now();
    // Four in five need review; flags, families and retailers vary; arrivals spread over 60 days.
    await db.query(
      `INSERT INTO claims (id, request_number, status, policy_version, result, created_at)
       SELECT 'B-' || i, 'WR-B' || i, CASE WHEN i % 5 = 0 THEN 'eligible' ELSE 'needs_review' END, '2026.1',
              jsonb_build_object(
                'claimId', 'B-' || i, 'file', NULL, 'status', CASE WHEN i % 5 = 0 THEN 'eligible' ELSE 'needs_review' END,
                'fields', jsonb_build_object('retailer', jsonb_build_object('value', (ARRAY['MediaMarkt','Saturn','Amazon','Otto','Elkjøp','Power','Cyberport'])[1 + i % 7], 'confidence', 0.9, 'source', 'x')),
                'warranty', jsonb_build_object('family', (ARRAY['phone','tablet','tv','notebook','monitor','appliance'])[1 + i % 6], 'months', 24, 'expires', NULL, 'rule', 'x'),
                'flags', (ARRAY['[{"code":"SERIAL_MISMATCH","message":"x","evidence":{}}]','[{"code":"DUPLICATE_RECEIPT","message":"x","evidence":{}}]',
                                '[{"code":"LOW_CONFIDENCE","message":"x","evidence":{}},{"code":"MISSING_SERIAL","message":"x","evidence":{}}]',
                                '[{"code":"POSSIBLE_TAMPERING","message":"x","evidence":{}}]','[{"code":"INVALID_IMEI","message":"x","evidence":{}}]'])[1 + i % 5]::jsonb,
                'policyVersion', '2026.1', 'documentHash', NULL),
              now() - make_interval(secs => (${CLAIMS} - i)::double precision * 60 * 86400 / ${CLAIMS})
         FROM generate_series(1, ${CLAIMS}) AS i`,
    );
    // As the repositories keep it for every decided claim (see migration 005).
    await db.query(
      `INSERT INTO review_queue_flags (code, created_at, seq, claim_id)
       SELECT DISTINCT f ->> 'code', c.created_at, c.seq, c.id FROM claims c, jsonb_array_elements(c.result -> 'flags') AS f
        WHERE c.status = 'needs_review'`,
    );
    await db.query('ANALYZE claims');
    await db.query('ANALYZE review_queue_flags');
    console.log(`seeded ${CLAIMS} claims in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    // --- One real claim with a 3000 px photo, through the API and the workers ------------------
    const photo = await sharp(await readFile(path.join(ROOT, 'samples/photo-receipt.jpg')))
      .resize({ width: 3000 })
      .jpeg({ quality: 85 })
      .toBuffer();
    const worker = await installation.start('dist/workers/main.js', 'worker ready');
    const claim = await processedClaim(
      baseUrl,
      installation.submitterKey,
      {
        claimId: 'BENCH-PHOTO',
        imei: '350917642084133',
        model: 'SM-S921B/DS',
        purchaseDate: '2025-02-22',
        country: 'DE',
        claimDate: '2025-06-01',
      },
      photo,
    );
    await installation.stop(worker.child);
    const meta = await sharp(photo).metadata();
    console.log(
      `receipt photo ${meta.width}×${meta.height} px, ${(photo.byteLength / 1e6).toFixed(1)} MB: ${claim.status} (${claim.result.flags.map((f: { code: string }) => f.code).join(', ')})`,
    );

    // --- Queue page -----------------------------------------------------------------------------
    const session = await reviewerSession(installation, baseUrl, 'bench');
    const deep = (await session.get('/queue?limit=100')).body.next as string;
    const cases: Array<[string, string]> = [
      ['first page', '/queue?limit=25'],
      ['page after 100', `/queue?limit=25&cursor=${deep}`],
      ['flag filter', '/queue?limit=25&flag=POSSIBLE_TAMPERING'],
      ['family + retailer', '/queue?limit=25&family=tv&retailer=Saturn'],
      [
        'date range',
        `/queue?limit=25&from=${new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10)}`,
      ],
      ['rare flag (no match)', '/queue?limit=25&flag=FUTURE_DATE'],
    ];
    console.log(`\nqueue page, ${ROUNDS} requests each (HTTP round trip incl. session check):`);
    const all: number[] = [];
    for (const [name, route] of cases) {
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const started = performance.now();
        const { status } = await session.get(route);
        if (status !== 200) throw new Error(`${route}: ${status}`);
        times.push(performance.now() - started);
      }
      all.push(...times);
      console.log(`  ${name.padEnd(22)} p50 ${ms(quantile(times, 0.5)).padStart(9)}  p95 ${ms(quantile(times, 0.95)).padStart(9)}`);
    }
    const queueP95 = quantile(all, 0.95);

    // --- Claim page -----------------------------------------------------------------------------
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/review`);
    await page.getByLabel('User name').fill('bench');
    await page.getByLabel('Password').fill(session.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('h1:text("Claims needing review")');
    const opens: number[] = [];
    for (let i = 0; i < 6; i++) {
      await page.evaluate(() => {
        location.hash = '#/queue';
        document.body.removeAttribute('data-claim-ready');
      });
      await page.waitForSelector('h1:text("Claims needing review")');
      const started = performance.now();
      await page.evaluate((id) => {
        location.hash = `#/claims/${id}`;
      }, claim.claimId);
      await page.waitForSelector(`body[data-claim-ready="${claim.claimId}"]`);
      opens.push(performance.now() - started);
    }
    // The first open decodes the photo for the highlight geometry; later ones find it cached.
    console.log(`\nclaim page usable (receipt decoded and shown, fields, flags, highlights), ${opens.length} opens:`);
    console.log(`  first (cold) ${ms(opens[0]!)}   later p50 ${ms(quantile(opens.slice(1), 0.5))}   max ${ms(Math.max(...opens))}`);
    const screenshot = path.join(ROOT, 'test-artifacts/bench-claim-page.png');
    await mkdir(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });

    console.log(
      `\nsummary: queue p95 ${ms(queueP95)} (target < 200 ms) ${queueP95 < 200 ? 'OK' : 'MISSED'}; ` +
        `claim page worst ${ms(Math.max(...opens))} (target < 1000 ms) ${Math.max(...opens) < 1000 ? 'OK' : 'MISSED'}`,
    );
  } finally {
    await browser.close();
    await installation.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
