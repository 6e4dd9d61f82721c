import type { Env } from '@sync/config';
import type { Logger } from '@sync/logger';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { MetricsStore } from '@sync/queue';
import { apiRoutes } from './api-routes';
import { createMemoryAuditLog, type AuditLog } from './audit-log';
import { authCredentialsFromEnv, type Role } from './auth';
import { registerBullBoard } from './bull-board';
import { clientErrorBody, HttpError } from './http-error';
import { createLoginGuard, createMemoryLoginStore, type LoginAttemptStore } from './login-guard';
import { registerApiDocsPage, registerOpenApi } from './openapi';
import type { PreviewDeps } from './preview';
import type { PreflightRunner } from './preflight-route';
import { validationErrorBody } from './request-schemas';
import type { ApiOps } from './ops';
import { RATE_LIMIT_WINDOW_MS, registerRateLimit } from './rate-limit';
import { loginGuardConfig, registerRequestGuard, requiredRole } from './request-guard';
import type { ReconciliationOps } from './reconciliation-ops';
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
  /**
   * Where the per-credential request counters live, shared by every replica (main.ts passes its Redis and
   * QUEUE_PREFIX); default in memory, per process (tests).
   */
  rateLimitRedis?: { client: Redis; prefix: string };
  /** Clock for audit times, lockouts and the prune cutoff; default the system clock. */
  now?: () => Date;
  /** The BullMQ queues Bull Board shows (every flow queue and the poll queue). Not closed by the API. */
  queues: readonly Queue[];
  logger: Logger;
}

/**
 * Builds the Fastify app (not listening) from the route table (api-routes.ts): `GET /health` is public; everything
 * else, Bull Board at /admin/queues and the API page at /docs included, needs `Authorization: Bearer API_TOKEN` or Basic API_BASIC_USER:API_BASIC_PASSWORD,
 * else 401 with a WWW-Authenticate challenge. Throws ConfigError when no credential is configured.
 * Wrong credentials are counted per client address and user name (429 `login_locked` with Retry-After once an
 * address is locked out) and audited as `login-failed`. A state-changing request another site could have made a
 * browser send is refused (403 `cross_site`), and so is a body that is not JSON (415). Every answer carries the
 * security headers (security-headers.ts).
 * Input is validated by each route's zod schemas (400 naming the field). Error answers are JSON
 * `{error, message, field?}` and never carry stack traces.
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
  const guard = createLoginGuard(deps.loginStore ?? createMemoryLoginStore(() => now().getTime()), loginGuardConfig(deps.env));
  const allowedOrigins: ReadonlySet<string> = new Set(deps.env.API_ALLOWED_ORIGINS ?? []);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await registerOpenApi(app);
  await registerSecurityHeaders(app, deps.env.API_HSTS ?? 'auto');

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send(err.body);
    if (hasZodFastifySchemaValidationErrors(err)) return reply.code(400).send(validationErrorBody(err.validation[0], err.validationContext));
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

  // A route with a body schema and no body (or `null`) validates `{}`, unless its table entry requires a body.
  app.addHook('preValidation', async (req) => {
    if (req.body == null && req.routeOptions.schema?.body && !req.routeOptions.config.requireBody) req.body = {};
  });

  const routes = apiRoutes({ ...deps, audit, now, metricsPublic: deps.env.API_METRICS_PUBLIC });
  for (const route of routes) if (route.role === 'public') route.register(app);

  // Everything registered inside this context is authenticated; the public routes above are not.
  await app.register(async (scope) => {
    const limiter = await registerRateLimit(scope, {
      limit: deps.env.API_RATE_LIMIT_PER_MIN ?? 600,
      windowMs: RATE_LIMIT_WINDOW_MS,
      ...(deps.rateLimitRedis ? { redis: deps.rateLimitRedis } : {}),
    });
    registerRequestGuard(scope, { creds, guard, limiter, audit, now, allowedOrigins, metrics: deps.metrics });
    // Audit trail for every change, including Bull Board's own actions (retry, clean, promote ...) and refusals.
    scope.addHook('onResponse', async (req, reply) => {
      if (req.method === 'GET' || req.method === 'HEAD' || req.principal === null || requiredRole(req) !== 'operator') return;
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
    for (const route of routes) if (route.role !== 'public') route.register(scope);
    await registerApiDocsPage(scope);
    await registerBullBoard(scope, deps.queues, deps.env.BULL_BOARD_LOCALE);
  });

  return app;
}
