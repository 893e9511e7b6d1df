/** A document for a claim whose status takes no more (decided for good, refused at the door): nothing is stored. */
export class ClaimClosedError extends Error {
  override readonly name = 'ClaimClosedError';
  readonly statusCode = 409;
  readonly code = 'CLAIM_CLOSED';

  constructor(
    readonly claimId: string,
    readonly status: string,
  ) {
    super(
      `Claim ${claimId} is ${status}: it takes no more documents. ` +
        'A claim takes documents while it is processed, needs review or awaits the customer; for a new question, submit a new claim.',
    );
  }
}
