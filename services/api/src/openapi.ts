import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditEntrySchema } from './audit-log';
import { BULL_BOARD_PATH } from './bull-board';
import {
  deadLetterDetailSchema,
  deadLetterSchema,
  documentLineageSchema,
  flowStatusSchema,
  ledgerPruneResultSchema,
  resyncStatusSchema,
} from './ops';
import {
  auditQuerySchema,
  deadLetterFilterSchema,
  discardBodySchema,
  ledgerPruneBodySchema,
  resyncBodySchema,
  retryAllBodySchema,
} from './request-schemas';
import { previewBodySchema, previewResultSchema } from './preview';
import { preflightReportSchema } from '@sync/preflight';
import { preflightQuerySchema } from './preflight-route';
import { repairOutcomeSchema } from './reconciliation-ops';
import { reconcileBodySchema, reconciliationListQuerySchema, reconciliationSummarySchema } from './reconciliation-routes';
import { reconciliationRecordSchema } from '@sync/queue';

type Access = 'public' | 'readonly' | 'operator' | 'metrics';

interface RouteDoc {
  method: 'get' | 'post' | 'delete';
  /** Fastify syntax (`/flows/:flow/poll`). */
  path: string;
  summary: string;
  access: Access;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Schema of the 200/202 JSON answer; text for /metrics. */
  response?: z.ZodType;
  status?: number;
}

const ok = (shape: z.ZodRawShape) => z.object(shape);

/** Every route of the API, by hand; the test checks it against the routes Fastify registered. */
export const ROUTE_DOCS: readonly RouteDoc[] = [
  { method: 'get', path: '/health', summary: 'Liveness and Redis reachability (no credentials).', access: 'public' },
  { method: 'get', path: '/openapi.json', summary: 'This document.', access: 'readonly' },
  { method: 'get', path: '/metrics', summary: 'Prometheus text format: documents written/failed, queue depths, poll lag, client latency, rate-limit hits.', access: 'metrics' },
  { method: 'get', path: '/flows', summary: 'Status of every flow: enabled, schedule, cursor, last poll, lag, queue counts, written today, last error, paused, cutover and the documents skipped before it.', access: 'readonly', response: ok({ flows: z.array(flowStatusSchema) }) },
  { method: 'post', path: '/flows/:flow/poll', summary: 'Poll the flow now.', access: 'operator', status: 202 },
  { method: 'post', path: '/flows/:flow/pause', summary: 'Pause the flow: its queue stops and its scheduled polls are skipped (the cursor stays).', access: 'operator' },
  { method: 'post', path: '/flows/:flow/resume', summary: 'Resume a paused flow.', access: 'operator' },
  { method: 'post', path: '/resync', summary: 'Resync a Beijing-time window (any length) or a list of document ids; runs as a poll job. Documents dated before the flow\'s cutover are skipped unless ignoreCutover (audited).', access: 'operator', body: resyncBodySchema, status: 202 },
  { method: 'get', path: '/resync/:id', summary: 'State and progress of a resync.', access: 'readonly', response: resyncStatusSchema },
  { method: 'delete', path: '/resync/:id', summary: 'Cancel a resync: removed when it has not started (200), asked to stop between its windows or id batches when running (202), 409 when finished.', access: 'operator' },
  { method: 'get', path: '/dead-letters', summary: 'Dead letters, newest first, filtered by flow, reason class (code) and failure time.', access: 'readonly', query: deadLetterFilterSchema, response: ok({ deadLetters: z.array(deadLetterSchema) }) },
  { method: 'post', path: '/dead-letters/retry', summary: 'Retry every dead letter matching a filter (flow and/or code, time range).', access: 'operator', body: retryAllBodySchema },
  { method: 'get', path: '/dead-letters/:flow/:jobId', summary: 'Inspect one dead letter: source document, attempts, job log (Kingdee request/response summaries), ledger entry.', access: 'readonly', response: deadLetterDetailSchema },
  { method: 'post', path: '/dead-letters/:flow/:jobId/retry', summary: 'Retry one dead letter with a fresh attempt budget.', access: 'operator' },
  { method: 'post', path: '/dead-letters/:flow/:jobId/discard', summary: 'Remove one dead letter for good; the note goes to the audit log.', access: 'operator', body: discardBodySchema },
  { method: 'get', path: '/documents/:flow/:sourceId', summary: 'Lineage of a source document: ledger entries (Kingdee id and number, version), jobs, attempts.', access: 'readonly', response: documentLineageSchema },
  { method: 'get', path: '/preflight', summary: 'Preflight doctor: the configuration checked against Kingdee (logins, base data exists, audited, not forbidden, stock organisations, material flags) and JST (token, endpoints), and the mapping gaps of the last `days` (default 7) days of JST documents with suggested SKU mappings; reads only. Operator role.', access: 'operator', query: preflightQuerySchema, response: preflightReportSchema },
  { method: 'post', path: '/preview', summary: 'Dry run: the Kingdee payload the transform would send for a JST document, and mapping problems; writes nothing.', access: 'readonly', body: previewBodySchema, response: previewResultSchema },
  { method: 'post', path: '/ledger/prune', summary: 'Remove ledger entries (and the sent markers of their bills) written more than olderThanDays days ago, for one document flow or all; dryRun only counts. A pruned document that comes back is saved without a prior lookup and relies on Kingdee refusing a taken FBillNo (lookupBeforeSave: always looks up first).', access: 'operator', body: ledgerPruneBodySchema, response: ledgerPruneResultSchema },
  { method: 'get', path: '/audit', summary: 'Manual actions (who, what, when), newest first.', access: 'readonly', query: auditQuerySchema, response: ok({ entries: z.array(auditEntrySchema) }) },
  { method: 'post', path: '/reconciliations', summary: 'Start a reconciliation (对账) of one flow or all over business days from..to (Beijing, ≤ 31 days); runs in the poller. Answers {id}.', access: 'operator', body: reconcileBodySchema, status: 202 },
  { method: 'get', path: '/reconciliations', summary: 'Reconciliations, newest first, with their days (counts and totals, without the documents).', access: 'readonly', query: reconciliationListQuerySchema, response: ok({ reconciliations: z.array(reconciliationSummarySchema) }) },
  { method: 'get', path: '/reconciliations/:id', summary: 'One reconciliation: progress while it runs, then per flow and day the totals of both sides and every differing document.', access: 'readonly', response: reconciliationRecordSchema },
  { method: 'post', path: '/reconciliations/:id/repair', summary: 'Resync the documents the reconciliation found missing or different through the normal queues; list what needs a person (extra or unaudited bills, never deleted automatically). 409 until it is done.', access: 'operator', response: repairOutcomeSchema },
  { method: 'get', path: '/reconcile', summary: 'The reconciliation page (HTML, Chinese): per flow and business day the latest result (green balanced, red differences), recent runs, a start form for operators.', access: 'readonly' },
  { method: 'get', path: '/reconcile/:id/:flow/:day', summary: 'One flow and day of a reconciliation (HTML): totals of both sides, the differing documents with links to their lineage and queue job, the repair button for operators.', access: 'readonly' },
  { method: 'get', path: '/reconcile/assets/:file', summary: 'The page\'s static script and style sheet (reconcile.js, reconcile.css).', access: 'readonly' },
  { method: 'get', path: `${BULL_BOARD_PATH}/*`, summary: 'Bull Board UI and its API (read-only for the read-only credential).', access: 'readonly' },
];

