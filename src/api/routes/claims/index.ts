import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ReceiptStorage } from '../../../storage/receipt-storage.js';
import { readerFor, type ClaimSubmissionService, type ClaimView } from '../../../services/claim-submission-service.js';
import { UploadSpool, type SpooledUpload } from '../../upload-spool.js';
import { FormInvalidError } from '../../../errors/form-invalid-error.js';
import { malformedUpload } from '../../plugins/external/multipart.js';
import {
  ClaimAccepted,
  ClaimIdParams,
  ClaimStatusView,
  ErrorBody,
  ReceiptLink,
  RequestNumberParams,
  SubmitClaimBody,
} from '../../schemas/claims.js';

export interface ClaimRoutesOptions {
  submissions: ClaimSubmissionService;
  receipts: ReceiptStorage;
  maxFileBytes: number;
  receiptLinkSeconds: number;
  /** Where uploads are spooled while they arrive. */
  uploadDir: string;
}

/** Room for the form fields and multipart framing on top of the receipt itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const links = (claimId: string) => ({
  self: `/claims/${encodeURIComponent(claimId)}`,
  receipt: `/claims/${encodeURIComponent(claimId)}/receipt`,
});

const claimRoutes: FastifyPluginAsyncZod<ClaimRoutesOptions> = async (app, options) => {
  const spool = await UploadSpool.open(options.uploadDir);
  app.addHook('onClose', () => spool.close());

  app.post(
    '/claims',
    {
      schema: {
        summary: 'Submit a claim: the receipt file and the claim form, as multipart/form-data',
        consumes: ['multipart/form-data'],
        body: SubmitClaimBody,
        response: {
          202: ClaimAccepted,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          409: ErrorBody.meta({ description: 'The claim id is in use by another submission (CLAIM_ID_TAKEN)' }),
          413: ErrorBody,
          415: ErrorBody,
          422: ErrorBody,
        },
      },
      // The body is streamed and checked by the handler; the schema documents it.
      validatorCompiler: ({ httpPart }) => (httpPart === 'body' ? () => ({ value: undefined }) : () => ({ value: undefined })),
      onRequest: [
        app.requireRole('submitter', 'admin'),
        async (request, reply) => {
          const declared = Number(request.headers['content-length']);
          if (declared > options.maxFileBytes + MULTIPART_OVERHEAD_BYTES) {
            // Refused before a byte of the body is read.
            return reply
              .code(413)
              .header('connection', 'close')
              .send({
                error: 'FILE_TOO_LARGE',
                message: `The upload is ${declared} bytes; the receipt may be at most ${options.maxFileBytes} bytes.`,
              });
          }
        },
      ],
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new FormInvalidError(['body: send multipart/form-data with a "receipt" file and the form fields']);
      const fields: Record<string, string> = {};
      let receipt: { name: string | null; upload: SpooledUpload } | null = null;
      try {
        try {
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'receipt') throw new FormInvalidError([`${part.fieldname}: the only file field is "receipt"`]);
              receipt = { name: displayName(part.filename), upload: await spool.receive(part.file, options.maxFileBytes) };
            } else {
              fields[part.fieldname] = String(part.value);
            }
          }
        } catch (error) {
          throw malformedUpload(error) ?? error;
        }
        const accepted = await options.submissions.submit(
          fields,
          receipt && { name: receipt.name, bytes: await receipt.upload.read() },
          request.caller!.name,
        );
        return reply
          .code(202)
          .header('location', links(accepted.claimId).self)
          .send({
            claimId: accepted.claimId,
            requestNumber: accepted.requestNumber,
            status: accepted.status,
            links: links(accepted.claimId),
          });
      } finally {
        await receipt?.upload.discard();
      }
    },
  );

  app.get(
    '/claims/:id',
    {
      schema: {
        summary: "A claim's status and, once decided, its result (a submitter's own claims only)",
        params: ClaimIdParams,
        response: { 200: ClaimStatusView, 404: ErrorBody },
      },
      onRequest: app.requireRole('submitter', 'reviewer', 'admin'),
    },
    async (request, reply) => {
      const view = await options.submissions.view(request.params.id, readerFor(request.caller!));
      if (!view) return reply.code(404).send({ error: 'NOT_FOUND', message: `No claim ${request.params.id}.` });
      return statusView(view);
    },
  );

  app.get(
    '/claims/by-request/:requestNumber',
    {
      schema: {
        summary: 'A claim by the request number its customer quotes, as GET /claims/:id shows it (a submitter’s own claims only)',
        description:
          'For the intake service to show the customer where their claim stands: `statusText` is the status in words, ' +
          '`customerRequest` what they were asked for and by when. Another submitter’s claim is not found, as if it did not exist.',
        params: RequestNumberParams,
        response: { 200: ClaimStatusView, 404: ErrorBody },
      },
      onRequest: app.requireRole('submitter', 'reviewer', 'admin'),
    },
    async (request, reply) => {
      const { requestNumber } = request.params;
      const view = await options.submissions.viewByRequestNumber(requestNumber, readerFor(request.caller!));
      if (!view) return reply.code(404).send({ error: 'NOT_FOUND', message: `No claim with request number ${requestNumber}.` });
      return statusView(view);
    },
  );

  app.get(
    '/claims/:id/receipt',
    {
      schema: { summary: 'A short-lived link to the receipt file', params: ClaimIdParams, response: { 200: ReceiptLink, 404: ErrorBody } },
      onRequest: app.requireRole('reviewer', 'admin'),
    },
    async (request, reply) => {
      const view = await options.submissions.view(request.params.id, readerFor(request.caller!));
      if (!view?.receiptKey) return reply.code(404).send({ error: 'NOT_FOUND', message: `No receipt for claim ${request.params.id}.` });
      const url = await options.receipts.link(view.receiptKey, options.receiptLinkSeconds);
      return { url, expiresInSeconds: options.receiptLinkSeconds };
    },
  );
};

/** A claim as GET /claims/:id and /claims/by-request/:requestNumber show it. */
function statusView(view: ClaimView) {
  const { claimId, requestNumber, status, statusText, result, customerRequest } = view;
  return { claimId, requestNumber, status, statusText, result, customerRequest };
}

/** The client's file name for display only: no folders, no control or bidirectional-text characters (a name that reads differently), bounded. */
function displayName(filename: string | undefined): string | null {
  const base = path
    .basename((filename ?? '').replace(/\\/g, '/'))
    .replace(/[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, '')
    .slice(0, 200);
  return base || null;
}

export default claimRoutes;
