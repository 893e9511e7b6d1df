import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { FormInvalidError } from '../../../errors/form-invalid-error.js';
import { InputRejectedError } from '../../../errors/input-rejected-error.js';
import { SignInDeferredError } from '../../../errors/sign-in-deferred-error.js';

const REFUSAL_STATUS: Record<InputRejectedError['code'], number> = {
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_FILE: 415,
  UNREADABLE_DOCUMENT: 422,
};

/** Every refusal as a clear 4xx with a message for the person who sent it; anything else is logged. */
export default fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Refused before the body was read to its end: close rather than read (or drain) the rest.
    if (!request.raw.complete) reply.header('connection', 'close');
    if (error instanceof InputRejectedError) {
      return reply.code(REFUSAL_STATUS[error.code]).send({ error: error.code, message: error.message });
    }
    if (error instanceof SignInDeferredError) {
      return reply
        .code(error.statusCode)
        .header('retry-after', String(error.retryAfterSeconds))
        .send({ error: error.code, message: error.message });
    }
    if (error instanceof FormInvalidError) {
      return reply.code(400).send({ error: 'INVALID_FORM_DATA', message: error.message, problems: error.problems });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        in: error.validationContext ?? 'body',
        path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
        message: v.message ?? 'invalid',
      }));
      return reply.code(400).send({
        error: 'INVALID_REQUEST',
        message: 'The request is invalid.',
        problems: issues.map((i) => `${i.path || 'request'}: ${i.message}`),
        issues,
      });
    }
    if (error.code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.code(413).send({ error: 'FILE_TOO_LARGE', message: error.message });
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: error.code ?? 'BAD_REQUEST', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(503).send({ error: 'UNAVAILABLE', message: 'The service could not complete the request; try again shortly.' });
  });
});
