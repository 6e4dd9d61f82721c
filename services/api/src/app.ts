import type { Env } from '@sync/config';
import type { Logger } from '@sync/logger';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { authChallenge, authCredentialsFromEnv, authenticate } from './auth';
import { registerBullBoard } from './bull-board';
import { HttpError } from './http-error';
import type { ApiOps } from './ops';
import { registerRoutes } from './routes';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who authenticated (`token` or `basic:<user>`); null on the public /health route. */
    principal: string | null;
  }
}

/** A 4xx error raised by Fastify itself (it sets `statusCode` and `code`), else undefined. */
function clientError(err: unknown): { statusCode: number; code: string; message: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const { statusCode, code } = err as Error & { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  return { statusCode, code: typeof code === 'string' ? code : 'bad_request', message: err.message };
}

/** Largest request body accepted (bytes): a 1000-id resync is about 30 KiB. */
export const BODY_LIMIT = 1024 * 1024;

export interface ApiDeps {
  env: Pick<Env, 'API_TOKEN' | 'API_BASIC_USER' | 'API_BASIC_PASSWORD'>;
  ops: ApiOps;
  /** The BullMQ queues Bull Board shows (every flow queue and the poll queue). Not closed by the API. */
  queues: readonly Queue[];
  logger: Logger;
}

/**
 * Builds the Fastify app (not listening): `GET /health` is public; everything else, Bull Board at
 * /admin/queues included, needs `Authorization: Bearer API_TOKEN` or Basic API_BASIC_USER:API_BASIC_PASSWORD,
 * else 401 with a WWW-Authenticate challenge. Throws ConfigError when no credential is configured.
 * Error answers are JSON `{error, message, field?}` and never carry stack traces.
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const creds = authCredentialsFromEnv(deps.env); // throws before anything listens
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
  });
  app.decorateRequest('principal', null);

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send(err.body);
    const client = clientError(err);
    // Fastify's own client errors (bad JSON, body too large, wrong content type): their messages carry no secrets.
    if (client) return reply.code(client.statusCode).send({ error: client.code, message: client.message });
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error; see the API logs' });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not_found', message: 'no such route' }));

  app.get('/health', async (_req, reply) => {
    const { redis } = await deps.ops.health();
    return reply.code(redis ? 200 : 503).send({ status: redis ? 'ok' : 'degraded', redis });
  });

  // Everything registered inside this context is authenticated; /health above is not.
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (req, reply) => {
      const principal = authenticate(req.headers.authorization, creds);
      if (principal === undefined) {
        return reply
          .code(401)
          .header('www-authenticate', authChallenge(creds))
          .send({ error: 'unauthorized', message: 'missing or wrong credentials' });
      }
      req.principal = principal;
    });
    // Audit trail for every change, including Bull Board's own actions (retry, clean, promote ...).
    scope.addHook('onResponse', async (req, reply) => {
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.principal !== null) {
        req.log.info({ principal: req.principal, method: req.method, url: req.url, statusCode: reply.statusCode }, 'audit');
      }
    });
    registerRoutes(scope, deps.ops);
    await registerBullBoard(scope, deps.queues);
  });

  return app;
}
