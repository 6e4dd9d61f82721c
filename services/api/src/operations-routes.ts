import type { FastifyInstance } from 'fastify';
import type { AuditLog } from './audit-log';
import { auditEntrySchema } from './audit-log';
import { HttpError, notFound } from './http-error';
import { deadLetterDetailSchema, type ApiOps } from './ops';
import {
  auditQuerySchema,
  deadLetterParamsSchema,
  discardBodySchema,
  flowParamsSchema,
  parseInput,
  resyncParamsSchema,
  retryAllBodySchema,
} from './request-schemas';

/**
 * The operator routes added on top of `registerRoutes`: resync cancel, dead-letter inspect / retry-all / discard,
 * flow pause and resume, and the audit log. Same rules: zod input (400 naming the field), 404 for unknown flows.
 * Each write sets `req.audit` so the app's onResponse hook records who did what.
 */
export function registerOperationsRoutes(scope: FastifyInstance, ops: ApiOps, audit: AuditLog): void {
  const knownFlow = (flow: string): string => {
    if (!ops.flowNames().includes(flow)) {
      throw notFound(`unknown flow "${flow}" (known: ${ops.flowNames().join(', ') || 'none'})`);
    }
    return flow;
  };

  scope.delete('/resync/:id', async (req, reply) => {
    const { id } = parseInput(resyncParamsSchema, req.params, 'params');
    req.audit = { action: 'resync-cancel', details: { id } };
    const outcome = await ops.cancelResync(id);
    if (outcome === 'not-found') throw notFound(`no resync with id "${id}"`);
    if (outcome === 'finished') {
      throw new HttpError(409, { error: 'resync_finished', message: `resync "${id}" has already finished` });
    }
    // 'cancelling': it stops after the window or id batch it is reading; what it enqueued is written once.
    if (outcome === 'cancelling') reply.code(202);
    return { id, status: outcome };
  });

  scope.get('/dead-letters/:flow/:jobId', async (req) => {
    const { flow, jobId } = parseInput(deadLetterParamsSchema, req.params, 'params');
    knownFlow(flow);
    const detail = await ops.getDeadLetter(flow, jobId);
    if (!detail) throw notFound(`no job "${jobId}" in flow "${flow}"`);
    return deadLetterDetailSchema.parse(detail);
  });

  scope.post('/dead-letters/retry', async (req) => {
    const body = parseInput(retryAllBodySchema, req.body ?? {}, 'body');
    if (body.flow !== undefined) knownFlow(body.flow);
    const { all: _all, ...filter } = body;
    const { retried } = await ops.retryDeadLetters(filter);
    req.audit = { action: 'retry-all', details: { filter, retried: retried.length, jobIds: retried.slice(0, 100) } };
    return { retried: retried.length, jobIds: retried };
  });

  scope.post('/dead-letters/:flow/:jobId/discard', async (req) => {
    const { flow, jobId } = parseInput(deadLetterParamsSchema, req.params, 'params');
    knownFlow(flow);
    const { note } = parseInput(discardBodySchema, req.body ?? {}, 'body');
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
  });

  for (const action of ['pause', 'resume'] as const) {
    scope.post(`/flows/:flow/${action}`, async (req) => {
      const { flow } = parseInput(flowParamsSchema, req.params, 'params');
      knownFlow(flow);
      req.audit = { action, details: { flow } };
      await ops.setPaused(flow, action === 'pause', req.principal ?? 'unknown');
      return { flow, paused: action === 'pause' };
    });
  }

  scope.get('/audit', async (req) => {
    const q = parseInput(auditQuerySchema, req.query, 'query');
    const entries = await audit.list(q);
    return { entries: entries.map((e) => auditEntrySchema.parse(e)) };
  });
}
