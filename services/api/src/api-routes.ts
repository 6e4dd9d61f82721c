import type { MetricsStore } from '@sync/queue';
import { defineRoute, type ApiRoute } from './api-route';
import type { AuditLog } from './audit-log';
import { HttpError, notFound } from './http-error';
import type { ApiOps } from './ops';
import { operationsRoutes } from './operations-routes';
import { preflightRoute, type PreflightRunner } from './preflight-route';
import { previewBodySchema, previewDocument, previewResultSchema, type PreviewDeps } from './preview';
import { formatPrometheus } from './prometheus';
import { reconcilePageRoutes } from './reconcile-page';
import type { ReconciliationOps } from './reconciliation-ops';
import { reconciliationRoutes } from './reconciliation-routes';
import { coreRoutes } from './routes';

/** What the route handlers call. */
export interface RouteDeps {
  ops: ApiOps;
  audit: AuditLog;
  now: () => Date;
  metrics?: MetricsStore;
  preview?: PreviewDeps;
  preflight?: PreflightRunner;
  reconciliations?: ReconciliationOps;
  /** API_METRICS_PUBLIC: /metrics without credentials. */
  metricsPublic?: boolean;
}

/**
 * Every route of the API, once: method, path, role, schemas, handler. The app registers this table (public routes
 * outside the authenticated context), @fastify/swagger documents it, and the request guard reads each route's role.
 * Bull Board and the API page are plugins with their own routes (app.ts).
 */
export function apiRoutes(d: RouteDeps): ApiRoute[] {
  const { ops, now } = d;
  return [
    defineRoute({
      method: 'GET', url: '/health', role: 'public',
      summary: 'Liveness and Redis reachability (no credentials).',
      schema: {},
      handler: async (_req, reply) => {
        const { redis } = await ops.health();
        return reply.code(redis ? 200 : 503).send({ status: redis ? 'ok' : 'degraded', redis });
      },
    }),
    defineRoute({
      method: 'GET', url: '/openapi.json', role: 'readonly',
      summary: 'This document.',
      schema: {},
      handler: async (req) => req.server.swagger(),
    }),
    defineRoute({
      method: 'GET', url: '/metrics', role: d.metricsPublic ? 'public' : 'readonly', produces: 'text/plain; version=0.0.4',
      summary: 'Prometheus text format: documents written/failed, queue depths, poll lag, client latency, rate-limit hits.',
      schema: {},
      handler: async (_req, reply) => {
        const empty = { written: {}, failed: {}, calls: {}, rateLimitHits: {} };
        const [snapshot, gauges, last] = await Promise.all([d.metrics?.snapshot() ?? empty, ops.queueGauges(), d.reconciliations?.lastPerFlow()]);
        const recon = last ? { now: now(), last } : undefined;
        return reply.type('text/plain; version=0.0.4; charset=utf-8').send(formatPrometheus(snapshot, gauges, recon));
      },
    }),
    ...coreRoutes(ops),
    ...operationsRoutes(ops, d.audit, now),
    defineRoute({
      method: 'POST', url: '/preview', role: 'readonly',
      summary: 'Dry run: the Kingdee payload the transform would send for a JST document, and mapping problems; writes nothing.',
      schema: { body: previewBodySchema, response: { 200: previewResultSchema } },
      handler: async (req) => {
        const body = req.body;
        if (!ops.flowNames().includes(body.flow)) throw notFound(`unknown flow "${body.flow}"`);
        const preview = d.preview;
        if (!preview) throw new HttpError(503, { error: 'preview_unavailable', message: 'preview is not configured in this API process' });
        let document: unknown = body.document;
        if (body.docId !== undefined) {
          if (!preview.fetchDocument) {
            throw new HttpError(400, { error: 'bad_request', field: 'docId', message: 'docId: this API has no JST settings; send the document itself' });
          }
          document = await preview.fetchDocument(body.flow, body.docId);
          if (document === undefined) throw new HttpError(404, { error: 'not_found', message: `JST has no ${body.flow} document "${body.docId}"` });
        }
        return previewDocument(preview, body.flow, document, now().toISOString());
      },
    }),
    preflightRoute(d.preflight),
    ...reconciliationRoutes(() => d.reconciliations, now),
    ...reconcilePageRoutes(() => d.reconciliations, now),
  ];
}
