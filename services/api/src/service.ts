import type { Env } from '@sync/config';
import type { Logger } from '@sync/logger';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { buildApi, type ApiDeps } from './app';
import type { ApiOps } from './ops';

export interface ApiService {
  /** Builds the app and listens on API_HOST:API_PORT (0 = any free port). Resolves with the URL it listens on. */
  start(): Promise<{ url: string }>;
  /** Stops accepting connections and waits for in-flight requests. Idempotent. Does not close `deps`. */
  stop(): Promise<void>;
}

/**
 * The API service (STYLE principle 3): everything it uses is passed in; the caller closes the queues and
 * Redis connections it created after `stop()`. `start()` throws ConfigError when no credential is configured.
 */
export function createApiService(
  env: Pick<Env, 'API_HOST' | 'API_PORT'> & ApiDeps['env'],
  deps: { ops: ApiOps; queues: readonly Queue[]; logger: Logger } & Pick<ApiDeps, 'audit' | 'loginStore' | 'metrics' | 'preview' | 'preflight' | 'now' | 'reconciliations' | 'rateLimitRedis'>,
): ApiService {
  let app: FastifyInstance | undefined;
  return {
    async start() {
      if (app) throw new Error('API service already started');
      app = await buildApi({ env, ...deps });
      const address = await app.listen({ host: env.API_HOST, port: env.API_PORT });
      const url = address.replace('[::]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
      deps.logger.info({ url }, 'API listening');
      return { url };
    },
    async stop() {
      const current = app;
      app = undefined;
      await current?.close();
    },
  };
}
