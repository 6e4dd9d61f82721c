import { z } from 'zod';
import { defineRoute, type ApiRoute } from './api-route';
import { HttpError, notFound } from './http-error';
import { deadLetterDetailSchema, deadLetterSchema, type ApiOps } from './ops';
import { deadLetterFilterSchema, deadLetterParamsSchema, discardBodySchema, retryAllBodySchema } from './request-schemas';
import { requireKnownFlow } from './flow-routes';

const deadLetterOutcomeSchema = z.object({ flow: z.string(), jobId: z.string(), status: z.string() });

/**
 * The dead letters (jobs that failed for good): list and inspect them, retry one or every one matching a filter,
 * discard one with a note. 404 for an unknown flow in a path; each change sets `req.audit`.
 */
export function deadLetterRoutes(ops: ApiOps): ApiRoute[] {
  return [
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
      method: 'GET', url: '/dead-letters/:flow/:jobId', role: 'readonly',
      summary: 'Inspect one dead letter: source document, attempts, job log (Kingdee request/response summaries), ledger entry.',
      schema: { params: deadLetterParamsSchema, response: { 200: deadLetterDetailSchema } },
      handler: async (req) => {
        const { flow, jobId } = req.params;
        requireKnownFlow(ops, flow);
        const detail = await ops.getDeadLetter(flow, jobId);
        if (!detail) throw notFound(`no job "${jobId}" in flow "${flow}"`);
        return detail;
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
      method: 'POST', url: '/dead-letters/retry', role: 'operator',
      summary: 'Retry every dead letter matching a filter (flow and/or code, time range).',
      schema: { body: retryAllBodySchema, response: { 200: z.object({ retried: z.number().int(), jobIds: z.array(z.string()) }) } },
      handler: async (req) => {
        const { all: _all, ...filter } = req.body;
        if (filter.flow !== undefined) requireKnownFlow(ops, filter.flow);
        const { retried } = await ops.retryDeadLetters(filter);
        req.audit = { action: 'retry-all', details: { filter, retried: retried.length, jobIds: retried.slice(0, 100) } };
        return { retried: retried.length, jobIds: retried };
      },
    }),
    defineRoute({
      method: 'POST', url: '/dead-letters/:flow/:jobId/discard', role: 'operator',
      summary: 'Remove one dead letter for good; the note goes to the audit log.',
      schema: { params: deadLetterParamsSchema, body: discardBodySchema, response: { 200: deadLetterOutcomeSchema } },
      handler: async (req) => {
        const { flow, jobId } = req.params;
        requireKnownFlow(ops, flow);
        const { note } = req.body;
        // Recorded before removal: the audit entry keeps what was thrown away.
        const detail = await ops.getDeadLetter(flow, jobId);
        req.audit = {
          action: 'discard',
          details: { flow, jobId, note, docId: detail?.docId ?? null, code: detail?.code ?? null, reason: detail?.message ?? null },
        };
        const outcome = await ops.discardDeadLetter(flow, jobId);
        if (outcome === 'not-found') throw notFound(`no job "${jobId}" in flow "${flow}"`);
        if (outcome === 'not-failed') {
          throw new HttpError(409, { error: 'not_failed', message: `job "${jobId}" of flow "${flow}" is not in the dead letters (failed set)` });
        }
        return { flow, jobId, status: outcome };
      },
    }),
  ];
}
