/** Stored bytes do not match what was sent or what their key names: they are not trusted. */
export class ChecksumMismatchError extends Error {
  override readonly name = 'ChecksumMismatchError';
}
