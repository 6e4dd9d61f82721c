/**
 * Shared set-up of the end-to-end tests: the real JST and Kingdee clients against the simulators, and the worker,
 * poller and API services in-process, on a Redis key prefix of their own. A hook runs between the pages the
 * poller reads, so tests can change documents while it pages.
 */
import path from 'node:path';
import { loadEnv, type Env } from '@sync/config';
import { flowRegistry, loadSyncConfig, type SyncConfig } from '@sync/flows';
import { createJstClient, createQimenClient, type JstApi } from '@sync/jushuitan';
import { createKingdeeClient } from '@sync/kingdee';
import { silentLogger } from '@sync/logger';
import { createApiQueues, createApiService, createReconciliationOps, createRedisOps, flowDescriptorsFromConfig } from '@sync/api';
import { createPollerService } from '@sync/poller';
import { createWorkerService, withStockLocations } from '@sync/worker';
import { createRedis } from '@sync/queue';
import { demoCredentials, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { testRedisUrl } from '@sync/testing';

const root = path.resolve(__dirname, '../..');

/** Resolves once `check` holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Runs `poll` until one poll actually ran (not skipped behind a scheduled poll holding the flow's lock) and returns
 * how many new jobs it enqueued: 0 proves that a second poll adds nothing, with no wait for "nothing more happened".
 */
export async function enqueuedBy(poll: () => Promise<unknown>, timeoutMs = 30000): Promise<number> {
  let enqueued: number | undefined;
  await until('a poll that ran', async () => {
    const result = (await poll()) as { counts?: { enqueued?: number } };
    enqueued = result.counts?.enqueued;
    return enqueued !== undefined;
  }, timeoutMs, 100);
  return enqueued!;
}

/** The date part (yyyy-MM-dd) of a date or date-time string. */
export const day = (s: unknown): string | undefined => (typeof s === 'string' && s.length >= 10 ? s.slice(0, 10) : undefined);

/** The demo configuration (config/sync.config.yaml). */
export function demoConfig(): SyncConfig {
  return loadSyncConfig(path.join(root, 'config/sync.config.yaml'));
}

/** Flow settings that poll every second with no lag, so documents changed during a scan are read on the next poll. */
export function fast<T extends { schedule: object }>(settings: T): T {
  return { ...settings, schedule: { ...settings.schedule, everyMs: 1000, lagSeconds: 0 } };
}

export interface E2EPipeline {
  env: Env;
  apiUrl: string;
  /** Headers with the operator token. */
  authed: Record<string, string>;
  /** One poll of a flow, or a resync (`{ docIds }` / `{ from, to }`). */
  pollOnce(flow: string, resync?: { docIds: string[] } | { from: string; to: string }): Promise<unknown>;
  /** Dead letters of a flow, through the API. */
  deadLetters(flow: string): Promise<{ docId: string; code: string; message: string }[]>;
  /** No job of the flow waiting, active or delayed (through the API). */
  idle(flow: string): Promise<boolean>;
  /** Stops the worker and starts a new one on `config` (what an operator does after fixing the config file). */
  restartWorker(config: SyncConfig): Promise<void>;
  /** Stops the services and the simulators, and deletes the prefix's keys. */
  stop(): Promise<void>;
}

export interface E2EOptions {
  prefix: string;
  jstSim: JstSimulator;
  kdSim: KingdeeSimulator;
  /** Only the flows under test should be in it: others would poll endpoints the test does not seed. */
  config: SyncConfig;
  /** Runs after each page the poller reads (path of the endpoint, biz sent). */
  afterPage?: (path: string, biz: Record<string, unknown>) => void;
  /** Changes the biz of each query (e.g. a smaller page_size so a scan takes several pages). */
  biz?: (biz: Record<string, unknown>) => Record<string, unknown>;
  env?: Record<string, string>;
  /** Gives the poller a Qimen client on the JST simulator's router (demo Qimen app); afterPage and biz apply to it too. */
  qimen?: boolean;
}

export async function startE2EPipeline(opts: E2EOptions): Promise<E2EPipeline> {
  // No scheduled reconciliation (the demo file has one): tests that reconcile start their runs themselves.
  const o = { ...opts, config: { ...opts.config, reconciliation: { ...opts.config.reconciliation, schedule: undefined } } };
  const apiToken = `e2e-token-${o.prefix}`;
  const env = loadEnv({
    REDIS_URL: testRedisUrl(), QUEUE_PREFIX: o.prefix, LOG_LEVEL: 'silent',
    JST_BASE_URL: o.jstSim.url, JST_APP_KEY: demoCredentials.jst.appKey, JST_APP_SECRET: demoCredentials.jst.appSecret,
    JST_ACCESS_TOKEN: demoCredentials.jst.accessToken,
    KINGDEE_BASE_URL: o.kdSim.url, KINGDEE_AUTH: 'password', KINGDEE_ACCT_ID: demoCredentials.kingdee.acctId,
    KINGDEE_USERNAME: demoCredentials.kingdee.users.map((u) => u.username).join(','),
    KINGDEE_PASSWORD: demoCredentials.kingdee.users.map((u) => u.password).join(','),
    API_HOST: '127.0.0.1', API_PORT: '0', API_TOKEN: apiToken, WORKER_CONCURRENCY: '4', SHUTDOWN_TIMEOUT_MS: '5000',
    ...o.env,
  });
  const logger = silentLogger();
  const realJst = createJstClient({ baseUrl: env.JST_BASE_URL, appKey: env.JST_APP_KEY!, appSecret: env.JST_APP_SECRET!, accessToken: env.JST_ACCESS_TOKEN, logger });
  const hooked = (api: JstApi): JstApi => {
    const queryPage: JstApi['queryPage'] = async (p, b) => {
      const biz = o.biz ? o.biz(b) : b;
      const page = await api.queryPage(p, biz);
      o.afterPage?.(p, biz);
      return page;
    };
    return { call: (p, b) => api.call(p, b), queryPage };
  };
  const jst = hooked(realJst);
  const qimen = o.qimen
    ? hooked(createQimenClient({
      url: `${o.jstSim.url}/router/qm`, appKey: demoCredentials.qimen.appKey, appSecret: demoCredentials.qimen.appSecret,
      customerId: demoCredentials.qimen.customerId, timeoutMs: 10000, logger,
    }))
    : undefined;
  const kingdee = createKingdeeClient({
    baseUrl: env.KINGDEE_BASE_URL, auth: 'password', acctId: env.KINGDEE_ACCT_ID!,
    users: demoCredentials.kingdee.users.map((u) => ({ username: u.username, password: u.password })), timeoutMs: 10000, logger,
  });
  // As the worker's main.ts does: location dimensions the config leaves out come from Kingdee's BD_STOCK.
  const startWorker = async (config: SyncConfig) => createWorkerService(env, await withStockLocations(config, kingdee, logger), { kingdee, flows: flowRegistry, logger });
  let worker = await startWorker(o.config);
  // The poller reads Kingdee too: reconciliations run there.
  const poller = createPollerService(env, o.config, { jst, qimen, flows: flowRegistry, logger, kingdee });
  const apiRedis = createRedis(env.REDIS_URL, { role: 'worker', name: `${o.prefix}-api` });
  const titles = Object.fromEntries(Object.entries(flowRegistry).map(([name, flow]) => [name, flow.title]));
  const flows = flowDescriptorsFromConfig(o.config, titles);
  const queues = createApiQueues({ connection: apiRedis, prefix: o.prefix, flows: flows.map((f) => f.name) });
  const ops = createRedisOps({ redis: apiRedis, prefix: o.prefix, flows, queues });
  const reconciliations = createReconciliationOps({ redis: apiRedis, prefix: o.prefix, config: o.config, flows: flowRegistry, queue: queues.reconcile, ops });
  const api = createApiService(env, { ops, reconciliations, queues: queues.all, logger });
  await worker.start();
  await poller.start();
  const apiUrl = (await api.start()).url;
  const authed = { authorization: `Bearer ${apiToken}` };

  return {
    env,
    apiUrl,
    authed,
    pollOnce: (flow, resync) => poller.pollOnce(flow, resync),
    async restartWorker(config) {
      await worker.stop();
      worker = await startWorker(config);
      await worker.start();
    },
    async deadLetters(flow) {
      const res = await fetch(`${apiUrl}/dead-letters?flow=${flow}&limit=1000`, { headers: authed });
      if (res.status !== 200) throw new Error(`GET /dead-letters answered ${res.status}`);
      return ((await res.json()) as { deadLetters: { docId: string; code: string; message: string }[] }).deadLetters;
    },
    async idle(flow) {
      const res = await fetch(`${apiUrl}/flows`, { headers: authed });
      const body = (await res.json()) as { flows: { name: string; counts: Record<string, number> }[] };
      const c = body.flows.find((f) => f.name === flow)!.counts;
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
    },
    async stop() {
      const stops: (() => Promise<unknown>)[] = [
        () => poller.stop(), () => worker.stop(), () => api.stop(), () => queues.close(), () => apiRedis.quit(),
        () => kingdee.close(), () => o.jstSim.close(), () => o.kdSim.close(),
      ];
      for (const stop of stops) await stop().catch(() => undefined);
      const redis = createRedis(testRedisUrl(), { role: 'worker', name: `${o.prefix}-cleanup` });
      const doomed = await redis.keys(`${o.prefix}:*`);
      if (doomed.length) await redis.del(...doomed);
      await redis.quit();
    },
  };
}
