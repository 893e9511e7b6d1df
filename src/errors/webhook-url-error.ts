/** A webhook URL refused: not https, or its host is (or resolves to) an address that is not public. */
export class WebhookUrlError extends Error {
  override readonly name = 'WebhookUrlError';
  readonly statusCode = 400;
  readonly code = 'WEBHOOK_URL_REFUSED';
}
