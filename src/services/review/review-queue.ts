import type { QueueItem } from '../../domain/review.js';
import { ReviewError } from '../../errors/review-errors.js';
import type { QueueCursor, QueueFilter, QueueStart, ReviewRepository } from '../../store/review-repository.js';
import { claimAge, reviewableClaim } from './reviewable-claims.js';

export interface ReviewQueuePorts {
  reviews: ReviewRepository;
  slaHours: number;
}

/** The claims that need review, oldest first, a keyset page at a time behind an opaque cursor. */
export class ReviewQueue {
  constructor(private readonly ports: ReviewQueuePorts) {}

  /**
   * A page from the start of the queue, after a page (`cursor`) or after a claim (`afterClaim`: the
   * next claims in queue order, as skipping one does); `asOf` is when it was read, the `since` of its news.
   */
  async page(
    filter: QueueFilter,
    position: { cursor?: string; afterClaim?: string },
    limit: number,
  ): Promise<{ items: QueueItem[]; next: string | null; asOf: string }> {
    const start: QueueStart | null = position.cursor
      ? decodeCursor(position.cursor)
      : position.afterClaim
        ? { afterClaim: (await reviewableClaim(this.ports.reviews, position.afterClaim)).claimId }
        : null;
    const { rows, asOf } = await this.ports.reviews.queue(filter, start, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        claimId: r.claimId,
        requestNumber: r.requestNumber,
        receivedAt: r.receivedAt,
        ...claimAge(r.receivedAt, this.ports.slaHours),
        family: r.family,
        retailer: r.retailer,
        flags: r.flags,
        lease: r.lease,
      })),
      next: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAtText, seq: last.seq }) : null,
      asOf,
    };
  }

  /** How many claims matching the filter joined the queue since `since` (a page's `asOf`), and the next `since`. */
  async news(filter: QueueFilter, since: string): Promise<{ newClaims: number; asOf: string }> {
    const { count, asOf } = await this.ports.reviews.queueNews(filter, since);
    return { newClaims: count, asOf };
  }
}

function encodeCursor(cursor: QueueCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.seq])).toString('base64url');
}

function decodeCursor(token: string): QueueCursor {
  try {
    const [createdAt, seq] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof createdAt === 'string' && Number.isInteger(seq)) return { createdAt, seq: seq as number };
  } catch {
    // fall through
  }
  throw new ReviewError(422, 'BAD_CURSOR', 'This page of the queue is no longer valid; start from the first page.');
}
