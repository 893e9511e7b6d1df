import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Multipart uploads with hard limits: the receipt is cut off at the size limit, never buffered beyond it. */
export default fp(async function multipartUploads(app: FastifyInstance, options: { maxFileBytes: number }) {
  await app.register(multipart, {
    limits: { fileSize: options.maxFileBytes, files: 1, fields: 20, fieldSize: 1024, parts: 22, headerPairs: 50 },
  });
});
