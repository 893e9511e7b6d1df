import type { FlagCode } from '../../src/domain/flags.js';
import type { ClaimResult } from '../../src/domain/result.js';

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
