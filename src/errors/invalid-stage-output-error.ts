/**
 * A stored stage output that does not match its stage's schema (src/domain/stage-outputs.ts): the
 * row was written by other code than reads it, or was changed by hand. Never read as if absent.
 */
export class InvalidStageOutputError extends Error {
  override readonly name = 'InvalidStageOutputError';

  constructor(
    readonly claimId: string,
    readonly stage: string,
    problem: string,
  ) {
    super(`claim ${claimId}: the stored ${stage} output does not match its schema (${problem})`);
  }
}
