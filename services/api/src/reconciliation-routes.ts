import { dayReconciliationSchema, reconciliationRecordSchema, type ReconciliationRecord } from '@sync/queue';
import { z } from 'zod';
import { defineRoute, type ApiRoute } from './api-route';
import { badRequest, HttpError, notFound } from './http-error';
import { repairOutcomeSchema, type ReconciliationOps } from './reconciliation-ops';

const DAY_MS = 24 * 3600 * 1000;
/** Longest range of business days one run may cover. */
export const MAX_RECONCILE_DAYS = 31;

const businessDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a business day yyyy-MM-dd (Beijing)')
  .refine((s) => {
    const ms = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
  }, 'not a calendar day');

/** Body of `POST /reconciliations`: one flow or all (absent), business days from..to (Beijing, inclusive; to defaults to from). */
export const reconcileBodySchema = z
  .object({ flow: z.string().min(1).max(64).optional(), from: businessDay, to: businessDay.optional() })
  .strict()
  .superRefine((b, ctx) => {
    const to = b.to ?? b.from;
    if (to < b.from) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${b.from})` });
    else if ((Date.parse(to) - Date.parse(b.from)) / DAY_MS + 1 > MAX_RECONCILE_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_RECONCILE_DAYS} days per run` });
    }
  });

export const reconciliationListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export const reconciliationParamsSchema = z.object({ id: z.string().regex(/^recon-[A-Za-z0-9-]{1,80}$/, 'expected a reconciliation id (recon-…)') });

/** A run without the documents of its days (the list answer). */
export const reconciliationSummarySchema = reconciliationRecordSchema.extend({
  days: z.array(dayReconciliationSchema.omit({ documents: true })),
});
export type ReconciliationSummary = z.infer<typeof reconciliationSummarySchema>;

export function summarise(r: ReconciliationRecord): ReconciliationSummary {
  return { ...r, days: r.days.map(({ documents: _documents, ...day }) => day) };
}

/** The reconciliations, or 503 when this API process was built without them. */
export function requireReconciliations(ops: ReconciliationOps | undefined): ReconciliationOps {
  if (!ops) throw new HttpError(503, { error: 'reconciliation_unavailable', message: 'reconciliation is not configured in this API process' });
  return ops;
}

/** Today's business day in Beijing. */
export function beijingToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/**
 * `POST /reconciliations` (operator: start a run, 202 {id}), `GET /reconciliations` (newest first, without the
 * documents), `GET /reconciliations/:id` (progress while running, then the result), `POST
 * /reconciliations/:id/repair` (operator: resync what is missing or different; 409 until the run is done).
 * Writes are audited through `req.audit`.
 */
export function reconciliationRoutes(get: () => ReconciliationOps | undefined, now: () => Date): ApiRoute[] {
  return [
    defineRoute({
      method: 'POST', url: '/reconciliations', role: 'operator',
      summary: 'Start a reconciliation (对账) of one flow or all over business days from..to (Beijing, ≤ 31 days); runs in the poller. Answers {id}.',
      schema: { body: reconcileBodySchema, response: { 202: z.object({ id: z.string() }) } },
      handler: async (req, reply) => {
        const body = req.body;
        const ops = requireReconciliations(get());
        const to = body.to ?? body.from;
        if (to > beijingToday(now())) throw badRequest('to', `to: ${to} is after today (${beijingToday(now())}, Beijing)`);
        const known = ops.documentFlows();
        if (body.flow !== undefined && !known.includes(body.flow)) {
          throw badRequest('flow', `flow: "${body.flow}" is not an enabled JST → Kingdee document flow (enabled: ${known.join(', ') || 'none'})`);
        }
        const flows = body.flow !== undefined ? [body.flow] : [...known];
        if (!flows.length) throw badRequest('flow', 'flow: no JST → Kingdee document flow is enabled');
        const record = await ops.start({ flows, from: body.from, to }, req.principal ?? 'unknown');
        req.audit = { action: 'reconcile', details: { id: record.id, flows, from: body.from, to } };
        return reply.code(202).send({ id: record.id });
      },
    }),
    defineRoute({
      method: 'GET', url: '/reconciliations', role: 'readonly',
      summary: 'Reconciliations, newest first, with their days (counts and totals, without the documents).',
      schema: { querystring: reconciliationListQuerySchema, response: { 200: z.object({ reconciliations: z.array(reconciliationSummarySchema) }) } },
      handler: async (req) => {
        const list = await requireReconciliations(get()).list(req.query.limit);
        return { reconciliations: list.map(summarise) };
      },
    }),
    defineRoute({
      method: 'GET', url: '/reconciliations/:id', role: 'readonly',
      summary: 'One reconciliation: progress while it runs, then per flow and day the totals of both sides and every differing document.',
      schema: { params: reconciliationParamsSchema, response: { 200: reconciliationRecordSchema } },
      handler: async (req) => {
        const { id } = req.params;
        const record = await requireReconciliations(get()).get(id);
        if (!record) throw notFound(`no reconciliation "${id}" (unknown, or older than reconciliation.keepDays)`);
        return record;
      },
    }),
    defineRoute({
      method: 'POST', url: '/reconciliations/:id/repair', role: 'operator',
      summary: 'Resync the documents the reconciliation found missing or different through the normal queues; list what needs a person (extra or unaudited bills, never deleted automatically). 409 until it is done.',
      schema: { params: reconciliationParamsSchema, response: { 200: repairOutcomeSchema } },
      handler: async (req) => {
        const { id } = req.params;
        req.audit = { action: 'reconcile-repair', details: { id } };
        const outcome = await requireReconciliations(get()).repair(id, req.principal ?? 'unknown');
        if (outcome === 'not-found') throw notFound(`no reconciliation "${id}"`);
        if (outcome === 'not-done') throw new HttpError(409, { error: 'not_done', message: `reconciliation "${id}" has not finished; repair it once it is done` });
        req.audit = {
          action: 'reconcile-repair',
          details: { id, resynced: outcome.resyncs.map((r) => ({ flow: r.flow, docIds: r.docIds.slice(0, 50), resyncId: r.resyncId })), forPeople: outcome.forPeople.length },
        };
        return outcome;
      },
    }),
  ];
}
