import { loadEnv } from '@sync/config';
import { flowRegistry, loadSyncConfig } from '@sync/flows';
import { createJstClient, createQimenClient, jstOptionsFromEnv, qimenOptionsFromEnv } from '@sync/jushuitan';
import { createLogger } from '@sync/logger';
import { preflightDepsFromEnv, runPreflight, startupPreflight } from '@sync/preflight';
import { Redis } from 'ioredis';
import { checkRedis, sharedJstLimiter, sharedQimenLimiter } from '@sync/queue';
import { createMetricsStore } from '@sync/queue';
import { createAlertMonitor } from './alerts/alert-monitor';
import { alertChannelsFromEnv } from './alerts/alert-channels';
import { createApiQueues } from './api-queues';
import { createAuditLog } from './audit-log';
import { createRedisLoginStore } from './login-guard';
import { flowDescriptorsFromConfig } from './flow-descriptors';
import { createJstDocumentFetcher } from './jst-document-fetcher';
import { createRedisOps } from './redis-ops';
import { createReconciliationOps } from './reconciliation-ops';
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
  // JST counts calls per token and endpoint: previews pace through Redis with the poller and the workers.
  const createSharedJstClient = () => {
    const jstOptions = jstOptionsFromEnv(env, 'the API (preview by id)');
    return createJstClient({ ...jstOptions, limiter: sharedJstLimiter(redis, env, jstOptions), logger: logger.child({ component: 'jst' }) });
  };
  // One JST client (when the API has JST settings) for previews by id and the preflight doctor.
  const jst = env.JST_APP_KEY && env.JST_APP_SECRET ? createSharedJstClient() : undefined;
  // A Qimen client (when JST_QIMEN_* are set) for the doctor's probe of the 聚水潭·奇门 route, on the poller's shared budget.
  const qimenOptions = env.JST_QIMEN_APP_KEY && env.JST_QIMEN_APP_SECRET && env.JST_QIMEN_CUSTOMER_ID ? qimenOptionsFromEnv(env, 'the API (preflight doctor)') : undefined;
  const qimen = qimenOptions
    ? createQimenClient({ ...qimenOptions, limiter: sharedQimenLimiter(redis, env, qimenOptions), logger: logger.child({ component: 'jst-qimen' }) })
    : undefined;
  const preflightDeps = () => preflightDepsFromEnv(env, config, { jst, qimen, logger });
  const queues = createApiQueues({ connection: redis, prefix: env.QUEUE_PREFIX, flows: flows.map((f) => f.name) });
  const ops = createRedisOps({ redis, prefix: env.QUEUE_PREFIX, flows, queues });
  const reconciliations = createReconciliationOps({ redis, prefix: env.QUEUE_PREFIX, config, flows: flowRegistry, queue: queues.reconcile, ops });
  const audit = createAuditLog(redis, env.QUEUE_PREFIX);
  const service = createApiService(env, {
    ops,
    reconciliations,
    queues: queues.all,
    logger,
    audit,
    loginStore: createRedisLoginStore(redis, env.QUEUE_PREFIX),
    metrics: createMetricsStore(redis, env.QUEUE_PREFIX),
    // Request counters in Redis: API_RATE_LIMIT_PER_MIN holds across replicas.
    rateLimitRedis: { client: redis, prefix: env.QUEUE_PREFIX },
    // Preview by id needs JST credentials in the API; without them only {document} previews work.
    preview: {
      flows: flowRegistry,
      config,
      fetchDocument: jst ? createJstDocumentFetcher(jst, flowRegistry, config) : undefined,
    },
    preflight: (opts) => runPreflight(preflightDeps(), opts),
  });
  const channels = alertChannelsFromEnv(env);
  const alerts = createAlertMonitor({
    redis,
    prefix: env.QUEUE_PREFIX,
    ops,
    reconciliations,
    audit,
    channels,
    rules: { stallMs: env.ALERT_STALL_MS, authFailures: env.ALERT_AUTH_FAILURES, loginFailures: env.ALERT_LOGIN_FAILURES },
    intervalMs: env.ALERT_INTERVAL_MS,
    logger,
  });

  let startup: ReturnType<typeof startupPreflight> | undefined;
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
      startup?.stop();
      await startup?.done;
      await alerts.stop();
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

  // Warns loudly (error level) when Redis may evict keys: every service checks at start (issue 5).
  await checkRedis(redis, logger);
  await service.start();
  // The doctor's start-up run: warnings in the log only, bounded in time, never blocking the start.
  startup = startupPreflight({ ...preflightDeps(), logger });
  if (channels.length) alerts.start();
  else logger.info('no ALERT_*_URL set: alerts are off');
}

main().catch((err: unknown) => {
  // ConfigError messages name the variable; print them plainly, without a stack.
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
