/** An account cannot be created as asked; the message says why. */
export class AccountError extends Error {
  override readonly name = 'AccountError';
  constructor(
    readonly statusCode: 400 | 409,
    readonly code: 'WEAK_PASSWORD' | 'ACCOUNT_EXISTS',
    message: string,
  ) {
    super(message);
  }
}
