/**
 * The poller and the worker in this process, over real HTTP (both simulators) and real Redis: the pipeline the
 * in-process reliability tests break. `stop()` closes everything it opened (never the simulators).
 */
import { loadEnv, type Env } from '@sync/config';
import { flowRegistry, loadSyncConfig, type SyncConfig } from '@sync/flows';
import { createJstClient, type JstApi } from '@sync/jushuitan';
import { createKingdeeClient, type KingdeeApi } from '@sync/kingdee';
import { silentLogger } from '@sync/logger';
import { createPollerService, type PollerService } from '@sync/poller';
import type { DocumentQueue } from '@sync/queue';
import { demoCredentials } from '@sync/simulator';
import { createWorkerService, type WorkerService } from '@sync/worker';
import { FLOW, serviceEnv, writeTestConfig, type FlowPatch } from './harness';

export interface PipelineOptions {
  redisUrl: string;
  prefix: string;
  jstUrl: string;
  kdUrl: string;
  flow?: FlowPatch;
  /** Kingdee client timeout per request (ms). */
  kingdeeTimeoutMs?: number;
  /** Extra env variables (WORKER_CONCURRENCY, SHUTDOWN_TIMEOUT_MS, ...). */
  env?: Record<string, string>;
  /** Replaces the JST client (a wrapper that injects faults between pages, for example). */
  jst?: (real: JstApi) => JstApi;
  /** Start the worker (default true). */
  worker?: boolean;
}

export interface Pipeline {
  env: Env;
  config: SyncConfig;
  poller: PollerService;
  worker?: WorkerService;
  kingdee: KingdeeApi;
  /** The flow queue, to count jobs. */
  queue: DocumentQueue;
  /** Waiting + active + delayed + prioritized jobs of the flow queue. */
  pending(): Promise<number>;
  stop(): Promise<void>;
}

/** Builds and starts the poller (schedulers on) and, unless `worker: false`, the worker. */
export async function startPipeline(opts: PipelineOptions): Promise<Pipeline> {
  const configPath = writeTestConfig({ everyMs: 1000, attempts: 20, backoffMs: 200, ...opts.flow });
  const env = loadEnv(serviceEnv({ redisUrl: opts.redisUrl, prefix: opts.prefix, jstUrl: opts.jstUrl, kdUrl: opts.kdUrl, configPath }, opts.env));
  const config = loadSyncConfig(configPath);
  const logger = silentLogger();
  const realJst = createJstClient({ baseUrl: env.JST_BASE_URL, appKey: env.JST_APP_KEY!, appSecret: env.JST_APP_SECRET!, accessToken: env.JST_ACCESS_TOKEN, logger });
  const jst = opts.jst ? opts.jst(realJst) : realJst;
  const kingdee = createKingdeeClient({
    baseUrl: env.KINGDEE_BASE_URL,
    auth: 'password',
    acctId: demoCredentials.kingdee.acctId,
    users: demoCredentials.kingdee.users.map((u) => ({ username: u.username, password: u.password })),
    timeoutMs: opts.kingdeeTimeoutMs ?? 10_000,
    logger,
  });
  const worker = opts.worker === false ? undefined : createWorkerService(env, config, { kingdee, flows: flowRegistry, logger });
  const poller = createPollerService(env, config, { jst, flows: flowRegistry, logger });
  const queue = poller.queues.flow(FLOW); // closed by poller.stop()
  await worker?.start();
  await poller.start();
  let stopped: Promise<void> | undefined;
  return {
    env,
    config,
    poller,
    worker,
    kingdee,
    queue,
    async pending() {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return c.waiting + c.active + c.delayed + c.prioritized;
    },
    stop() {
      stopped ??= (async () => {
        await poller.stop();
        await worker?.stop();
        await kingdee.close();
      })();
      return stopped;
    },
  };
}
