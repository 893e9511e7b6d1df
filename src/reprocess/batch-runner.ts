import { computeDecision, mergedEvidence } from '../../pipelines/claim-stages.js';
import { StaleChunkError } from '../errors/stale-chunk-error.js';
import { documentIdentifiers } from '../fraud/duplicates.js';
import type { Policy } from '../policy/policy-schema.js';
import { crashPoint } from '../runtime/crash-point.js';
import type { FingerprintRepository } from '../store/fingerprint-repository.js';
import type { ClaimIdentifier } from '../domain/fraud.js';
import type { StageOutput } from '../domain/stage-outputs.js';
import type { Batch, BatchSpec, ClaimWrite, ReprocessRepository } from '../store/reprocess-repository.js';
import { flagDifference, type ClaimOutcome } from '../domain/claim-outcome.js';
import { EarlierClaims } from './earlier-claims.js';
import { prepareClaim, STAGES_TO_LOAD, type PreparedClaim, type RerunPorts } from './rerun-stages.js';

export interface BatchRunnerPorts extends RerunPorts {
  repo: ReprocessRepository;
  /** Receipt fingerprints of earlier claims, for reused-receipt matching as the live decision does it. */
  fingerprints: Pick<FingerprintRepository, 'candidates'>;
  /** The policy table of a version (the batch names its version, so a resumed batch applies the same one). */
  policy: (version: string) => Policy;
  /** Claims computed and written together; one transaction each. */
  chunkSize?: number;
}

/** Told the starting point first, then after every chunk. */
export type Progress = (done: number, total: number) => void;

/** Results compare as data: jsonb does not keep key order, and an absent key equals an undefined one. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => sameData(v, (b as unknown[])[i]));
  const defined = (o: object) => Object.entries(o).filter(([, v]) => v !== undefined);
  const entriesA = defined(a);
  return entriesA.length === defined(b).length && entriesA.every(([k, v]) => sameData(v, (b as Record<string, unknown>)[k]));
}

/**
 * The form is an input, never remade. The assessment is stored with a changed result only: an
 * unchanged result already names the policy version that would make it again.
 */
const worthStoring = (stage: StageOutput, changed: boolean): boolean => stage.stage !== 'form' && changed;

const sameIdentifiers = (a: ClaimIdentifier[], b: ClaimIdentifier[]) => {
  const keys = (ids: ClaimIdentifier[]) =>
    ids
      .map((i) => `${i.kind}:${i.value}`)
      .sort()
      .join('\n');
  return keys(a) === keys(b);
};

/**
 * Re-runs stored claims from a chosen stage with a chosen policy. A dry-run computes every outcome
 * and writes nothing; an applied batch freezes its selection, then `step` does one chunk at a time
 * (in arrival order, so duplicates stay relative to `seq`), each chunk written with its done
 * markers in one transaction. `runBatch` steps to the end; a queue worker can call `step` instead.
 */
export class BatchRunner {
  private readonly chunkSize: number;

  constructor(private readonly ports: BatchRunnerPorts) {
    this.chunkSize = ports.chunkSize ?? 500;
  }

  async dryRun(spec: BatchSpec, onProgress: Progress = () => {}): Promise<ClaimOutcome[]> {
    const ids = await this.ports.repo.select(spec.filter);
    const earlier = new EarlierClaims(this.ports.repo);
    const outcomes: ClaimOutcome[] = [];
    onProgress(0, ids.length);
    for (let i = 0; i < ids.length; i += this.chunkSize) {
      const writes = await this.computeChunk(ids.slice(i, i + this.chunkSize), spec, earlier);
      outcomes.push(...writes.map((w) => w.outcome));
      onProgress(outcomes.length, ids.length);
    }
    return outcomes;
  }

  /** The batch to apply: an unfinished one asking for the same re-run is resumed, else a new one is frozen. */
  async startBatch(spec: BatchSpec): Promise<{ batch: Batch; resumed: boolean }> {
    const unfinished = await this.ports.repo.findUnfinished(spec);
    if (unfinished) return { batch: unfinished, resumed: true };
    return { batch: await this.ports.repo.createBatch(spec), resumed: false };
  }

  /** Does the next chunk of a batch; returns how many claims it did (0: the batch is done). */
  async step(batch: Batch): Promise<number> {
    const earlier = new EarlierClaims(this.ports.repo);
    for (let attempt = 1; ; attempt++) {
      const ids = await this.ports.repo.nextTodo(batch.id, this.chunkSize);
      if (ids.length === 0) return 0;
      try {
        await this.ports.repo.applyChunk(batch.id, await this.computeChunk(ids, batch, earlier));
        crashPoint('after-reprocess-chunk-commit');
        return ids.length;
      } catch (error) {
        // Someone else moved the chunk on (another runner, a reviewer): compute it afresh.
        if (!(error instanceof StaleChunkError) || attempt >= 3) throw error;
        this.ports.logger.warn({ err: error, batch: batch.id }, 'chunk changed while computing it; computing it again');
        earlier.forgetReplacements();
      }
    }
  }

