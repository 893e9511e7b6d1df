import type {
  ClaimDetail,
  ClaimState,
  Decided,
  FieldCorrections,
  LeaseHolder,
  Preview,
  QueueItem,
  ReviewDecision,
  Undone,
} from '../domain/review.js';
import type { Policy } from '../policy/policy-schema.js';
import type { ReceiptStorage } from '../storage/receipt-storage.js';
import type { ClaimsRepository } from '../store/claims-repository.js';
import type { CustomerRequestsRepository } from '../store/customer-requests-repository.js';
import type { FingerprintRepository } from '../store/fingerprint-repository.js';
import type { QueueFilter, ReviewRepository } from '../store/review-repository.js';
import type { UserAccount } from '../store/users-repository.js';
import { PageRenderer } from './review/page-renderer.js';
import { ReviewDecisions } from './review/review-decisions.js';
import { ReviewLeases } from './review/review-leases.js';
import { ReviewPages } from './review/review-pages.js';
import { ReviewQueue } from './review/review-queue.js';

export interface ReviewPorts {
  reviews: ReviewRepository;
  claims: ClaimsRepository;
  requests: CustomerRequestsRepository;
  fingerprints: FingerprintRepository;
  receipts: ReceiptStorage;
  policy: Policy;
  maxPixels: number;
  defaultCountry: string;
  slaHours: number;
  leaseSeconds: number;
}

/**
 * The reviewer workbench's use cases, one per route, over the modules in ./review: the queue
 * (review-queue), leases (review-leases), a claim with its evidence (review-pages), its receipt's
 * pages as images (page-renderer), and re-assessment with corrected fields and the reviewer's
 * decision (review-decisions).
 */
export class ReviewService {
  private readonly reviewQueue: ReviewQueue;
  private readonly leases: ReviewLeases;
  private readonly renderer: PageRenderer;
  private readonly pages: ReviewPages;
  private readonly decisions: ReviewDecisions;

  constructor(ports: ReviewPorts) {
    this.reviewQueue = new ReviewQueue(ports);
    this.leases = new ReviewLeases(ports);
    this.renderer = new PageRenderer(ports);
    this.pages = new ReviewPages(ports, this.renderer);
    this.decisions = new ReviewDecisions(ports, this.pages);
  }

  queue(
    filter: QueueFilter,
    position: { cursor?: string; afterClaim?: string },
    limit: number,
  ): Promise<{ items: QueueItem[]; next: string | null; asOf: string }> {
    return this.reviewQueue.page(filter, position, limit);
  }

  queueNews(filter: QueueFilter, since: string): Promise<{ newClaims: number; asOf: string }> {
    return this.reviewQueue.news(filter, since);
  }

  claimState(claimId: string, user: UserAccount): Promise<ClaimState> {
    return this.leases.state(claimId, user);
  }

  lease(claimId: string, user: UserAccount): Promise<LeaseHolder> {
    return this.leases.take(claimId, user);
  }

  release(claimId: string, user: UserAccount): Promise<void> {
    return this.leases.release(claimId, user);
  }

  releaseAfterSignOut(user: UserAccount): Promise<void> {
    return this.leases.releaseAfterSignOut(user);
  }

  detail(claimId: string, user: UserAccount): Promise<ClaimDetail> {
    return this.pages.claim(claimId, user);
  }

  page(claimId: string, number: number): Promise<{ bytes: Buffer; mediaType: string }> {
    return this.renderer.image(claimId, number);
  }

  preview(claimId: string, corrections: FieldCorrections): Promise<Preview> {
    return this.decisions.preview(claimId, corrections);
  }

  decide(claimId: string, user: UserAccount, decision: ReviewDecision): Promise<Decided> {
    return this.decisions.decide(claimId, user, decision);
  }

  undo(claimId: string, user: UserAccount): Promise<Undone> {
    return this.decisions.undo(claimId, user);
  }
}
