import { decisionSignals, mergedEvidence } from '../../../pipelines/claim-stages.js';
import { customerRequest, responseDeadlines, type CustomerRequestBody } from '../../domain/customer-requests.js';
import { EMPTY_FIELD, FIELD_NAMES, type Extraction, type Field, type FieldName } from '../../domain/extraction.js';
import type { ClaimResult } from '../../domain/result.js';
import {
  STATUS_AFTER_REVIEW,
  UNDO_WINDOW_SECONDS,
  type Decided,
  type FieldCorrections,
  type Preview,
  type ReviewDecision,
  type Undone,
} from '../../domain/review.js';
import { ReviewError } from '../../errors/review-errors.js';
import { compactCode } from '../../domain/identifiers.js';
import { assess } from '../../policy/assess.js';
import type { Policy } from '../../policy/policy-schema.js';
import type { AskedRequest } from '../../store/claim-state-writer.js';
import type { ClaimsRepository } from '../../store/claims-repository.js';
import type { FingerprintRepository } from '../../store/fingerprint-repository.js';
import type { FieldCorrection, ReviewableClaim, ReviewRepository } from '../../store/review-repository.js';
import type { UserAccount } from '../../store/users-repository.js';
import { disagrees, type ReviewPages } from './review-pages.js';
import { normalisedForm, reviewableClaim } from './reviewable-claims.js';

export interface ReviewDecisionsPorts {
  reviews: ReviewRepository;
  claims: ClaimsRepository;
  fingerprints: FingerprintRepository;
  policy: Policy;
  defaultCountry: string;
  leaseSeconds: number;
}

/** Re-assessment with the reviewer's corrected fields, previewed or recorded with the reviewer's decision. */
export class ReviewDecisions {
  constructor(
    private readonly ports: ReviewDecisionsPorts,
    private readonly pages: ReviewPages,
  ) {}

  /** The decision as it would be with these corrections: nothing is saved. */
  async preview(claimId: string, corrections: FieldCorrections): Promise<Preview> {
    const claim = await reviewableClaim(this.ports.reviews, claimId);
    const reassessed = await this.reassess(claim, corrections);
    const { form, fields } = reassessed;
    const disagreements = Object.fromEntries(
      FIELD_NAMES.map((name) => [name, name !== 'retailer' && disagrees(name, form[name], fields[name].value)]),
    );
    return { ...(await this.pages.assessment(claim, await this.pages.documents(claim), reassessed.decision)), fields, disagreements };
  }

  /** Records the reviewer's decision on the re-assessed claim: approve, reject with a reason, or ask the customer. */
  async decide(claimId: string, user: UserAccount, decision: ReviewDecision): Promise<Decided> {
    const claim = await reviewableClaim(this.ports.reviews, claimId);
    if (claim.status !== 'needs_review' || !claim.result) {
      throw new ReviewError(409, 'NOT_REVIEWABLE', `Claim ${claim.requestNumber} is ${claim.status}: it no longer needs review.`);
    }
    const { decision: assessed, fields, corrections } = await this.reassess(claim, decision.corrections);
    const status = STATUS_AFTER_REVIEW[decision.action];
    const result: ClaimResult = {
      ...claim.result,
      fields,
      warranty: assessed.warranty,
      flags: assessed.flags,
      policyVersion: assessed.policyVersion,
      // The contract has no "waiting for the customer": such a claim still needs review.
      status: decision.action === 'approve' ? 'eligible' : decision.action === 'reject' ? 'not_eligible' : 'needs_review',
    };
    const extractVersion = (await this.ports.claims.stageOutput(claimId, 'extract'))?.stageVersion ?? null;
    const note = decision.note ?? null;
    const outcome = await this.ports.reviews.recordReview({
      claimId,
      userId: user.id,
      reviewer: user.username,
      status,
      action: decision.action,
      reason: decision.action === 'reject' ? decision.reason : null,
      note,
      corrections,
      result,
      extractVersion,
      request: decision.action === 'request_info' ? this.asked(customerRequest(decision.items, note)) : null,
    });
    if (outcome === 'not_reviewable') throw new ReviewError(409, 'NOT_REVIEWABLE', `Claim ${claim.requestNumber} was decided meanwhile.`);
    if (outcome === 'lease_lost') {
      throw new ReviewError(
        409,
        'LEASE_LOST',
        `Your reservation of claim ${claim.requestNumber} ran out or was taken over; open it again before deciding.`,
      );
    }
    return { status, undoSeconds: UNDO_WINDOW_SECONDS };
  }

