import { decisionSignals } from '../../pipelines/claim-stages.js';
import type { AssessInput } from '../../src/domain/assessment.js';
import type { ClaimResult } from '../../src/domain/result.js';
import { InvalidStageOutputError } from '../../src/errors/invalid-stage-output-error.js';
import type { Policy } from '../../src/policy/policy-schema.js';
import type { ClaimsRepository } from '../../src/store/claims-repository.js';
import type { FingerprintRepository } from '../../src/store/fingerprint-repository.js';

/**
 * What each decided claim was assessed from, put together again from the run's database as
 * `warranty reprocess --from-stage assess` does: its form, its documents' stored extractions and
 * signals, and duplicates among the claims that came before it. So the same claims can be assessed
 * under other settings without reading a receipt again. A claim refused before assessment has none;
 * one whose stored outputs do not load (`unreadable`) keeps its decision wherever it is re-assessed.
 */
export async function decisionInputs(
  results: readonly ClaimResult[],
  stores: { claims: ClaimsRepository; fingerprints: FingerprintRepository },
  policy: Policy,
): Promise<{ inputs: Map<string, AssessInput>; unreadable: string[] }> {
  const inputs = new Map<string, AssessInput>();
  const unreadable: string[] = [];
  for (const { claimId, status } of results) {
    if (status === 'rejected_input') continue;
    try {
      const [submitted, form] = await Promise.all([stores.claims.submitted(claimId), stores.claims.stageOutput(claimId, 'form')]);
      if (!submitted || !form) continue;
      const claim = {
        claimId,
        seq: submitted.seq,
        file: submitted.file,
        form: form.output,
        documents: await stores.claims.documentEvidence(claimId),
      };
      const { extraction, signals } = await decisionSignals(claim, { ...stores, policy });
      inputs.set(claimId, { form: form.output, extraction, signals });
    } catch (error) {
      // A stored output a re-run could not use either: the claim keeps its decision, and is named.
      if (!(error instanceof InvalidStageOutputError)) throw error;
      unreadable.push(`${claimId}: ${error.message.slice(0, 160)}`);
    }
  }
  return { inputs, unreadable };
}