const jsonSchema = (s: z.ZodType, io: 'input' | 'output'): unknown => z.toJSONSchema(s, { io, unrepresentable: 'any' });
const toOpenApiPath = (p: string): string => p.replace(/:([A-Za-z]+)/g, '{$1}');

const errorSchema = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } }, required: ['error', 'message'] };

/** The OpenAPI 3.1 document of the API (request and answer schemas generated from the zod schemas). Pure. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTE_DOCS) {
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = r.query ? (jsonSchema(r.query, 'input') as { properties?: Record<string, unknown>; required?: string[] }) : undefined;
    const queryParams = Object.entries(query?.properties ?? {}).map(([name, schema]) => ({
      name, in: 'query', required: query?.required?.includes(name) ?? false, schema,
    }));
    const status = String(r.status ?? 200);
    const security = r.access === 'public' ? [] : [{ bearer: [] }, { basic: [] }];
    (paths[toOpenApiPath(r.path)] ??= {})[r.method] = {
      summary: r.summary,
      'x-required-role': r.access === 'metrics' ? 'readonly (or none when API_METRICS_PUBLIC)' : r.access,
      security,
      parameters: [...params, ...queryParams],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
      responses: {
        [status]: r.path === '/metrics'
          ? { description: 'Prometheus text', content: { 'text/plain': { schema: { type: 'string' } } } }
          : { description: 'OK', ...(r.response ? { content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } } : {}) },
        ...(r.body || r.query || params.length ? { '400': { description: 'Bad input; `field` names it', content: { 'application/json': { schema: errorSchema } } } } : {}),
        ...(r.access === 'public' ? {} : {
          '401': { description: 'Missing or wrong credentials' },
          '403': { description: 'Read-only credential on an operator route, or a state-changing request from another site (`cross_site`; bearer-token requests are exempt)', content: { 'application/json': { schema: errorSchema } } },
          '429': { description: 'Rate limited, or the client address locked out after failed logins (`login_locked`); see Retry-After', content: { 'application/json': { schema: errorSchema } } },
          ...(r.method === 'get' ? {} : { '415': { description: 'A body that is not application/json (charset utf-8); `field` is content-type', content: { 'application/json': { schema: errorSchema } } } }),
        }),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'JST → Kingdee sync API', version: '1.0.0' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API_TOKEN (operator) or API_READONLY_TOKEN' },
        basic: { type: 'http', scheme: 'basic', description: 'API_BASIC_USER (operator) or API_READONLY_BASIC_USER' },
      },
    },
    paths,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** `METHOD path` of every route registered on the app (HEAD excluded), for the OpenAPI completeness test. */
    registeredRoutes: string[];
  }
}

/** Starts recording the app's routes (call before registering any) into `app.registeredRoutes`. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  const list: string[] = [];
  app.decorate('registeredRoutes', list);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== 'HEAD') list.push(`${m} ${route.url}`);
  });
}
