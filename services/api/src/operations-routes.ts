import type { FastifyInstance } from 'fastify';
import type { AuditLog } from './audit-log';
import { auditEntrySchema } from './audit-log';
import { badRequest, HttpError, notFound } from './http-error';
import { deadLetterDetailSchema, ledgerPruneResultSchema, type ApiOps, type LedgerPruneCounts } from './ops';
import {
  auditQuerySchema,
  deadLetterParamsSchema,
  discardBodySchema,
  flowParamsSchema,
  ledgerPruneBodySchema,
  parseInput,
  resyncParamsSchema,
  retryAllBodySchema,
} from './request-schemas';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The operator routes added on top of `registerRoutes`: resync cancel, dead-letter inspect / retry-all / discard,
 * flow pause and resume, ledger prune, and the audit log. Same rules: zod input (400 naming the field), 404 for
 * unknown flows in a path. Each write sets `req.audit` so the app's onResponse hook records who did what.
 * `now` is the clock the prune cutoff is counted from.
 */
export function registerOperationsRoutes(scope: FastifyInstance, ops: ApiOps, audit: AuditLog, now: () => Date = () => new Date()): void {
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

  scope.post('/ledger/prune', async (req) => {
    const body = parseInput(ledgerPruneBodySchema, req.body ?? {}, 'body');
    const documentFlows = ops.documentFlowNames();
    // A flow in the body is a bad field (400), unlike a flow in the path (404).
    if (body.flow !== undefined && !documentFlows.includes(body.flow)) {
      const what = ops.flowNames().includes(body.flow) ? 'is not a JST → Kingdee document flow' : 'is unknown';
      throw badRequest('flow', `flow: "${body.flow}" ${what} (document flows: ${documentFlows.join(', ') || 'none'})`);
    }
    const flows = body.flow !== undefined ? [body.flow] : [...documentFlows];
    const before = new Date(now().getTime() - body.olderThanDays * DAY_MS);
    const counts: Record<string, LedgerPruneCounts> = {};
    // The audit entry shares `counts`, so a prune that fails half-way records the flows it finished.
    req.audit = {
      action: 'ledger-prune',
      details: { flows, olderThanDays: body.olderThanDays, before: before.toISOString(), dryRun: body.dryRun, counts },
    };
    // One flow after the other: a prune reads the whole hash, no need to load Redis with all of them at once.
    for (const flow of flows) counts[flow] = await ops.pruneLedger(flow, { before, dryRun: body.dryRun });
    req.log.info({ flows: counts, before: before.toISOString(), dryRun: body.dryRun, principal: req.principal }, 'ledger pruned');
    return ledgerPruneResultSchema.parse({ flows: counts, before: before.toISOString(), dryRun: body.dryRun });
  });

  scope.get('/audit', async (req) => {
    const q = parseInput(auditQuerySchema, req.query, 'query');
    const entries = await audit.list(q);
    return { entries: entries.map((e) => auditEntrySchema.parse(e)) };
  });
}
