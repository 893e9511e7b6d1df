/** A key asking for more webhook subscriptions than one key may have: each claim change is written once per subscription. */
export class TooManyWebhooksError extends Error {
  override readonly name = 'TooManyWebhooksError';
  readonly statusCode = 409;
  readonly code = 'TOO_MANY_WEBHOOKS';
}
