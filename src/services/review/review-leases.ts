import type { ClaimState, LeaseHolder } from '../../domain/review.js';
import { ReviewError } from '../../errors/review-errors.js';
import type { ReviewRepository } from '../../store/review-repository.js';
import type { UserAccount } from '../../store/users-repository.js';
import { leaseSeenBy, reviewableClaim } from './reviewable-claims.js';

export interface ReviewLeasesPorts {
  reviews: ReviewRepository;
  leaseSeconds: number;
}

/** Reservations of claims by reviewers: one reviewer decides a claim at a time. */
export class ReviewLeases {
  constructor(private readonly ports: ReviewLeasesPorts) {}

  /** Reserves a claim that needs review for this reviewer (or renews the reservation); refuses while another holds it. */
  async take(claimId: string, user: UserAccount): Promise<LeaseHolder> {
    const claim = await reviewableClaim(this.ports.reviews, claimId);
    if (claim.status !== 'needs_review')
      throw new ReviewError(409, 'NOT_REVIEWABLE', `Claim ${claim.requestNumber} is ${claim.status}: it no longer needs review.`);
    const lease = await this.ports.reviews.takeLease(claimId, user.id, user.username, this.ports.leaseSeconds);
    if (lease.userId !== user.id) {
      throw new ReviewError(
        409,
        'LEASE_HELD',
        `${lease.username} is reviewing claim ${claim.requestNumber} (reserved until ${lease.expiresAt.slice(11, 16)} UTC).`,
      );
    }
    return { username: lease.username, expiresAt: lease.expiresAt };
  }

  /** Where the claim stands (status, who decided, who holds it): what a read-only view polls to follow another reviewer. */
  async state(claimId: string, user: UserAccount): Promise<ClaimState> {
    const claim = await reviewableClaim(this.ports.reviews, claimId);
    return {
      status: claim.status,
      decidedBy: claim.decidedBy,
      lease: leaseSeenBy(claim, user),
    };
  }

  /** Gives the claim back to the queue; refused unless this reviewer holds it, so nobody frees a claim another is deciding. */
  async release(claimId: string, user: UserAccount): Promise<void> {
    const claim = await reviewableClaim(this.ports.reviews, claimId);
    const outcome = await this.ports.reviews.releaseLease(claimId, user.id);
    if (outcome.released) return;
    if (outcome.heldBy) {
      throw new ReviewError(409, 'LEASE_HELD', `${outcome.heldBy} is reviewing claim ${claim.requestNumber}; only they can give it back.`);
    }
    throw new ReviewError(409, 'LEASE_NOT_HELD', `You hold no reservation of claim ${claim.requestNumber}: there is nothing to give back.`);
  }

  /** After a sign-out: the reviewer's claims go back to the queue unless another session of theirs is still open. */
  releaseAfterSignOut(user: UserAccount): Promise<void> {
    return this.ports.reviews.releaseLeasesOfSignedOut(user.id);
  }
}
