import { loadEnv, loadSyncConfig } from '@sync/config';
import { flowRegistry } from '@sync/flows';
import { createJstClient } from '@sync/jushuitan';
import { createLogger } from '@sync/logger';
import { createRedis, installShutdown } from '@sync/queue';
import { createPollerService } from './poller-service';
import { jstOptionsFromEnv } from './jst-options';

async function main(): Promise<void> {
  const env = loadEnv();
  const config = loadSyncConfig(env.SYNC_CONFIG);
  const logger = createLogger({ name: 'poller', level: env.LOG_LEVEL, pretty: env.LOG_PRETTY });
  const jst = createJstClient({ ...jstOptionsFromEnv(env), logger: logger.child({ component: 'jst' }) });
  const connection = createRedis(env.REDIS_URL, { role: 'worker', name: `${env.QUEUE_PREFIX}-poller` });
  const service = createPollerService(env, config, { jst, flows: flowRegistry, connection, logger });
  installShutdown([() => service.stop(), async () => void (await connection.quit())], {
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS + 5000,
    logger,
  });
  await service.start();
}

main().catch((err: unknown) => {
  // The logger may not exist yet (bad env or config): print the readable error and exit non-zero.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
