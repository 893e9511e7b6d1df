import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { MalformedUploadError } from '../../../errors/malformed-upload-error.js';

/** A claim form has seven fields; room for a client that sends a few of its own. */
const MAX_FIELDS = 20;
const MAX_FILES = 1;

/** Multipart uploads with hard limits: the receipt is cut off at the size limit, never buffered beyond it. */
export default fp(async function multipartUploads(app: FastifyInstance, options: { maxFileBytes: number }) {
  await app.register(multipart, {
    limits: {
      fileSize: options.maxFileBytes,
      files: MAX_FILES,
      fields: MAX_FIELDS,
      fieldSize: 1024,
      parts: MAX_FIELDS + MAX_FILES + 1,
      headerPairs: 50,
    },
  });
});

// How busboy says the framing is broken: no boundary, a boundary it cannot use, or the body ends
// before the closing boundary (anywhere, or inside a part).
const BROKEN_FRAMING = [/^Multipart: Boundary not found$/, /^The needle /, /unexpected end of multipart data$/i];

/**
 * The parser's refusal of a body that is not well-formed, or has more parts than a claim, as the
 * sender's mistake (400 with its own code); null for any other error (storage, a bug), which stays
 * a server fault.
 */
export function malformedUpload(error: unknown): MalformedUploadError | null {
  if (!(error instanceof Error)) return null;
  switch ((error as { code?: unknown }).code) {
    case 'FST_FILES_LIMIT':
      return new MalformedUploadError('TOO_MANY_FILES', `A claim takes ${MAX_FILES} file, the receipt; this upload has more.`);
    case 'FST_FIELDS_LIMIT':
      return new MalformedUploadError('TOO_MANY_FIELDS', `A claim takes at most ${MAX_FIELDS} form fields; this upload has more.`);
    case 'FST_PARTS_LIMIT':
      return new MalformedUploadError('TOO_MANY_PARTS', `A claim takes at most ${MAX_FIELDS + MAX_FILES} parts; this upload has more.`);
  }
  if (!BROKEN_FRAMING.some((pattern) => pattern.test(error.message))) return null;
  return new MalformedUploadError(
    'MALFORMED_MULTIPART',
    `The upload is not well-formed multipart/form-data (${error.message}): declare the boundary in Content-Type, ` +
      'separate each part with it and end the body with the closing boundary.',
  );
}
