import type { FlagCode } from '../../src/domain/flags.js';
import type { ClaimResult } from '../../src/domain/result.js';
import type { ClaimsRepository } from '../../src/store/claims-repository.js';

/** A decided claim's result with empty fields, for store tests: its status and flag codes are what count. */
export function storedResult(claimId: string, status: ClaimResult['status'] = 'eligible', flags: FlagCode[] = []): ClaimResult {
  const empty = { value: null, confidence: 0, source: null };
  return {
    file: `${claimId}.jpg`,
    claimId,
    status,
    fields: { purchaseDate: empty, retailer: empty, model: empty, serial: empty, imei: empty },
    warranty: null,
    flags: flags.map((code) => ({ code, message: code, evidence: {} })),
    policyVersion: '2026.1',
    documentHash: 'a'.repeat(64),
  };
}

/** Stores a claim needing review with these flags and no receipt, as the workers leave one; returns its request number. */
export async function seedClaimNeedingReview(claims: ClaimsRepository, claimId: string, flags: FlagCode[] = []): Promise<string> {
  const { requestNumber } = await claims.reserve(claimId, null);
  await claims.saveResult({ ...storedResult(claimId, 'needs_review', flags), file: null, documentHash: null }, [], []);
  return requestNumber;
}
