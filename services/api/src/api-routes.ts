import type { MetricsStore } from '@sync/queue';
import type { ApiRoute } from './api-route';
import type { AuditLog } from './audit-log';
import { auditRoutes } from './audit-routes';
import { deadLetterRoutes } from './dead-letter-routes';
import { documentRoutes } from './document-routes';
import { flowRoutes } from './flow-routes';
import type { ApiOps } from './ops';
import { preflightRoute, type PreflightRunner } from './preflight-route';
import type { PreviewDeps } from './preview';
import { previewRoute } from './preview-route';
import { reconcilePageRoutes } from './reconcile-page';
import type { ReconciliationOps } from './reconciliation-ops';
import { reconciliationRoutes } from './reconciliation-routes';
import { resyncRoutes } from './resync-routes';
import { serviceRoutes } from './service-routes';

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
 * Every route of the API, once, by resource (one file each): method, path, role, zod schemas, handler. The app
 * registers this table (public routes outside the authenticated context), @fastify/swagger documents it, and the
 * request guard reads each route's role. Bull Board and the API page are plugins with their own routes (app.ts).
 */
export function apiRoutes(d: RouteDeps): ApiRoute[] {
  const { ops, now } = d;
  const reconciliations = () => d.reconciliations;
  return [
    ...serviceRoutes(d),
    ...flowRoutes(ops),
    ...resyncRoutes(ops),
    ...deadLetterRoutes(ops),
    ...documentRoutes(ops, now),
    ...auditRoutes(d.audit),
    previewRoute(ops, d.preview, now),
    preflightRoute(d.preflight),
    ...reconciliationRoutes(reconciliations, now),
    ...reconcilePageRoutes(reconciliations, now),
  ];
}
