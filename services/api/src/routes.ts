import type { FastifyInstance } from 'fastify';
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
  parseInput,
  resyncBodySchema,
  resyncParamsSchema,
} from './request-schemas';

/**
 * Registers the JSON routes on `scope` (which must already authenticate). Every route validates its input with
 * zod (400 naming the field), answers 404 for a flow `ops.flowNames()` does not list, calls exactly one
 * ApiOps method and parses its result through the output schema.
 */
export function registerRoutes(scope: FastifyInstance, ops: ApiOps): void {
  const knownFlow = (flow: string): string => {
    if (!ops.flowNames().includes(flow)) {
      throw notFound(`unknown flow "${flow}" (known: ${ops.flowNames().join(', ') || 'none'})`);
    }
    return flow;
  };

  scope.get('/flows', async () => {
    const flows = await ops.listFlows();
    return { flows: flows.map((f) => flowStatusSchema.parse(f)) };
  });

  scope.post('/flows/:flow/poll', async (req, reply) => {
    const { flow } = parseInput(flowParamsSchema, req.params, 'params');
    knownFlow(flow);
    const { jobId } = await ops.triggerPoll(flow);
    req.audit = { action: 'poll', details: { flow, jobId } };
    req.log.info({ flow, jobId, principal: req.principal }, 'poll triggered');
    return reply.code(202).send({ flow, jobId });
  });

  scope.post('/resync', async (req, reply) => {
    const body = parseInput(resyncBodySchema, req.body, 'body');
    knownFlow(body.flow);
    const { id } = await ops.startResync(body);
    req.audit = { action: 'resync', details: { ...body, ...('docIds' in body ? { docIds: body.docIds.slice(0, 50) } : {}), id } };
    req.log.info(
      { flow: body.flow, resyncId: id, principal: req.principal, ignoreCutover: body.ignoreCutover === true, ...('docIds' in body ? { docIds: body.docIds.length } : { from: body.from, to: body.to }) },
      'resync started',
    );
    return reply.code(202).send({ id });
  });

  scope.get('/resync/:id', async (req) => {
    const { id } = parseInput(resyncParamsSchema, req.params, 'params');
    const status = await ops.getResync(id);
    if (!status) throw notFound(`no resync with id "${id}"`);
    return resyncStatusSchema.parse(status);
  });

  scope.get('/dead-letters', async (req) => {
    const filter = parseInput(deadLetterFilterSchema, req.query, 'query');
    if (filter.flow !== undefined) knownFlow(filter.flow);
    const letters = await ops.listDeadLetters(filter);
    return { deadLetters: letters.map((d) => deadLetterSchema.parse(d)) };
  });

  scope.post('/dead-letters/:flow/:jobId/retry', async (req) => {
    const { flow, jobId } = parseInput(deadLetterParamsSchema, req.params, 'params');
    knownFlow(flow);
    req.audit = { action: 'retry', details: { flow, jobId } };
    const outcome = await ops.retryDeadLetter(flow, jobId);
    if (outcome === 'not-found') throw notFound(`no job "${jobId}" in flow "${flow}"`);
    if (outcome === 'not-failed') {
      throw new HttpError(409, { error: 'not_failed', message: `job "${jobId}" of flow "${flow}" is not in the dead letters (failed set)` });
    }
    req.log.info({ flow, jobId, principal: req.principal }, 'dead letter retried');
    return { flow, jobId, status: outcome };
  });

  scope.get('/documents/:flow/:sourceId', async (req) => {
    const { flow, sourceId } = parseInput(documentParamsSchema, req.params, 'params');
    knownFlow(flow);
    const lineage = await ops.getDocument(flow, sourceId);
    if (!lineage) throw notFound(`flow "${flow}" has no record of source document "${sourceId}"`);
    return documentLineageSchema.parse(lineage);
  });
}
