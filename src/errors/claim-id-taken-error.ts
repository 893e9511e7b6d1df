/** A submission under a claim id that names another submission: a new claim needs a new id. */
export class ClaimIdTakenError extends Error {
  override readonly name = 'ClaimIdTakenError';
  readonly statusCode = 409;
  readonly code = 'CLAIM_ID_TAKEN';
}