  /** Steps a batch to its end and marks it finished; returns every claim's outcome. */
  async runBatch(batch: Batch, onProgress: Progress = () => {}): Promise<ClaimOutcome[]> {
    let done = batch.done;
    onProgress(done, batch.total);
    for (let n = await this.step(batch); n > 0; n = await this.step(batch)) {
      done += n;
      onProgress(done, batch.total);
    }
    await this.ports.repo.finish(batch.id);
    return this.ports.repo.outcomes(batch.id);
  }

  private async computeChunk(ids: string[], spec: BatchSpec, earlier: EarlierClaims): Promise<ClaimWrite[]> {
    const claims = await this.ports.repo.load(ids, STAGES_TO_LOAD[spec.fromStage]);
    const prepared = await this.prepareAll(claims, spec);
    const loaded = new Set(claims.map((c) => c.claimId));
    // A frozen id whose claim is gone is marked done too, or the batch would never end.
    const gone = ids
      .filter((id) => !loaded.has(id))
      .map((claimId): ClaimWrite => ({
        outcome: {
          claimId,
          requestNumber: '',
          outcome: 'skipped',
          oldStatus: '',
          newStatus: '',
          addedFlags: [],
          droppedFlags: [],
          decidedBy: null,
          reason: 'the claim no longer exists',
        },
        result: null,
        identifiers: null,
        stages: [],
        proposed: null,
      }));
    const ready = prepared.flatMap((p) => (p.kind === 'ready' ? [p] : []));
    await earlier.prefetch(
      ready.flatMap((p) => documentIdentifiers(p.toDecide.documents, p.toDecide.form, mergedEvidence(p.toDecide.documents).extraction)),
    );
    const policy = this.ports.policy(spec.policyVersion);
    const writes: ClaimWrite[] = [];
    // In arrival order: a claim's duplicates are looked for among the claims decided before it.
    for (const p of prepared) writes.push(await this.decide(p, policy, earlier));
    return [...writes, ...gone];
  }

  /** OCR runs a few claims at once (the pool's size plus one); the rest is quick and runs in turn. */
  private async prepareAll(claims: Awaited<ReturnType<ReprocessRepository['load']>>, spec: BatchSpec): Promise<PreparedClaim[]> {
    const parallel = spec.fromStage === 'read' ? this.ports.ocrWorkers + 1 : 1;
    const prepared = new Array<PreparedClaim>(claims.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(parallel, claims.length) }, async () => {
        for (let i = next++; i < claims.length; i = next++)
          prepared[i] = await prepareClaim(claims[i]!, spec.fromStage, spec.force, this.ports);
      }),
    );
    return prepared;
  }

  private async decide(p: PreparedClaim, policy: Policy, earlier: EarlierClaims): Promise<ClaimWrite> {
    const { claim } = p;
    const base = { claimId: claim.claimId, requestNumber: claim.requestNumber, oldStatus: claim.status, decidedBy: claim.decidedBy };
    if (p.kind !== 'ready') {
      return {
        outcome: { ...base, outcome: p.kind, newStatus: claim.status, addedFlags: [], droppedFlags: [], reason: p.reason },
        result: null,
        identifiers: null,
        stages: [],
        proposed: null,
      };
    }
    const decision = await computeDecision(p.toDecide, { claims: earlier, fingerprints: this.ports.fingerprints, policy });
    const { added, dropped } = flagDifference(claim.result, decision.result);
    const outcome = (kind: ClaimOutcome['outcome']): ClaimOutcome => ({
      ...base,
      outcome: kind,
      newStatus: decision.result.status,
      addedFlags: added,
      droppedFlags: dropped,
      reason: null,
    });
    if (claim.decidedBy) {
      // A reviewer's decision stands; where the machine now differs, it goes back to a reviewer.
      const differs = decision.result.status !== claim.status;
      return {
        outcome: outcome(differs ? 'second_look' : 'unchanged'),
        result: null,
        identifiers: null,
        stages: [],
        proposed: differs ? decision.result : null,
      };
    }
    const changed = !sameData(decision.result, claim.result);
    const reidentified = changed && !sameIdentifiers(decision.identifiers, claim.identifiers);
    if (reidentified) earlier.replace(claim, decision.identifiers);
    return {
      outcome: outcome(changed ? 'updated' : 'unchanged'),
      result: changed ? decision.result : null,
      identifiers: reidentified ? decision.identifiers : null,
      stages: [...p.stages, ...decision.stages.filter((s) => worthStoring(s, changed))],
      proposed: null,
    };
  }
}
