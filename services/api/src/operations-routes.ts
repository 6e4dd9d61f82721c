import { z } from 'zod';
import { defineRoute, type ApiRoute } from './api-route';
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
  resyncParamsSchema,
  retryAllBodySchema,
} from './request-schemas';
import { requireKnownFlow } from './routes';

const DAY_MS = 24 * 3600 * 1000;

const deadLetterOutcomeSchema = z.object({ flow: z.string(), jobId: z.string(), status: z.string() });

/**
 * The operator routes beside `coreRoutes`: resync cancel, dead-letter inspect / retry-all / discard, flow pause
 * and resume, ledger prune, and the audit log. 404 for unknown flows in a path. Each write sets `req.audit` so the
 * app's onResponse hook records who did what. `now` is the clock the prune cutoff is counted from.
 */
export function operationsRoutes(ops: ApiOps, audit: AuditLog, now: () => Date = () => new Date()): ApiRoute[] {
  const pauseRoute = (action: 'pause' | 'resume', summary: string): ApiRoute =>
    defineRoute({
      method: 'POST', url: `/flows/:flow/${action}`, role: 'operator', summary,
      schema: { params: flowParamsSchema, response: { 200: z.object({ flow: z.string(), paused: z.boolean() }) } },
      handler: async (req) => {
        const { flow } = req.params;
        requireKnownFlow(ops, flow);
        req.audit = { action, details: { flow } };
        await ops.setPaused(flow, action === 'pause', req.principal ?? 'unknown');
        return { flow, paused: action === 'pause' };
      },
    });

  return [
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
    pauseRoute('pause', 'Pause the flow: its queue stops and its scheduled polls are skipped (the cursor stays).'),
    pauseRoute('resume', 'Resume a paused flow.'),
    defineRoute({
      method: 'POST', url: '/ledger/prune', role: 'operator',
      summary: 'Remove ledger entries (and the sent markers of their bills) written more than olderThanDays days ago, for one document flow or all; dryRun only counts. A pruned document that comes back is saved without a prior lookup and relies on Kingdee refusing a taken FBillNo (lookupBeforeSave: always looks up first).',
      schema: { body: ledgerPruneBodySchema, response: { 200: ledgerPruneResultSchema } },
      handler: async (req) => {
        const body = req.body;
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
        return { flows: counts, before: before.toISOString(), dryRun: body.dryRun };
      },
    }),
    defineRoute({
      method: 'GET', url: '/audit', role: 'readonly',
      summary: 'Manual actions (who, what, when), newest first.',
      schema: { querystring: auditQuerySchema, response: { 200: z.object({ entries: z.array(auditEntrySchema) }) } },
      handler: async (req) => ({ entries: await audit.list(req.query) }),
    }),
  ];
}
