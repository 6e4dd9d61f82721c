import type { MetricsStore } from '@sync/queue';
import { defineRoute, type ApiRoute } from './api-route';
import type { ApiOps } from './ops';
import { formatPrometheus } from './prometheus';
import type { ReconciliationOps } from './reconciliation-ops';

/** What the service routes read. */
export interface ServiceRouteDeps {
  ops: ApiOps;
  now: () => Date;
  /** The Redis counters behind /metrics; without them only queue gauges. */
  metrics?: MetricsStore;
  reconciliations?: ReconciliationOps;
  /** API_METRICS_PUBLIC: /metrics without credentials. */
  metricsPublic?: boolean;
}

/** The service itself: health (public), the OpenAPI document, Prometheus metrics (public when configured). */
export function serviceRoutes(d: ServiceRouteDeps): ApiRoute[] {
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
  ];
}
