/**
 * A request body that is not a claim upload as the API takes it (multipart framing broken, or more
 * files or fields than a claim has): the sender's mistake, answered 400 with its own code.
 */
export class MalformedUploadError extends Error {
  override readonly name = 'MalformedUploadError';
  readonly statusCode = 400;
  constructor(
    readonly code: 'MALFORMED_MULTIPART' | 'TOO_MANY_FILES' | 'TOO_MANY_FIELDS' | 'TOO_MANY_PARTS',
    message: string,
  ) {
    super(message);
  }
}
