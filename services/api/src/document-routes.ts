import { defineRoute, type ApiRoute } from './api-route';
import { badRequest, notFound } from './http-error';
import { documentLineageSchema, ledgerPruneResultSchema, type ApiOps, type LedgerPruneCounts } from './ops';
import { documentParamsSchema, ledgerPruneBodySchema } from './request-schemas';
import { requireKnownFlow } from './flow-routes';

const DAY_MS = 24 * 3600 * 1000;

/** Documents and their ledger: the lineage of one source document, and pruning old ledger entries (`now` counts the cutoff). */
export function documentRoutes(ops: ApiOps, now: () => Date): ApiRoute[] {
  return [
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
  ];
}
