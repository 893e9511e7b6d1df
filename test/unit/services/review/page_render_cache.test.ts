import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IntakeDocument } from '../../../../src/intake/intake.js';
import { PageRenderer, type PageRendererPorts } from '../../../../src/services/review/page-renderer.js';
import type { ClaimsRepository } from '../../../../src/store/claims-repository.js';
import type { ReviewableClaim, ReviewRepository } from '../../../../src/store/review-repository.js';

/** A renderer over one claim whose receipt is a three-page PDF, counting how often the receipt is fetched (once per drawing). */
function rendererOf(pdf: Buffer, cacheBytes?: number) {
  let fetched = 0;
  const claim = { claimId: 'C-1', requestNumber: 'R-1', receiptKey: 'receipts/c-1' } as ReviewableClaim;
  const doc = { type: 'pdf', mediaType: 'application/pdf', sha256: 'a'.repeat(64), pageCount: 3, pixels: null } as IntakeDocument;
  const ports: PageRendererPorts = {
    reviews: { claim: async () => claim } as unknown as ReviewRepository,
    // One document, recorded as the first upload: its intake is the claim's.
    claims: {
      stageOutput: async () => ({ stageVersion: '1', inputHash: '', output: doc }),
      documents: async () => [
        { position: 0, sha256: doc.sha256, receiptKey: claim.receiptKey, file: 'receipt.pdf', by: 'api', addedAt: '2025-06-01T00:00:00Z' },
      ],
      documentOutputs: async () => new Map(),
    } as unknown as ClaimsRepository,
    receipts: {
      get: async () => {
        fetched++;
        return pdf;
      },
    },
    maxPixels: 60_000_000,
  };
  const renderer = new PageRenderer(ports, cacheBytes);
  return { draw: (page: number) => renderer.image('C-1', page), drawings: () => fetched };
}

describe("the review page renderer's cache of drawn PDF pages", () => {
  let pdf: Buffer;
  /** The PNG size of one (blank, A4) page drawn at the reading width: every page of the PDF is alike. */
  let pageBytes: number;

  beforeAll(async () => {
    const doc = await PDFDocument.create();
    for (let i = 0; i < 3; i++) doc.addPage([595, 842]);
    pdf = Buffer.from(await doc.save());
    pageBytes = (await rendererOf(pdf).draw(1)).bytes.byteLength;
  });

  it('keeps drawn pages up to its size in bytes, and lets the least recently shown go first', async () => {
    const { draw, drawings } = rendererOf(pdf, Math.floor(2.5 * pageBytes));
    await draw(1);
    await draw(2);
    await draw(1);
    expect(drawings()).toBe(2);
    // A third page does not fit beside two: page 2, shown longest ago, makes room.
    await draw(3);
    expect(drawings()).toBe(3);
    await draw(1);
    await draw(3);
    expect(drawings()).toBe(3);
    await draw(2);
    expect(drawings()).toBe(4);
  });

  it('draws a page larger than the whole cache each time, keeping nothing', async () => {
    const { draw, drawings } = rendererOf(pdf, pageBytes - 1);
    const first = await draw(1);
    const second = await draw(1);
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(drawings()).toBe(2);
  });

  it('draws a page asked for twice at once only once', async () => {
    const { draw, drawings } = rendererOf(pdf);
    const [a, b] = await Promise.all([draw(1), draw(1)]);
    expect(a.mediaType).toBe('image/png');
    expect(b.bytes).toBe(a.bytes);
    expect(drawings()).toBe(1);
  });
});
