import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CURRENT_POLICY_VERSION, loadPolicy } from '../../../policy/policy-table.js';
import { PolicyLoadError } from '../../../errors/policy-load-error.js';
import { parseFilter } from '../../../domain/selection-filter.js';
import type { ReprocessService } from '../../../services/reprocess-service.js';
import { FilterError } from '../../../errors/filter-error.js';
import { ErrorBody } from '../../schemas/claims.js';
import { BatchIdParams, BatchView, StartBatchBody } from '../../schemas/reprocess.js';

/**
 * Reprocessing batches for admins: start one (applied over the queue workers; a dry-run is the
 * CLI's `warranty reprocess --dry-run`) and follow its progress.
 */
const reprocessRoutes: FastifyPluginAsyncZod<{ reprocess: ReprocessService }> = async (app, options) => {
  app.post(
    '/admin/reprocess',
    {
      schema: { summary: 'Start (or resume) a reprocessing batch', body: StartBatchBody, response: { 202: BatchView, 400: ErrorBody } },
      onRequest: app.requireRole('admin'),
    },
    async (request, reply) => {
      const { fromStage, where, force } = request.body;
      const policyVersion = request.body.policy ?? CURRENT_POLICY_VERSION;
      let filter;
      try {
        loadPolicy(policyVersion);
        filter = parseFilter(where);
      } catch (error) {
        if (error instanceof FilterError || error instanceof PolicyLoadError)
          return reply.code(400).send({ error: 'INVALID_BATCH', message: error.message });
        throw error;
      }
      const { batch, resumed } = await options.reprocess.start({ fromStage, filter, policyVersion, force });
      const progress = await options.reprocess.progress(batch.id);
      return reply
        .code(202)
        .header('location', `/admin/reprocess/${batch.id}`)
        .send({ ...viewOf(progress!), resumed });
    },
  );

  app.get(
    '/admin/reprocess/:id',
    {
      schema: { summary: "A batch's progress and outcomes so far", params: BatchIdParams, response: { 200: BatchView, 404: ErrorBody } },
      onRequest: app.requireRole('admin'),
    },
    async (request, reply) => {
      const progress = await options.reprocess.progress(request.params.id);
      if (!progress) return reply.code(404).send({ error: 'NOT_FOUND', message: `No batch ${request.params.id}.` });
      return viewOf(progress);
    },
  );
};

function viewOf(p: NonNullable<Awaited<ReturnType<ReprocessService['progress']>>>) {
  return {
    id: p.id,
    fromStage: p.fromStage,
    policyVersion: p.policyVersion,
    total: p.total,
    done: p.done,
    finished: p.finished,
    outcomes: p.outcomes,
  };
}

export default reprocessRoutes;
