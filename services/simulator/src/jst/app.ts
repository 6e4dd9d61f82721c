import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerAdminRoutes } from './admin-routes';
import type { JstSimulatorInternals } from './core';
import { createDelayPool, registerProtocolRoutes } from './protocol-routes';
import { registerQimenRoutes } from './qimen-routes';

/**
 * Builds the Fastify app of the JST simulator over `core` (not listening). Closing the app releases calls held
 * by latency or the hang fault.
 */
export function createJstApp(core: JstSimulatorInternals, opts: { logger?: Logger } = {}): FastifyInstance {
  const app: FastifyInstance = opts.logger
    ? Fastify({ loggerInstance: opts.logger as FastifyBaseLogger, forceCloseConnections: true })
    : Fastify({ logger: false, forceCloseConnections: true });
  const delays = createDelayPool();
  app.addHook('preClose', (done) => {
    delays.flush();
    done();
  });
  registerAdminRoutes(app, core);
  registerProtocolRoutes(app, core, delays);
  registerQimenRoutes(app, core, delays);
  return app;
}
