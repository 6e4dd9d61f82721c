import { loadEnv, loadSyncConfig } from '@sync/config';
import { flowRegistry } from '@sync/flows';
import { createLogger } from '@sync/logger';
import { Redis } from 'ioredis';
import { createApiQueues } from './api-queues';
import { flowDescriptorsFromConfig } from './flow-descriptors';
import { createRedisOps } from './redis-ops';
import { createApiService } from './service';

/** Entry point: `node services/api/dist/main.js`. Reads env and config once, wires Redis ops, serves until a signal. */
async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ name: 'api', level: env.LOG_LEVEL, pretty: env.LOG_PRETTY });
  const config = loadSyncConfig(env.SYNC_CONFIG);
  const titles = Object.fromEntries(Object.entries(flowRegistry).map(([name, flow]) => [name, flow.title]));
  const flows = flowDescriptorsFromConfig(config, titles);

  // Requests fail fast while Redis is away instead of queueing up behind a reconnect.
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const queues = createApiQueues({ connection: redis, prefix: env.QUEUE_PREFIX, flows: flows.map((f) => f.name) });
  const ops = createRedisOps({ redis, prefix: env.QUEUE_PREFIX, flows, queues });
  const service = createApiService(env, { ops, queues: queues.all, logger });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), env.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    try {
      await service.stop();
      await queues.close();
      await redis.quit();
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGTERM', (s) => void shutdown(s));
  process.on('SIGINT', (s) => void shutdown(s));

  await service.start();
}

main().catch((err: unknown) => {
  // ConfigError messages name the variable; print them plainly, without a stack.
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
