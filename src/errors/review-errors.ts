/**
 * Refusals of the reviewer workbench. Each carries the HTTP status and code the API's error handler
 * answers with, and a message for the reviewer.
 */
export class ReviewError extends Error {
  override readonly name = 'ReviewError';
  constructor(
    readonly statusCode: 403 | 404 | 409 | 422,
    readonly code:
      | 'NOT_FOUND'
      | 'LEASE_HELD'
      | 'LEASE_NOT_HELD'
      | 'LEASE_LOST'
      | 'NOT_REVIEWABLE'
      | 'NO_RECEIPT_PAGE'
      | 'PAGE_TOO_LARGE'
      | 'BAD_CURSOR'
      | 'NOTHING_TO_UNDO'
      | 'NOT_YOUR_DECISION'
      | 'UNDO_WINDOW_OVER'
      | 'CHANGED_SINCE',
    message: string,
  ) {
    super(message);
  }
}
