import type { Env } from '@sync/config';
import type { Logger } from '@sync/logger';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { MetricsStore } from '@sync/queue';
import { createMemoryAuditLog, type AuditLog } from './audit-log';
import { authCredentialsFromEnv, type Role } from './auth';
import { registerBullBoard } from './bull-board';
import { clientErrorBody, HttpError } from './http-error';
import { createLoginGuard, createMemoryLoginStore, type LoginAttemptStore } from './login-guard';
import { buildOpenApiDocument, registerOpenApi } from './openapi';
import { previewBodySchema, previewDocument, previewResultSchema, type PreviewDeps } from './preview';
import { registerPreflightRoute, type PreflightRunner } from './preflight-route';
import { parseInput } from './request-schemas';
import type { ApiOps } from './ops';
import { registerOperationsRoutes } from './operations-routes';
import { formatPrometheus } from './prometheus';
import { createRateLimiter } from './rate-limit';
import { loginGuardConfig, READONLY_POST_PATHS, registerRequestGuard } from './request-guard';
import { registerRoutes } from './routes';
import type { ReconciliationOps } from './reconciliation-ops';
import { registerReconciliationRoutes } from './reconciliation-routes';
import { registerReconcilePage } from './reconcile-page';
import { applySecurityHeaders, registerSecurityHeaders } from './security-headers';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who authenticated (`token` or `basic:<user>`); null on the public /health route. */
    principal: string | null;
    /** The authenticated role; null on public routes. */
    role: Role | null;
    /** Set by a route that changes something: the audit log's action name and details. */
    audit: { action: string; details?: Record<string, unknown> } | null;
  }
}

