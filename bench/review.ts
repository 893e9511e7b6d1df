/**
 * `npm run bench:review`: the reviewer workbench at scale. Seeds 100 000 claims into a private
 * Postgres schema, then prints the queue page's response time (target < 200 ms) and the time for a
 * claim page with a 3000 px receipt photo to become usable in headless Chromium (target < 1 s).
 * Needs what the tests need: PostgreSQL, Redis, and Debian's chromium.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { launchChromium } from '../test/support/browser.js';
import { startDistributedEnv } from '../test/support/distributed-env.js';
import { createAccount, processedClaim, signIn } from '../test/support/review-client.js';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 100_000);
const ROUNDS = 30;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main(): Promise<void> {
  const env = await startDistributedEnv({ LOG_LEVEL: 'silent' });
  const browser = await launchChromium();
  try {
    // --- Seed --------------------------------------------------------------------------------
    const seeded = performance.now();
    // Four in five need review; flags, families and retailers vary; arrivals spread over 60 days.
    await env.runtime.db.query(
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
    await env.runtime.db.query(
      `INSERT INTO review_queue_flags (code, created_at, seq, claim_id)
       SELECT DISTINCT f ->> 'code', c.created_at, c.seq, c.id FROM claims c, jsonb_array_elements(c.result -> 'flags') AS f
        WHERE c.status = 'needs_review'`,
    );
    await env.runtime.db.query('ANALYZE claims');
    await env.runtime.db.query('ANALYZE review_queue_flags');
    console.log(`seeded ${CLAIMS} claims in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    // --- One real claim with a 3000 px photo, through the API and the workers ------------------
    const photo = await sharp(await readFile(path.resolve('samples/photo-receipt.jpg')))
      .resize({ width: 3000 })
      .jpeg({ quality: 85 })
      .toBuffer();
    const big = path.resolve('test-artifacts/bench-receipt-3000px.jpg');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(big), { recursive: true }).then(() => fs.writeFile(big, photo)));
    await env.startWorkers();
    const claim = await processedClaim(
      env,
      {
        claimId: 'BENCH-PHOTO',
        imei: '350917642084133',
        model: 'SM-S921B/DS',
        purchaseDate: '2025-02-22',
        country: 'DE',
        claimDate: '2025-06-01',
      },
      path.relative(path.resolve('samples'), big),
    );
    await env.stopWorkers();
    const meta = await sharp(photo).metadata();
    console.log(
      `receipt photo ${meta.width}×${meta.height} px, ${(photo.byteLength / 1e6).toFixed(1)} MB: ${claim.status} (${claim.result.flags.map((f: { code: string }) => f.code).join(', ')})`,
    );

    // --- Queue page -----------------------------------------------------------------------------
    const password = await createAccount(env, 'bench', 'reviewer');
    const session = await signIn(env.baseUrl, 'bench', password);
    const deep = (await session.call('GET', '/queue?limit=100')).body.next as string;
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
        const { status } = await session.call('GET', route);
        if (status !== 200) throw new Error(`${route}: ${status}`);
        times.push(performance.now() - started);
      }
      all.push(...times);
      console.log(`  ${name.padEnd(22)} p50 ${ms(percentile(times, 0.5)).padStart(9)}  p95 ${ms(percentile(times, 0.95)).padStart(9)}`);
    }
    const queueP95 = percentile(all, 0.95);

    // --- Claim page -----------------------------------------------------------------------------
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/review`);
    await page.getByLabel('User name').fill('bench');
    await page.getByLabel('Password').fill(password);
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
    console.log(`  first (cold) ${ms(opens[0]!)}   later p50 ${ms(percentile(opens.slice(1), 0.5))}   max ${ms(Math.max(...opens))}`);
    await page.screenshot({ path: path.resolve('test-artifacts/bench-claim-page.png') });

    console.log(
      `\nsummary: queue p95 ${ms(queueP95)} (target < 200 ms) ${queueP95 < 200 ? 'OK' : 'MISSED'}; ` +
        `claim page worst ${ms(Math.max(...opens))} (target < 1000 ms) ${Math.max(...opens) < 1000 ? 'OK' : 'MISSED'}`,
    );
  } finally {
    await browser.close();
    await env.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
