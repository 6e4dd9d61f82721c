/**
 * Shared harness of the purchase end-to-end tests: both simulators over real HTTP, real Redis with a unique
 * prefix, the poller, worker and API services in-process, running only the one flow under test. `onPage`
 * runs after every JST page the poller reads, so a test can change documents while the poller pages.
 */
import path from 'node:path';
import { loadEnv, loadSyncConfig, type FlowName, type SyncConfig } from '@sync/config';
import { flowRegistry } from '@sync/flows';
import { createJstClient, scanByTsWith, scanWindowWith, type JstApi } from '@sync/jushuitan';
import { createKingdeeClient } from '@sync/kingdee';
import { silentLogger } from '@sync/logger';
import { createApiQueues, createApiService, createRedisOps, flowDescriptorsFromConfig } from '@sync/api';
import { createPollerService } from '@sync/poller';
import { createWorkerService } from '@sync/worker';
import { createRedis } from '@sync/queue';
import { demoCredentials, startJstSimulator, startKingdeeSimulator, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { testRedisUrl } from '@sync/testing';

export interface PurchaseHarness {
  jstSim: JstSimulator;
  kdSim: KingdeeSimulator;
  config: SyncConfig;
  /** One poll of the flow, or a resync (`{ docIds }` / `{ from, to }`). */
  pollOnce(resync?: { docIds: string[] } | { from: string; to: string }): Promise<unknown>;
  deadLetters(): Promise<{ docId: string; code: string; message: string }[]>;
  /** True when the flow queue has nothing waiting, active or delayed. */
  idle(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startPurchaseHarness(
  flow: FlowName,
  prefix: string,
  seed: (jst: JstSimulator) => void,
  onPage: (jst: JstSimulator) => void,
): Promise<PurchaseHarness> {
  const jstSim = await startJstSimulator({});
  const kdSim = await startKingdeeSimulator({});
  seed(jstSim);
  const apiToken = 'e2e-api-token-123456';
  const env = loadEnv({
    REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent',
    JST_BASE_URL: jstSim.url, JST_APP_KEY: demoCredentials.jst.appKey, JST_APP_SECRET: demoCredentials.jst.appSecret,
    JST_ACCESS_TOKEN: demoCredentials.jst.accessToken,
    KINGDEE_BASE_URL: kdSim.url, KINGDEE_AUTH: 'password', KINGDEE_ACCT_ID: demoCredentials.kingdee.acctId,
    KINGDEE_USERNAME: demoCredentials.kingdee.users.map((u) => u.username).join(','),
    KINGDEE_PASSWORD: demoCredentials.kingdee.users.map((u) => u.password).join(','),
    API_HOST: '127.0.0.1', API_PORT: '0', API_TOKEN: apiToken, WORKER_CONCURRENCY: '4', SHUTDOWN_TIMEOUT_MS: '5000',
  });
  const fileConfig = loadSyncConfig(path.resolve(__dirname, '../../config/sync.config.yaml'));
  const settings = fileConfig.flows[flow]!;
  // Only the flow under test runs; windows end at "now" so documents changed during the test are read next poll.
  const config: SyncConfig = {
    ...fileConfig,
    flows: { [flow]: { ...settings, schedule: { ...settings.schedule, everyMs: 1000, lagSeconds: 0 } } },
  };
  const logger = silentLogger();
  const realJst = createJstClient({ baseUrl: env.JST_BASE_URL, appKey: env.JST_APP_KEY!, appSecret: env.JST_APP_SECRET!, accessToken: env.JST_ACCESS_TOKEN, logger });
  const queryPage: JstApi['queryPage'] = async (p, b) => {
    const page = await realJst.queryPage(p, b);
    onPage(jstSim);
    return page;
  };
  const jst: JstApi = {
    call: (p, b) => realJst.call(p, b),
    queryPage,
    scanByTs: (p, s, o) => scanByTsWith(queryPage, p, s, o),
    scanWindow: (p, w, o) => scanWindowWith(queryPage, logger, p, w, o),
  };
  const kingdee = createKingdeeClient({
    baseUrl: env.KINGDEE_BASE_URL, auth: 'password', acctId: env.KINGDEE_ACCT_ID!,
    users: demoCredentials.kingdee.users.map((u) => ({ username: u.username, password: u.password })), timeoutMs: 10000, logger,
  });
  const worker = createWorkerService(env, config, { kingdee, flows: flowRegistry, logger });
  const poller = createPollerService(env, config, { jst, flows: flowRegistry, logger });
  const apiRedis = createRedis(env.REDIS_URL, { role: 'producer', name: `${prefix}-api` });
  const flows = flowDescriptorsFromConfig(config, { [flow]: flowRegistry[flow].title });
  const queues = createApiQueues({ connection: apiRedis, prefix, flows: flows.map((f) => f.name) });
  const api = createApiService(env, { ops: createRedisOps({ redis: apiRedis, prefix, flows, queues }), queues: queues.all, logger });
  await worker.start();
  await poller.start();
  const apiUrl = (await api.start()).url;
  const authed = { authorization: `Bearer ${apiToken}` };
  const stops: (() => Promise<unknown>)[] = [
    () => poller.stop(), () => worker.stop(), () => api.stop(), () => queues.close(), () => apiRedis.quit(),
    () => kingdee.close(), () => jstSim.close(), () => kdSim.close(),
  ];
  return {
    jstSim,
    kdSim,
    config,
    pollOnce: (resync) => poller.pollOnce(flow, resync),
    async deadLetters() {
      const res = await fetch(`${apiUrl}/dead-letters?flow=${flow}&limit=1000`, { headers: authed });
      if (res.status !== 200) throw new Error(`GET /dead-letters answered ${res.status}`);
      return ((await res.json()) as { deadLetters: { docId: string; code: string; message: string }[] }).deadLetters;
    },
    async idle() {
      const res = await fetch(`${apiUrl}/flows`, { headers: authed });
      const body = (await res.json()) as { flows: { name: string; counts: Record<string, number> }[] };
      const c = body.flows.find((f) => f.name === flow)!.counts;
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
    },
    async stop() {
      for (const s of stops) await s().catch(() => undefined);
      const redis = createRedis(testRedisUrl(), { role: 'worker', name: `${prefix}-cleanup` });
      const doomed = await redis.keys(`${prefix}:*`);
      if (doomed.length) await redis.del(...doomed);
      await redis.quit();
    },
  };
}

export async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `yyyy-MM-dd` of a date or datetime text. */
export const day = (s: unknown): string | undefined => (typeof s === 'string' && s.length >= 10 ? s.slice(0, 10) : undefined);
