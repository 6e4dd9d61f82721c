import { loadEnv } from '@sync/config';
import { flowRegistry, kingdeeSourceFlows, loadSyncConfig } from '@sync/flows';
import { createJstClient, jstOptionsFromEnv } from '@sync/jushuitan';
import { createKingdeeClient, kingdeeOptionsFromEnv } from '@sync/kingdee';
import { createLogger } from '@sync/logger';
import { preflightDepsFromEnv, startupPreflight, type StartupPreflight } from '@sync/preflight';
import { createMetricsStore, createRedis, installShutdown, instrumentClient, sharedJstLimiter } from '@sync/queue';
import { createWorkerService } from './worker-service';
import { withStockLocations } from './stock-locations';
import { resolveWorkerFlows } from './resolve-worker-flows';

async function main(): Promise<void> {
  const env = loadEnv();
  const fileConfig = loadSyncConfig(env.SYNC_CONFIG);
  const logger = createLogger({ name: 'worker', level: env.LOG_LEVEL, pretty: env.LOG_PRETTY });
  const kingdee = createKingdeeClient({ ...kingdeeOptionsFromEnv(env, 'the worker'), logger: logger.child({ component: 'kingdee' }) });
  // Location dimensions the config leaves out, read from Kingdee's BD_STOCK (explicit config wins).
  const config = await withStockLocations(fileConfig, kingdee, logger);
  const connection = createRedis(env.REDIS_URL, { role: 'worker', name: 'sync-worker' });
  // JST counts calls per token and endpoint: every process using this token paces through Redis.
  const createSharedJstClient = () => {
    const jstOptions = jstOptionsFromEnv(env, 'the worker (it runs a Kingdee → JST flow)');
    return createJstClient({ ...jstOptions, limiter: sharedJstLimiter(connection, env, jstOptions), logger: logger.child({ component: 'jst' }) });
  };
  const selected = resolveWorkerFlows(env.WORKER_FLOWS, config, { ...flowRegistry, ...kingdeeSourceFlows });
  // A JST client only when this worker runs a Kingdee → JST flow (material) among WORKER_FLOWS.
  const jst = selected.some((f) => f in kingdeeSourceFlows) ? createSharedJstClient() : undefined;
  // Kingdee call latency and errors for /metrics (counters in Redis; best effort).
  const metrics = createMetricsStore(connection, env.QUEUE_PREFIX);
  const timedKingdee = instrumentClient(kingdee, 'kingdee', (s) => void metrics.call(s).catch(() => undefined));
  const service = createWorkerService(env, config, { kingdee: timedKingdee, flows: flowRegistry, connection, logger, kingdeeFlows: kingdeeSourceFlows, jst });
  let preflight: StartupPreflight | undefined;
  installShutdown(
    [async () => (preflight?.stop(), await preflight?.done), () => service.stop(), () => kingdee.close(), async () => void (await connection.quit())],
    { timeoutMs: env.SHUTDOWN_TIMEOUT_MS + 5000, logger },
  );
  await service.start();
  // The preflight doctor's start-up run: warnings in the log only, bounded in time, never blocking the start.
  preflight = startupPreflight({ ...preflightDepsFromEnv(env, config, { jst: jst, logger }), logger });
}

main().catch((err: unknown) => {
  // The logger may not exist yet (bad env or config): print the readable error and exit non-zero.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
