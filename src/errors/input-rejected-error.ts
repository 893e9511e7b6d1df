import type { FlagCode } from '../domain/flags.js';

type RejectionCode = Extract<FlagCode, 'UNSUPPORTED_FILE' | 'FILE_TOO_LARGE' | 'UNREADABLE_DOCUMENT'>;

/** A receipt refused at the door: permanent, never worth retrying. The message is for the customer. */
export class InputRejectedError extends Error {
  override readonly name = 'InputRejectedError';
  constructor(
    readonly code: RejectionCode,
    message: string,
    readonly evidence: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