/** Length of the rate-limit window (ms); API_RATE_LIMIT_PER_MIN requests are allowed in each. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/** A 4xx error raised by Fastify itself (it sets `statusCode` and `code`), else undefined. */
function clientError(err: unknown): { statusCode: number; code: string; message: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const { statusCode, code } = err as Error & { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  return { statusCode, code: typeof code === 'string' ? code : 'bad_request', message: err.message };
}

/** Longest path parameter the router passes to a route (ids are validated there, up to 256 characters, 400 beyond). */
export const MAX_PARAM_LENGTH = 2048;

/** Largest request body accepted (bytes): a 1000-id resync is about 30 KiB. */
export const BODY_LIMIT = 1024 * 1024;

export interface ApiDeps {
  env: Pick<Env, 'API_TOKEN' | 'API_BASIC_USER' | 'API_BASIC_PASSWORD'> &
    Partial<
      Pick<
        Env,
        | 'API_READONLY_TOKEN'
        | 'API_READONLY_BASIC_USER'
        | 'API_READONLY_BASIC_PASSWORD'
        | 'API_RATE_LIMIT_PER_MIN'
        | 'API_METRICS_PUBLIC'
        | 'BULL_BOARD_LOCALE'
        | 'API_ALLOWED_ORIGINS'
        | 'API_TRUSTED_PROXIES'
        | 'API_HSTS'
        | 'API_LOGIN_MAX_FAILURES'
        | 'API_LOGIN_LOCKOUT_MAX_SECONDS'
      >
    >;
  ops: ApiOps;
  /** Where manual actions are recorded; default in memory (tests). main.ts passes the Redis one. */
  audit?: AuditLog;
  /** Failed-login counts and lockouts; default in memory (tests). main.ts passes the Redis one (shared by replicas). */
  loginStore?: LoginAttemptStore;
  /** The Redis counters behind /metrics; without it /metrics shows only queue gauges. */
  metrics?: MetricsStore;
  /** Flow registry and config for `POST /preview`; without it the route answers 503. */
  preview?: PreviewDeps;
  /** The preflight doctor behind `GET /preflight` (operator role); without it the route answers 503. */
  preflight?: PreflightRunner;
  /** Reconciliations (对账); without them those routes answer 503. */
  reconciliations?: ReconciliationOps;
  /** Clock for the rate limiter and audit times; default the system clock. */
  now?: () => Date;
  /** The BullMQ queues Bull Board shows (every flow queue and the poll queue). Not closed by the API. */
  queues: readonly Queue[];
  logger: Logger;
}

/**
 * Builds the Fastify app (not listening): `GET /health` is public; everything else, Bull Board at
 * /admin/queues included, needs `Authorization: Bearer API_TOKEN` or Basic API_BASIC_USER:API_BASIC_PASSWORD,
 * else 401 with a WWW-Authenticate challenge. Throws ConfigError when no credential is configured.
 * Wrong credentials are counted per client address and user name (429 `login_locked` with Retry-After once an
 * address is locked out) and audited as `login-failed`. A state-changing request another site could have made a
 * browser send is refused (403 `cross_site`), and so is a body that is not JSON (415). Every answer carries the
 * security headers (security-headers.ts).
 * Error answers are JSON `{error, message, field?}` and never carry stack traces.
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const creds = authCredentialsFromEnv(deps.env); // throws before anything listens
  const trusted = deps.env.API_TRUSTED_PROXIES ?? [];
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    // X-Forwarded-For/-Proto/-Host only from the listed proxies: the login guard counts per real client address.
    trustProxy: trusted.length ? [...trusted] : false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors the router raises before any route (a malformed %-escape in the URL): the usual shape, naming the URL.
    frameworkErrors: (err, req, reply) => {
      const client = clientError(err) ?? { statusCode: 400, code: 'FST_ERR_BAD_URL', message: 'malformed request' };
      // The generic reply type of this option does not take a plain status code; it is the same reply.
      const r = reply as unknown as FastifyReply;
      applySecurityHeaders(req, r, deps.env.API_HSTS ?? 'auto');
      void r.code(client.statusCode).send(clientErrorBody(client));
    },
  });
  // Only JSON bodies: a text/plain body is what another site can post without a CORS preflight.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('principal', null);
  app.decorateRequest('role', null);
  app.decorateRequest('audit', null);
  const audit = deps.audit ?? createMemoryAuditLog();
  const now = deps.now ?? (() => new Date());
  const limiter = createRateLimiter({ limit: deps.env.API_RATE_LIMIT_PER_MIN ?? 600, windowMs: RATE_LIMIT_WINDOW_MS });
  const guard = createLoginGuard(deps.loginStore ?? createMemoryLoginStore(() => now().getTime()), loginGuardConfig(deps.env));
  const allowedOrigins: ReadonlySet<string> = new Set(deps.env.API_ALLOWED_ORIGINS ?? []);
  await registerOpenApi(app);
  await registerSecurityHeaders(app, deps.env.API_HSTS ?? 'auto');

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send(err.body);
    const client = clientError(err);
    // Fastify's own client errors (bad JSON, body too large, wrong content type): their messages carry no secrets.
    if (client) return reply.code(client.statusCode).send(clientErrorBody(client));
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error; see the API logs' });
  });
  const noSuchRoute = { error: 'not_found', message: 'no such route' };
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(noSuchRoute));
  // An unknown route is 404 whatever its body: answered before Fastify parses (and refuses) the body.
  app.addHook('onRequest', async (req, reply) => {
    if (req.is404) return reply.code(404).send(noSuchRoute);
  });

  app.get('/health', async (_req, reply) => {
    const { redis } = await deps.ops.health();
    return reply.code(redis ? 200 : 503).send({ status: redis ? 'ok' : 'degraded', redis });
  });

  const metricsRoute = async (scope: FastifyInstance): Promise<void> => {
    scope.get('/metrics', async (_req, reply) => {
      const empty = { written: {}, failed: {}, calls: {}, rateLimitHits: {} };
      const [snapshot, gauges, last] = await Promise.all([deps.metrics?.snapshot() ?? empty, deps.ops.queueGauges(), deps.reconciliations?.lastPerFlow()]);
      const recon = last ? { now: now(), last } : undefined;
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(formatPrometheus(snapshot, gauges, recon));
    });
  };
  if (deps.env.API_METRICS_PUBLIC) await app.register(metricsRoute);

  // Everything registered inside this context is authenticated; /health above is not.
  await app.register(async (scope) => {
    registerRequestGuard(scope, { creds, guard, limiter, audit, now, allowedOrigins, metrics: deps.metrics });
    // Audit trail for every change, including Bull Board's own actions (retry, clean, promote ...) and refusals.
    scope.addHook('onResponse', async (req, reply) => {
      if (req.method === 'GET' || req.method === 'HEAD' || req.principal === null) return;
      if (req.method === 'POST' && READONLY_POST_PATHS.has(req.url.split('?')[0])) return;
      const entry = {
        at: now().toISOString(),
        principal: req.principal,
        role: req.role ?? 'unknown',
        action: req.audit?.action ?? 'http',
        method: req.method,
        url: req.url,
        statusCode: reply.statusCode,
        ...(req.audit?.details ? { details: req.audit.details } : {}),
      };
      req.log.info(entry, 'audit');
      await audit.record(entry).catch((err: unknown) => req.log.error({ err }, 'audit record failed'));
    });
    if (!deps.env.API_METRICS_PUBLIC) await metricsRoute(scope);
    registerRoutes(scope, deps.ops);
    registerOperationsRoutes(scope, deps.ops, audit, now);
    registerReconciliationRoutes(scope, () => deps.reconciliations, now);
    registerReconcilePage(scope, () => deps.reconciliations, now);
    const openApi = buildOpenApiDocument();
    scope.get('/openapi.json', async () => openApi);
    scope.post('/preview', async (req) => {
      const body = parseInput(previewBodySchema, req.body ?? {}, 'body');
      if (!deps.ops.flowNames().includes(body.flow)) {
        throw new HttpError(404, { error: 'not_found', message: `unknown flow "${body.flow}"` });
      }
      const preview = deps.preview;
      if (!preview) throw new HttpError(503, { error: 'preview_unavailable', message: 'preview is not configured in this API process' });
      let document: unknown = body.document;
      if (body.docId !== undefined) {
        if (!preview.fetchDocument) {
          throw new HttpError(400, { error: 'bad_request', field: 'docId', message: 'docId: this API has no JST settings; send the document itself' });
        }
        document = await preview.fetchDocument(body.flow, body.docId);
        if (document === undefined) throw new HttpError(404, { error: 'not_found', message: `JST has no ${body.flow} document "${body.docId}"` });
      }
      return previewResultSchema.parse(previewDocument(preview, body.flow, document, now().toISOString()));
    });
    registerPreflightRoute(scope, deps.preflight);
    await registerBullBoard(scope, deps.queues, deps.env.BULL_BOARD_LOCALE);
  });

  return app;
}
