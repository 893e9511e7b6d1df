import { createHash } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import * as Minio from 'minio';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageOutput } from '../../../pipelines/claim-stages.js';
import { EMPTY_FIELD } from '../../../src/domain/extraction.js';
import type { Box, TextLayer } from '../../../src/domain/text-layer.js';
import type { IntakeDocument } from '../../../src/intake/intake.js';
import { useDistributedEnv } from '../../support/distributed-env.js';
import { submitClaim } from '../../support/claims-client.js';
import { giantImagePdf, metadataBombPdf, slowToCheckPdf, tallPagePdf } from '../../support/hostile-pdfs.js';
import { createAccount, signIn, type ReviewerSession } from '../../support/review-client.js';

/** PDF bombs sent to the API: refused at the door with the reason, nothing kept, the API answering throughout. */
describe('PDF bombs at the API', () => {
  const env = useDistributedEnv();
  let s3: Minio.Client;

  beforeAll(async () => {
    const endpoint = new URL(env().s3.endpoint);
    s3 = new Minio.Client({
      endPoint: endpoint.hostname,
      port: Number(endpoint.port),
      useSSL: false,
      accessKey: env().s3.accessKey,
      secretKey: env().s3.secretKey,
      region: env().config.s3.region,
      pathStyle: true,
    });
  }, 60_000);

  async function storedObjects(): Promise<number> {
    let count = 0;
    for await (const _object of s3.listObjectsV2(env().config.s3.bucket, '', true)) count += 1;
    return count;
  }

  async function storedRows(): Promise<number> {
    const [row] = await env().runtime.db.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM claims) + (SELECT count(*) FROM claim_identifiers) + (SELECT count(*) FROM stage_outputs) AS n',
    );
    return Number(row!.n);
  }

  async function expectNothingKept(): Promise<void> {
    expect(await storedObjects()).toBe(0);
    expect(await storedRows()).toBe(0);
  }

  it.each([
    ['a 100×14400 pt page', () => tallPagePdf(100, 14_400), /page 1/i],
    ['a 20000×20000 embedded image', () => giantImagePdf(20_000), /image/i],
    ['a metadata stream inflating to 64 MiB', () => metadataBombPdf(64 * 1024 * 1024), /metadata/i],
  ])('refuses %s with 422 and the reason, keeping nothing', async (_name, build, reason) => {
    const bytes = await build();
    const response = await submitClaim(env().baseUrl, env().keys.submitter, { country: 'DE' }, { name: 'r.pdf', bytes });
    expect(response.status).toBe(422);
    expect(response.body.error).toBe('UNREADABLE_DOCUMENT');
    expect(response.body.message).toMatch(reason);
    await expectNothingKept();
  });

  it('answers /health while a PDF that takes seconds to check is being checked', async () => {
    const checks: Array<{ phase: string }> = [];
    let started!: () => void;
    const checkStarted = new Promise<void>((resolve) => (started = resolve));
    const onCheck = (message: unknown) => {
      checks.push(message as { phase: string });
      if ((message as { phase: string }).phase === 'start') started();
    };
    subscribe('warranty:pdf-check', onCheck);
    try {
      let uploadAnswered = false;
      const upload = submitClaim(env().baseUrl, env().keys.submitter, { country: 'DE' }, { name: 'slow.pdf', bytes: slowToCheckPdf() });
      void upload.then(() => (uploadAnswered = true));
      await checkStarted;

      const health = await fetch(`${env().baseUrl}/health`);
      expect(health.status).toBe(200);
      expect(uploadAnswered).toBe(false);
      expect(checks.map((c) => c.phase)).toEqual(['start']);

      const refused = await upload;
      expect(refused.status).toBe(422);
      expect(refused.body.message).toMatch(/metadata/i);
      expect(checks.map((c) => c.phase)).toEqual(['start', 'end']);
      await expectNothingKept();
    } finally {
      unsubscribe('warranty:pdf-check', onCheck);
    }
  });

  describe('a reviewer opening a page stored before the door priced pages', () => {
    let alice: ReviewerSession;

    beforeAll(async () => {
      alice = await signIn(env().baseUrl, 'alice', await createAccount(env(), 'alice', 'reviewer'));
      // Put in storage as a claim of an older version would have been: past today's door.
      const bytes = await tallPagePdf(100, 5000);
      const doc: IntakeDocument = {
        type: 'pdf',
        mediaType: 'application/pdf',
        sha256: createHash('sha256').update(bytes).digest('hex'),
        byteLength: bytes.byteLength,
        pageCount: 1,
        pixels: null,
        metadata: { software: null, created: null, modified: null, incrementalUpdates: 0 },
      };
      const receiptKey = await env().runtime.receipts.put(bytes, doc.sha256, doc.mediaType);
      await env().runtime.claims.submit({
        claimId: 'OLD-TALL',
        file: 'tall.pdf',
        form: { country: 'DE', claimDate: '2025-06-01' },
        receiptKey,
        documentHash: doc.sha256,
        tenant: 'an earlier submitter',
        identifiers: [],
      });
      // Read by OCR then, with a box on the page: opening the claim maps it onto the drawn page.
      const text: TextLayer = { source: 'ocr', confidence: 0.9, pages: [{ number: 1, width: 1500, height: 75_000, lines: [] }] };
      await env().runtime.claims.recordStages(
        'OLD-TALL',
        [stageOutput.intake(doc, 0), stageOutput.read({ doc, text }, 0)],
        'received',
        'read',
      );
      const date = { value: '2024-03-12', confidence: 0.6, source: '12.03.2024', location: { page: 1, box: [10, 10, 300, 40] as Box } };
      await env().runtime.claims.saveResult(
        {
          file: 'tall.pdf',
          claimId: 'OLD-TALL',
          status: 'needs_review',
          fields: { purchaseDate: date, retailer: EMPTY_FIELD, model: EMPTY_FIELD, serial: EMPTY_FIELD, imei: EMPTY_FIELD },
          warranty: null,
          flags: [{ code: 'LOW_CONFIDENCE', message: 'low', evidence: {} }],
          policyVersion: '2026.3',
          documentHash: doc.sha256,
        },
        [],
        [],
      );
    });

    it('refuses to draw it in the API, naming its size, instead of drawing over a hundred megapixels', async () => {
      const page = await alice.call('GET', '/claims/OLD-TALL/pages/1');
      expect(page.status).toBe(422);
      expect(page.body.error).toBe('PAGE_TOO_LARGE');
      expect(page.body.message).toMatch(/megapixels/);
      expect((await fetch(`${env().baseUrl}/health`)).status).toBe(200);
    });

    it('still opens the claim, without highlights on the page it cannot draw', async () => {
      const detail = await alice.call('GET', '/claims/OLD-TALL');
      expect(detail.status).toBe(200);
      expect(detail.body.fields.find((f: any) => f.name === 'purchaseDate')).toMatchObject({ highlight: null });
    });
  });
});
