import { loadEnv } from '@sync/config';
import { flowRegistry, kingdeeSourceFlows, loadSyncConfig } from '@sync/flows';
import { createKingdeeClient, kingdeeOptionsFromEnv } from '@sync/kingdee';
import { createJstClient, createQimenClient, jstOptionsFromEnv, qimenOptionsFromEnv, type JstApi } from '@sync/jushuitan';
import { createLogger } from '@sync/logger';
import { preflightDepsFromEnv, startupPreflight, type StartupPreflight } from '@sync/preflight';
import { createMetricsStore, createRedis, installShutdown, instrumentClient, sharedJstLimiter, sharedQimenLimiter } from '@sync/queue';
import { createPollerService } from './poller-service';
import { enabledKingdeeSourceFlows } from './kingdee-source';
import { flowsReadingQimen } from './jst-transports';

async function main(): Promise<void> {
  const env = loadEnv();
  const config = loadSyncConfig(env.SYNC_CONFIG);
  const logger = createLogger({ name: 'poller', level: env.LOG_LEVEL, pretty: env.LOG_PRETTY });
  const connection = createRedis(env.REDIS_URL, { role: 'worker', name: `${env.QUEUE_PREFIX}-poller` });
  const jstOptions = jstOptionsFromEnv(env, 'the poller');
  // JST counts calls per token and endpoint: every process using this token paces through Redis.
  const jst = createJstClient({ ...jstOptions, limiter: sharedJstLimiter(connection, env, jstOptions), logger: logger.child({ component: 'jst' }) });
  // A Kingdee client when a Kingdee → JST flow (material) is enabled (then required), or when the KINGDEE_* settings
  // are given (reconciliations read Kingdee's bills); JST-only deployments need no Kingdee login.
  const kingdee = enabledKingdeeSourceFlows(config, kingdeeSourceFlows).length || env.KINGDEE_ACCT_ID
    ? createKingdeeClient({ ...kingdeeOptionsFromEnv(env, 'the poller (a Kingdee-source flow is enabled, or KINGDEE_ACCT_ID is set)'), logger: logger.child({ component: 'kingdee' }) })
    : undefined;
  // JST call latency and errors per endpoint for /metrics; the scans page through the measured queryPage.
  const metrics = createMetricsStore(connection, env.QUEUE_PREFIX);
  const measured = (api: JstApi): JstApi => instrumentClient(api, 'jst', (s) => void metrics.call(s).catch(() => undefined));
  const measuredJst = measured(jst);
  // A Qimen client only when a flow reads Taobao/Tmall shops through 聚水潭·奇门 (transport: qimen | both).
  const qimenFlows = flowsReadingQimen(config.flows);
  const qimenOptions = qimenFlows.length ? qimenOptionsFromEnv(env, `the poller (flows ${qimenFlows.join(', ')} read through Qimen)`) : undefined;
  const qimen = qimenOptions
    ? measured(createQimenClient({ ...qimenOptions, limiter: sharedQimenLimiter(connection, env, qimenOptions), logger: logger.child({ component: 'jst-qimen' }) }))
    : undefined;
  const service = createPollerService(env, config, { jst: measuredJst, qimen, flows: flowRegistry, connection, logger, kingdeeFlows: kingdeeSourceFlows, kingdee });
  let preflight: StartupPreflight | undefined;
  installShutdown([async () => (preflight?.stop(), await preflight?.done), () => service.stop(), async () => void (await kingdee?.close()), async () => void (await connection.quit())], {
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS + 5000,
    logger,
  });
  await service.start();
  // The preflight doctor's start-up run: warnings in the log only, bounded in time, never blocking the start.
  preflight = startupPreflight({ ...preflightDepsFromEnv(env, config, { jst: measuredJst, qimen, logger }), logger });
}

main().catch((err: unknown) => {
  // The logger may not exist yet (bad env or config): print the readable error and exit non-zero.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
