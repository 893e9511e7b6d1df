/** No claim under this id that the caller may see: another submitter's claim is not found either. */
export class ClaimNotFoundError extends Error {
  override readonly name = 'ClaimNotFoundError';
  readonly statusCode = 404;
  readonly code = 'NOT_FOUND';

  constructor(readonly claimId: string) {
    super(`No claim ${claimId}.`);
  }
}
