// What the review use cases share: finding the claim, its age against the target, its lease as a reviewer sees it, its form as the policy reads it.
import type { NormalisedForm } from '../../domain/assessment.js';
import { ClaimForm } from '../../domain/claim.js';
import type { ClaimDetail } from '../../domain/review.js';
import { ReviewError } from '../../errors/review-errors.js';
import { normaliseForm } from '../../intake/form.js';
import type { ReviewableClaim, ReviewRepository } from '../../store/review-repository.js';
import type { UserAccount } from '../../store/users-repository.js';

/** The claim, or a 404 naming it. */
export async function reviewableClaim(reviews: ReviewRepository, claimId: string): Promise<ReviewableClaim> {
  const claim = await reviews.claim(claimId);
  if (!claim) throw new ReviewError(404, 'NOT_FOUND', `No claim ${claimId}.`);
  return claim;
}

/** How long the claim has waited (hours, one decimal), and whether that is over the service-level target. */
export function claimAge(receivedAt: string, slaHours: number): { ageHours: number; overTarget: boolean } {
  const ageHours = Math.max(0, (Date.now() - Date.parse(receivedAt)) / 3_600_000);
  return { ageHours: Math.round(ageHours * 10) / 10, overTarget: ageHours > slaHours };
}

/** Who holds the claim's lease and until when, and whether it is this reviewer; null: nobody. */
export function leaseSeenBy(claim: ReviewableClaim, user: UserAccount): ClaimDetail['lease'] {
  return claim.lease ? { username: claim.lease.username, expiresAt: claim.lease.expiresAt, mine: claim.lease.userId === user.id } : null;
}

/** The customer's form, normalised as the policy compares it (an invalid form reads as empty). */
export function normalisedForm(claim: ReviewableClaim, defaultCountry: string): NormalisedForm {
  const parsed = ClaimForm.safeParse(claim.form);
  const data = parsed.success ? parsed.data : {};
  return normaliseForm(data, { country: defaultCountry, today: data.claimDate ?? claim.receivedAt.slice(0, 10) });
}
