import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ReceiptStorage } from '../../../storage/receipt-storage.js';
import { documentForClient, readerFor, type ClaimSubmissionService, type ClaimView } from '../../../services/claim-submission-service.js';
import { UploadSpool, type SpooledUpload } from '../../upload-spool.js';
import { FormInvalidError } from '../../../errors/form-invalid-error.js';
import { malformedUpload } from '../../plugins/external/multipart.js';
import {
  AddDocumentBody,
  ClaimAccepted,
  ClaimIdParams,
  ClaimStatusView,
  DocumentAccepted,
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

/** The claim id in the path, checked by its schema as zod checks it on the other routes. */
const validateParams = (value: unknown) => {
  const parsed = ClaimIdParams.safeParse(value);
  return parsed.success ? { value: parsed.data } : { error: new Error(`id: ${parsed.error.issues.map((i) => i.message).join('; ')}`) };
};

/** Room for the form fields and multipart framing on top of the receipt itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const links = (claimId: string) => ({
  self: `/claims/${encodeURIComponent(claimId)}`,
  receipt: `/claims/${encodeURIComponent(claimId)}/receipt`,
});

const claimRoutes: FastifyPluginAsyncZod<ClaimRoutesOptions> = async (app, options) => {
  const spool = await UploadSpool.open(options.uploadDir);
  app.addHook('onClose', () => spool.close());

  /** Refused before a byte of the body is read: a declared length over the limit. */
  const refuseOversizeBody = async (request: FastifyRequest, reply: FastifyReply) => {
    const declared = Number(request.headers['content-length']);
    if (declared > options.maxFileBytes + MULTIPART_OVERHEAD_BYTES) {
      return reply
        .code(413)
        .header('connection', 'close')
        .send({
          error: 'FILE_TOO_LARGE',
          message: `The upload is ${declared} bytes; the file may be at most ${options.maxFileBytes} bytes.`,
        });
    }
  };

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
      onRequest: [app.requireRole('submitter', 'admin'), refuseOversizeBody],
    },
    async (request, reply) => {
      const upload = await receiveMultipart(request, spool, 'receipt', options.maxFileBytes);
      try {
        const accepted = await options.submissions.submit(
          upload.fields,
          upload.file && { name: upload.file.name, bytes: await upload.file.spooled.read() },
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
        await upload.file?.spooled.discard();
      }
    },
  );

  app.post(
    '/claims/:id/documents',
    {
      schema: {
        summary:
          'Add a document to a claim (a sharper photo, the serial label, proof of purchase), as multipart/form-data: ' +
          "read with the claim's other documents and assessed again",
        consumes: ['multipart/form-data'],
        params: ClaimIdParams,
        body: AddDocumentBody,
        response: {
          202: DocumentAccepted.meta({ description: 'Taken (or, for the very same bytes again, the document they already are)' }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody.meta({ description: 'The claim takes no more documents: decided for good or refused (CLAIM_CLOSED)' }),
          413: ErrorBody,
          415: ErrorBody,
          422: ErrorBody,
        },
      },
      // The body is streamed and checked by the handler; the claim id is validated as on every route.
      validatorCompiler: ({ httpPart }) => (httpPart === 'body' ? () => ({ value: undefined }) : validateParams),
      onRequest: [app.requireRole('submitter', 'admin'), refuseOversizeBody],
    },
    async (request, reply) => {
      const upload = await receiveMultipart(request, spool, 'document', options.maxFileBytes);
      try {
        const taken = await options.submissions.addDocument(
          request.params.id,
          upload.file && { name: upload.file.name, bytes: await upload.file.spooled.read() },
          readerFor(request.caller!),
          'api',
        );
        return reply
          .code(202)
          .header('location', links(taken.claimId).self)
          .send({
            claimId: taken.claimId,
            status: taken.status,
            isNew: taken.isNew,
            document: documentForClient(taken.document),
            links: links(taken.claimId),
          });
      } finally {
        await upload.file?.spooled.discard();
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
  return { claimId, requestNumber, status, statusText, result, customerRequest, documents: view.documents.map(documentForClient) };
}

/**
 * The multipart body as it arrives: form fields, and the one file under `fileField` spooled to disk
 * (refused at its first KiB for a wrong type, at the limit for its size). The caller discards the file.
 */
async function receiveMultipart(
  request: FastifyRequest,
  spool: UploadSpool,
  fileField: string,
  maxFileBytes: number,
): Promise<{ fields: Record<string, string>; file: { name: string | null; spooled: SpooledUpload } | null }> {
  if (!request.isMultipart()) throw new FormInvalidError([`body: send multipart/form-data with a "${fileField}" file`]);
  const fields: Record<string, string> = {};
  let file: { name: string | null; spooled: SpooledUpload } | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== fileField) throw new FormInvalidError([`${part.fieldname}: the only file field is "${fileField}"`]);
        file = { name: displayName(part.filename), spooled: await spool.receive(part.file, maxFileBytes) };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    await file?.spooled.discard();
    throw malformedUpload(error) ?? error;
  }
  return { fields, file };
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
