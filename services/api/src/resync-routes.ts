import { z } from 'zod';
import { defineRoute, type ApiRoute } from './api-route';
import { HttpError, notFound } from './http-error';
import { resyncStatusSchema, type ApiOps } from './ops';
import { resyncBodySchema, resyncParamsSchema } from './request-schemas';
import { requireKnownFlow } from './flow-routes';

/** Resyncs: start one (a Beijing-time window or document ids), read its progress, cancel it. */
export function resyncRoutes(ops: ApiOps): ApiRoute[] {
  return [
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
      method: 'DELETE', url: '/resync/:id', role: 'operator',
      summary: 'Cancel a resync: removed when it has not started (200), asked to stop between its windows or id batches when running (202), 409 when finished.',
      schema: { params: resyncParamsSchema, response: { 200: z.object({ id: z.string(), status: z.string() }), 202: z.object({ id: z.string(), status: z.string() }) } },
      handler: async (req, reply) => {
        const { id } = req.params;
        req.audit = { action: 'resync-cancel', details: { id } };
        const outcome = await ops.cancelResync(id);
        if (outcome === 'not-found') throw notFound(`no resync with id "${id}"`);
        if (outcome === 'finished') {
          throw new HttpError(409, { error: 'resync_finished', message: `resync "${id}" has already finished` });
        }
        // 'cancelling': it stops after the window or id batch it is reading; what it enqueued is written once.
        return reply.code(outcome === 'cancelling' ? 202 : 200).send({ id, status: outcome });
      },
    }),
  ];
}