  /**
   * Takes the reviewer's own decision back, within UNDO_WINDOW_SECONDS and only while nothing else
   * happened to the claim: it needs review again, with the machine's result, reserved for them.
   */
  async undo(claimId: string, user: UserAccount): Promise<Undone> {
    const claim = await reviewableClaim(this.ports.reviews, claimId);
    const outcome = await this.ports.reviews.undoReview({
      claimId,
      userId: user.id,
      reviewer: user.username,
      windowSeconds: UNDO_WINDOW_SECONDS,
      leaseSeconds: this.ports.leaseSeconds,
    });
    if (outcome.undone) return { status: 'needs_review', lease: { username: outcome.lease.username, expiresAt: outcome.lease.expiresAt } };
    const number = claim.requestNumber;
    switch (outcome.why) {
      case 'not_decided':
        throw new ReviewError(409, 'NOTHING_TO_UNDO', `Claim ${number} has no decision to take back.`);
      case 'not_yours':
        throw new ReviewError(
          403,
          'NOT_YOUR_DECISION',
          `Claim ${number} was decided by ${outcome.by ?? 'another reviewer'}: only they can take it back.`,
        );
      case 'window_over':
        throw new ReviewError(
          409,
          'UNDO_WINDOW_OVER',
          `The decision on claim ${number} can no longer be taken back (${UNDO_WINDOW_SECONDS} s have passed).`,
        );
      case 'changed_since':
        throw new ReviewError(409, 'CHANGED_SINCE', `Claim ${number} changed after your decision; it can no longer be taken back.`);
      case 'lease_held':
        throw new ReviewError(409, 'LEASE_HELD', `Another reviewer holds claim ${number}; your decision stands.`);
    }
  }

  /** A request asked now, with the deadlines of the policy in force (none under a policy without a response window). */
  private asked(request: CustomerRequestBody): AskedRequest {
    const askedAt = new Date();
    const rule = this.ports.policy.customerResponse ?? null;
    const deadlines = rule ? responseDeadlines(askedAt, rule) : null;
    return {
      request,
      askedAt,
      remindAt: deadlines?.remindAt ?? null,
      deadline: deadlines?.deadline ?? null,
      policyVersion: this.ports.policy.version,
      rule,
    };
  }

  private async reassess(claim: ReviewableClaim, corrections: FieldCorrections) {
    const documents = await this.ports.claims.documentEvidence(claim.claimId);
    const { extraction, applied } = applyCorrections(mergedEvidence(documents).extraction, corrections);
    const form = normalisedForm(claim, this.ports.defaultCountry);
    // Judged as the machine judges, but not recorded: a preview registers no fingerprint.
    const { signals } = await decisionSignals(
      { claimId: claim.claimId, seq: claim.seq, file: claim.file, form, documents },
      this.ports,
      extraction,
    );
    const decision = assess({ form, extraction, signals }, this.ports.policy);
    const read = Object.fromEntries(FIELD_NAMES.map((f) => [f, extraction?.[f] ?? EMPTY_FIELD])) as Record<FieldName, Field>;
    const fields = { ...read, ...decision.reconciledFields };
    return { form, decision, fields, corrections: applied };
  }
}

/** The extraction with the reviewer's values in place of the machine's, and which fields actually changed. */
function applyCorrections(
  extraction: Extraction | null,
  corrections: FieldCorrections,
): { extraction: Extraction | null; applied: FieldCorrection[] } {
  const entries = Object.entries(corrections) as Array<[FieldName, string | null]>;
  if (entries.length === 0) return { extraction, applied: [] };
  const corrected: Extraction = extraction
    ? structuredClone(extraction)
    : {
        purchaseDate: EMPTY_FIELD,
        retailer: EMPTY_FIELD,
        model: EMPTY_FIELD,
        serial: EMPTY_FIELD,
        imei: EMPTY_FIELD,
        facts: { extendedWarranty: false, otherDates: [] },
      };
  const applied: FieldCorrection[] = [];
  for (const [field, raw] of entries) {
    const value =
      raw === null
        ? null
        : field === 'serial' || field === 'imei'
          ? compactCode(raw)
          : field === 'model'
            ? raw.trim().toUpperCase()
            : raw.trim();
    const before = corrected[field];
    if (value === before.value) continue;
    applied.push({ field, before, after: value });
    // The reviewer read it off the receipt: certain, and still where the machine found it.
    corrected[field] = { value, confidence: 1, source: 'reviewer', location: before.location ?? null };
  }
  return { extraction: corrected, applied };
}
