import { loadEnv, loadSyncConfig } from '@sync/config';
import { flowRegistry } from '@sync/flows';
import { createKingdeeClient } from '@sync/kingdee';
import { createLogger } from '@sync/logger';
import { createRedis, installShutdown } from '@sync/queue';
import { createWorkerService } from './worker-service';
import { kingdeeOptionsFromEnv } from './kingdee-options';

async function main(): Promise<void> {
  const env = loadEnv();
  const config = loadSyncConfig(env.SYNC_CONFIG);
  const logger = createLogger({ name: 'worker', level: env.LOG_LEVEL, pretty: env.LOG_PRETTY });
  const kingdee = createKingdeeClient({ ...kingdeeOptionsFromEnv(env), logger: logger.child({ component: 'kingdee' }) });
  const connection = createRedis(env.REDIS_URL, { role: 'worker', name: 'sync-worker' });
  const service = createWorkerService(env, config, { kingdee, flows: flowRegistry, connection, logger });
  installShutdown(
    [() => service.stop(), () => kingdee.close(), async () => void (await connection.quit())],
    { timeoutMs: env.SHUTDOWN_TIMEOUT_MS + 5000, logger },
  );
  await service.start();
}

main().catch((err: unknown) => {
  // The logger may not exist yet (bad env or config): print the readable error and exit non-zero.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
