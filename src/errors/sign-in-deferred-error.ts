/**
 * A sign-in not attempted now: too many attempts from this address or for this account (429), or
 * too many passwords being checked at once (503). Either way the client may try again after
 * `retryAfterSeconds`; the password was not checked.
 */
export class SignInDeferredError extends Error {
  override readonly name = 'SignInDeferredError';
  constructor(
    readonly statusCode: 429 | 503,
    readonly code: 'TOO_MANY_SIGN_INS' | 'SIGN_IN_BUSY',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
