import { z } from 'zod';
import { defineRoute, type ApiRoute } from './api-route';
import { HttpError, notFound } from './http-error';
import {
  deadLetterSchema,
  documentLineageSchema,
  flowStatusSchema,
  resyncStatusSchema,
  type ApiOps,
} from './ops';
import {
  deadLetterParamsSchema,
  deadLetterFilterSchema,
  documentParamsSchema,
  flowParamsSchema,
  resyncBodySchema,
  resyncParamsSchema,
} from './request-schemas';

/** `flow` when `ops.flowNames()` lists it; else 404 naming the known flows. */
export function requireKnownFlow(ops: Pick<ApiOps, 'flowNames'>, flow: string): string {
  if (!ops.flowNames().includes(flow)) {
    throw notFound(`unknown flow "${flow}" (known: ${ops.flowNames().join(', ') || 'none'})`);
  }
  return flow;
}

/**
 * The flow, resync, dead-letter and lineage routes: each answers 404 for a flow `ops.flowNames()` does not list,
 * calls exactly one ApiOps method and answers through its response schema.
 */
export function coreRoutes(ops: ApiOps): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET', url: '/flows', role: 'readonly',
      summary: 'Status of every flow: enabled, schedule, cursor, last poll, lag, queue counts, written today, last error, paused, cutover and the documents skipped before it.',
      schema: { response: { 200: z.object({ flows: z.array(flowStatusSchema) }) } },
      handler: async () => ({ flows: await ops.listFlows() }),
    }),
    defineRoute({
      method: 'POST', url: '/flows/:flow/poll', role: 'operator',
      summary: 'Poll the flow now.',
      schema: { params: flowParamsSchema, response: { 202: z.object({ flow: z.string(), jobId: z.string() }) } },
      handler: async (req, reply) => {
        const { flow } = req.params;
        requireKnownFlow(ops, flow);
        const { jobId } = await ops.triggerPoll(flow);
        req.audit = { action: 'poll', details: { flow, jobId } };
        req.log.info({ flow, jobId, principal: req.principal }, 'poll triggered');
        return reply.code(202).send({ flow, jobId });
      },
    }),
    defineRoute({
      method: 'POST', url: '/resync', role: 'operator', requireBody: true,
      summary: 'Resync a Beijing-time window (any length) or a list of document ids; runs as a poll job. Documents dated before the flow\'s cutover are skipped unless ignoreCutover (audited).',
      schema: { body: resyncBodySchema, response: { 202: z.object({ id: z.string() }) } },
      handler: async (req, reply) => {
        const body = req.body;
        requireKnownFlow(ops, body.flow);
        const { id } = await ops.startResync(body);
        req.audit = { action: 'resync', details: { ...body, ...('docIds' in body ? { docIds: body.docIds.slice(0, 50) } : {}), id } };
        req.log.info(
          { flow: body.flow, resyncId: id, principal: req.principal, ignoreCutover: body.ignoreCutover === true, ...('docIds' in body ? { docIds: body.docIds.length } : { from: body.from, to: body.to }) },
          'resync started',
        );
        return reply.code(202).send({ id });
      },
    }),
    defineRoute({
      method: 'GET', url: '/resync/:id', role: 'readonly',
      summary: 'State and progress of a resync.',
      schema: { params: resyncParamsSchema, response: { 200: resyncStatusSchema } },
      handler: async (req) => {
        const { id } = req.params;
        const status = await ops.getResync(id);
        if (!status) throw notFound(`no resync with id "${id}"`);
        return status;
      },
    }),
    defineRoute({
      method: 'GET', url: '/dead-letters', role: 'readonly',
      summary: 'Dead letters, newest first, filtered by flow, reason class (code) and failure time.',
      schema: { querystring: deadLetterFilterSchema, response: { 200: z.object({ deadLetters: z.array(deadLetterSchema) }) } },
      handler: async (req) => {
        const filter = req.query;
        if (filter.flow !== undefined) requireKnownFlow(ops, filter.flow);
        return { deadLetters: await ops.listDeadLetters(filter) };
      },
    }),
    defineRoute({
      method: 'POST', url: '/dead-letters/:flow/:jobId/retry', role: 'operator',
      summary: 'Retry one dead letter with a fresh attempt budget.',
      schema: { params: deadLetterParamsSchema, response: { 200: z.object({ flow: z.string(), jobId: z.string(), status: z.string() }) } },
      handler: async (req) => {
        const { flow, jobId } = req.params;
        requireKnownFlow(ops, flow);
        req.audit = { action: 'retry', details: { flow, jobId } };
        const outcome = await ops.retryDeadLetter(flow, jobId);
        if (outcome === 'not-found') throw notFound(`no job "${jobId}" in flow "${flow}"`);
        if (outcome === 'not-failed') {
          throw new HttpError(409, { error: 'not_failed', message: `job "${jobId}" of flow "${flow}" is not in the dead letters (failed set)` });
        }
        req.log.info({ flow, jobId, principal: req.principal }, 'dead letter retried');
        return { flow, jobId, status: outcome };
      },
    }),
    defineRoute({
      method: 'GET', url: '/documents/:flow/:sourceId', role: 'readonly',
      summary: 'Lineage of a source document: ledger entries (Kingdee id and number, version), jobs, attempts.',
      schema: { params: documentParamsSchema, response: { 200: documentLineageSchema } },
      handler: async (req) => {
        const { flow, sourceId } = req.params;
        requireKnownFlow(ops, flow);
        const lineage = await ops.getDocument(flow, sourceId);
        if (!lineage) throw notFound(`flow "${flow}" has no record of source document "${sourceId}"`);
        return lineage;
      },
    }),
  ];
}
