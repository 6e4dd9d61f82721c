/**
 * The system under test, in this process: both simulators over real HTTP (port 0), a real Redis, the JST, Qimen
 * and Kingdee clients built from the environment as the services' main.ts build them, and the poller, worker and
 * API services, on a Redis key prefix of the test's own. Every end-to-end and reliability test starts it here.
 *
 * It lives in the tests, not in @sync/testing: it imports the services, and the services' own integration tests
 * import @sync/testing (a package that depended on the services would close that circle). What needs no service
 * (the simulators, `until`, the prefix cleanup, the services' environment) is in @sync/testing.
 */
import { Writable } from 'node:stream';
import path from 'node:path';
import { loadEnv, type Env } from '@sync/config';
import { flowRegistry, kingdeeSourceFlows, loadSyncConfig, type SyncConfig } from '@sync/flows';
import {
  createJstClient, createQimenClient, jstOptionsFromEnv, qimenOptionsFromEnv, type JstApi, type JstClientOptions,
} from '@sync/jushuitan';
import { createKingdeeClient, kingdeeOptionsFromEnv, type KingdeeApi } from '@sync/kingdee';
import { createLogger, type Logger } from '@sync/logger';
import {
  createAlertMonitor, createApiQueues, createApiService, createAuditLog, createReconciliationOps, createRedisOps, flowDescriptorsFromConfig,
} from '@sync/api';
import { preflightDepsFromEnv, runPreflight } from '@sync/preflight';
import { createPollerService, type PollerService, type PollResult } from '@sync/poller';
import { createWorkerService, withStockLocations, type WorkerService } from '@sync/worker';
import { auditKeyspace, createLedger, createMetricsStore, createRedis, listDeadLetters, type DocumentQueue, type Ledger } from '@sync/queue';
import type { JstSimulator, KingdeeSimulator } from '@sync/simulator';
import { clearPrefix, servicesEnv, startSimulators, testRedisUrl, until, type Simulators } from '@sync/testing';
import type { Redis } from 'ioredis';

const root = path.resolve(__dirname, '../..');

/** The demo configuration (config/sync.config.yaml). */
export function demoConfig(): SyncConfig {
  return loadSyncConfig(path.join(root, 'config/sync.config.yaml'));
}

/** Flow settings that poll every second with no lag, so documents changed during a scan are read on the next poll. */
export function fast<T extends { schedule: object }>(settings: T): T {
  return { ...settings, schedule: { ...settings.schedule, everyMs: 1000, lagSeconds: 0 } };
}

/** The date part (yyyy-MM-dd) of a date or date-time string. */
export const day = (s: unknown): string | undefined => (typeof s === 'string' && s.length >= 10 ? s.slice(0, 10) : undefined);

/**
 * Runs `poll` until one poll actually ran (not skipped behind a scheduled poll holding the flow's lock) and returns
 * how many new jobs it enqueued: 0 proves that a second poll adds nothing, with no wait for "nothing more happened".
 */
export async function enqueuedBy(poll: () => Promise<PollResult>, timeoutMs = 30000): Promise<number> {
  let enqueued: number | undefined;
  await until('a poll that ran', async () => {
    const result = await poll();
    enqueued = 'counts' in result ? result.counts.enqueued : undefined;
    return enqueued !== undefined;
  }, timeoutMs, 100);
  return enqueued!;
}

/** Every line the loggers of a system wrote (trace level), for tests that read the logs. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer | string, _enc, done) => {
      this.lines.push(String(chunk));
      done();
    },
  });
  text(): string {
    return this.lines.join('');
  }
}

export type ServiceName = 'poller' | 'worker' | 'api';

/** What a faulty or busy JST does to the poller's page queries (open API and Qimen alike). */
export interface JstFaults {
  /** Changes the biz of each page query before it is sent (e.g. a smaller page_size, so a scan takes pages). */
  biz?: (biz: Record<string, unknown>) => Record<string, unknown>;
  /** Damages each raw row of a page before the poller sees it (the simulator's store refuses such rows itself). */
  row?: (row: Record<string, unknown>) => Record<string, unknown>;
  /** Runs after each page the poller read (path, biz sent): documents may change in the simulator between pages. */
  afterPage?: (path: string, biz: Record<string, unknown>) => void;
  /** Passes of a window scan at most (1: no re-read of a window whose rows shifted). */
  windowPasses?: number;
}

/** Faults between the services and the systems they talk to. */
export interface SystemFaults {
  jst?: JstFaults;
  /** Wraps the Kingdee client of the worker and the poller (an answer the simulator would not give, for example). */
  kingdee?: (client: KingdeeApi) => KingdeeApi;
  /** The JST base URL the clients use, given the simulator's (a proxy in front of it, for example). */
  jstUrl?: (simUrl: string) => Promise<string>;
  /** The Kingdee base URL the clients use, given the simulator's. */
  kingdeeUrl?: (simUrl: string) => Promise<string>;
}

/** The API's alert monitor, when a test wants one: it gets the API's Redis, prefix and operations. */
export interface AlertOptions {
  channels: Parameters<typeof createAlertMonitor>[0]['channels'];
  rules: Parameters<typeof createAlertMonitor>[0]['rules'];
  intervalMs: number;
}

export interface SystemOptions {
  /** The Redis key prefix (uniquePrefix of the test); stop() deletes its keys. */
  prefix: string;
  /** Default: the test Redis (REDIS_URL). */
  redisUrl?: string;
  /** The simulators (seeded by the test); default a fresh pair. The system closes them on stop() unless keepSimulators. */
  simulators?: Simulators;
  /** Leave the simulators open on stop() (several systems share them). */
  keepSimulators?: boolean;
  /** Leave the prefix's keys on stop() (a service process carries on with the jobs). */
  keepKeys?: boolean;
  /** Default the demo configuration. The scheduled reconciliation is always off: tests start their runs. */
  config?: SyncConfig;
  /**
   * The services that run (default all three). The poller is built in any case (pollOnce, its queues); listed,
   * its schedulers run too.
   */
  services?: readonly ServiceName[];
  faults?: SystemFaults;
  /** Environment over servicesEnv's (strings, as a process gets them). */
  env?: Record<string, string>;
  /** The poller gets a Qimen client on the JST simulator's router (demo Qimen app). */
  qimen?: boolean;
  /** JST client options beyond the environment's (a limiter, a clock, in-client rate-limit delays). */
  jstClient?: Partial<JstClientOptions>;
  /** The poller's flow registry (default the registry): a test's variant of a flow. */
  flows?: Parameters<typeof createPollerService>[2]['flows'];
  /** The poller's clock (default the system clock). */
  now?: () => Date;
  /** Logs of every service and client, at trace level; default none. */
  logs?: LogCapture;
  /** Starts the API's alert monitor: its first check before the services start, then its loop. */
  alerts?: AlertOptions;
}

/** A dead letter as the API lists it. */
export interface Letter {
  /** null: the job carried no document id (a row dead-lettered before its id could be read). */
  docId: string | null;
  code: string;
  message: string;
  attemptsMade?: number;
}

export interface System {
  env: Env;
  config: SyncConfig;
  jstSim: JstSimulator;
  kdSim: KingdeeSimulator;
  logger: Logger;
  poller: PollerService;
  /** The JST client the poller uses (faults included). */
  jst: JstApi;
  /** The Kingdee client the worker and the poller use (faults included). */
  kingdee: KingdeeApi;
  /** A connection of the test's own, for reading state. */
  redis: Redis;
  ledger: Ledger;
  /** The API's URL ('' without the API). */
  apiUrl: string;
  /** Headers with the operator token. */
  authed: Record<string, string>;
  alerts?: ReturnType<typeof createAlertMonitor>;
  /** The document queue of a flow of the config. */
  queue(flow: string): DocumentQueue;
  /** One poll of a flow, or a resync (`{ docIds }` / `{ from, to }`). */
  pollOnce(flow: string, resync?: Parameters<PollerService['pollOnce']>[1]): Promise<PollResult>;
  /** Jobs waiting, active, delayed or prioritized in `flow` (default: every flow of the config). */
  pending(flow?: string): Promise<number>;
  /** No job pending in `flow` (default: every flow of the config). */
  idle(flow?: string): Promise<boolean>;
  /** A flow's dead letters: through GET /dead-letters when the API runs (what an operator sees), else from the queue. */
  deadLetters(flow: string): Promise<Letter[]>;
  /** Stops the worker and starts a new one on `config` (what an operator does after fixing the config file). */
  restartWorker(config: SyncConfig): Promise<void>;
  /** Stops every service, closes what the system opened (and its simulators), deletes the prefix's keys. Idempotent. */
  stop(): Promise<void>;
}

/** `api` with `faults` applied to its page queries (the poller scans over `queryPage`, so every read sees them). */
function withJstFaults(api: JstApi, faults: JstFaults | undefined): JstApi {
  if (!faults) return api;
  const queryPage: JstApi['queryPage'] = async (p, b) => {
    const biz = faults.biz ? faults.biz(b) : b;
    let page = await api.queryPage(p, biz);
    const damage = faults.row;
    if (damage) page = { ...page, datas: page.datas.map((r) => (typeof r === 'object' && r !== null ? damage(r as Record<string, unknown>) : r)) };
    faults.afterPage?.(p, biz);
    return page;
  };
  return { call: (p, b) => api.call(p, b), queryPage };
}

/**
 * Starts the system: the simulators (given or fresh), the clients, the worker (its config completed with the
 * stock locations Kingdee holds, as its main.ts does), the poller and the API with its Redis-backed audit log,
 * metrics and reconciliations. Each test file passes its own prefix; `stop()` leaves nothing open behind it.
 */
export async function startSystem(opts: SystemOptions): Promise<System> {
  const services = new Set(opts.services ?? ['poller', 'worker', 'api']);
  const sims = opts.simulators ?? (await startSimulators());
  const fileConfig = opts.config ?? demoConfig();
  const config: SyncConfig = { ...fileConfig, reconciliation: { ...fileConfig.reconciliation, schedule: undefined } };
  const redisUrl = opts.redisUrl ?? testRedisUrl();
  const env = loadEnv(servicesEnv({
    redisUrl,
    prefix: opts.prefix,
    jstUrl: opts.faults?.jstUrl ? await opts.faults.jstUrl(sims.jst.url) : sims.jst.url,
    kdUrl: opts.faults?.kingdeeUrl ? await opts.faults.kingdeeUrl(sims.kingdee.url) : sims.kingdee.url,
    qimen: opts.qimen,
  }, { API_TOKEN: `e2e-token-${opts.prefix}`, KINGDEE_TIMEOUT_MS: '10000', ...(opts.logs ? { LOG_LEVEL: 'trace' } : {}), ...opts.env }));
  const logger = opts.logs ? createLogger({ name: 'system', level: 'trace', destination: opts.logs.stream }) : createLogger({ name: 'system', level: 'silent' });

  const jstLogger = logger.child({ component: 'jst' });
  const jst = withJstFaults(createJstClient({ ...jstOptionsFromEnv(env, 'the test system'), logger: jstLogger, ...opts.jstClient }), opts.faults?.jst);
  const qimen = opts.qimen
    ? withJstFaults(createQimenClient({ ...qimenOptionsFromEnv(env, 'the test system'), logger: logger.child({ component: 'jst-qimen' }) }), opts.faults?.jst)
    : undefined;
  const realKingdee = createKingdeeClient({ ...kingdeeOptionsFromEnv(env, 'the test system'), logger: logger.child({ component: 'kingdee' }) });
  const kingdee = opts.faults?.kingdee ? opts.faults.kingdee(realKingdee) : realKingdee;
  const flows = opts.flows ?? flowRegistry;

  const startWorker = async (c: SyncConfig): Promise<WorkerService> => {
    const w = createWorkerService(env, await withStockLocations(c, kingdee, logger), { kingdee, flows: flowRegistry, kingdeeFlows: kingdeeSourceFlows, jst, logger });
    await w.start();
    return w;
  };
  const poller = createPollerService(env, config, { jst, qimen, flows, kingdeeFlows: kingdeeSourceFlows, kingdee, logger, now: opts.now, windowPasses: opts.faults?.jst?.windowPasses });
  const redis = createRedis(env.REDIS_URL, { role: 'worker', name: `${opts.prefix}-test` });
  let worker: WorkerService | undefined;
  const closers: (() => Promise<unknown>)[] = [() => poller.stop(), async () => worker?.stop()];
  let apiUrl = '';
  let alerts: ReturnType<typeof createAlertMonitor> | undefined;
  const authed = { authorization: `Bearer ${env.API_TOKEN}` };

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      for (const close of [...closers, () => realKingdee.close()]) await close().catch(() => undefined);
      if (!opts.keepSimulators) await sims.close().catch(() => undefined);
      // Every key the services wrote must come from the keyspace module (packages/queue/src/keyspace.ts): a key built
      // by hand anywhere fails the test file that ran the system.
      const { stray } = await auditKeyspace(redis, opts.prefix).catch(() => ({ stray: [] as string[] }));
      if (!opts.keepKeys) await clearPrefix(redisUrl, opts.prefix).catch(() => undefined);
      await redis.quit().catch(() => redis.disconnect());
      if (stray.length) throw new Error(`keys outside the keyspace (build them in packages/queue/src/keyspace.ts): ${stray.slice(0, 10).join(', ')}`);
    })();
    return stopped;
  };

  try {
    let startApi = async () => '';
    if (services.has('api')) {
      const apiRedis = createRedis(env.REDIS_URL, { role: 'worker', name: `${opts.prefix}-api` });
      closers.push(() => apiRedis.quit());
      const titles = Object.fromEntries(Object.entries(flowRegistry).map(([name, flow]) => [name, flow.title]));
      const descriptors = flowDescriptorsFromConfig(config, titles);
      const queues = createApiQueues({ connection: apiRedis, prefix: opts.prefix, flows: descriptors.map((f) => f.name) });
      closers.unshift(() => queues.close());
      const ops = createRedisOps({ redis: apiRedis, prefix: opts.prefix, flows: descriptors, queues });
      const api = createApiService(env, {
        ops, queues: queues.all, logger,
        reconciliations: createReconciliationOps({ redis: apiRedis, prefix: opts.prefix, config, flows: flowRegistry, queue: queues.reconcile, ops }),
        audit: createAuditLog(apiRedis, opts.prefix),
        metrics: createMetricsStore(apiRedis, opts.prefix),
        preflight: (o) => runPreflight(preflightDepsFromEnv(env, config, { jst, qimen, logger, now: () => new Date(sims.jst.now()) }), o),
      });
      closers.unshift(() => api.stop());
      if (opts.alerts) {
        const monitor = createAlertMonitor({ redis: apiRedis, prefix: opts.prefix, ops, logger, ...opts.alerts });
        alerts = monitor;
        closers.unshift(() => monitor.stop());
        // Before any service runs: the first check only marks "now", so nothing after it goes unreported.
        await monitor.tick();
        monitor.start();
      }
      startApi = async () => (await api.start()).url;
    }
    if (services.has('worker')) worker = await startWorker(config);
    if (services.has('poller')) await poller.start();
    apiUrl = await startApi();
  } catch (err) {
    await stop();
    throw err;
  }

  const flowsOf = (flow?: string) => (flow ? [flow] : Object.keys(config.flows).filter((f) => config.flows[f as keyof SyncConfig['flows']]?.enabled));
  const pending = async (flow?: string) => {
    let n = 0;
    for (const f of flowsOf(flow)) {
      const c = await poller.queues.flow(f).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      n += (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
    }
    return n;
  };

  return {
    env, config, logger, poller, jst, kingdee, redis, apiUrl, authed, alerts,
    jstSim: sims.jst,
    kdSim: sims.kingdee,
    ledger: createLedger(redis, opts.prefix),
    queue: (flow) => poller.queues.flow(flow),
    pollOnce: (flow, resync) => poller.pollOnce(flow, resync),
    pending,
    idle: async (flow) => (await pending(flow)) === 0,
    async deadLetters(flow) {
      if (!apiUrl) return listDeadLetters(poller.queues, { flow, limit: 10_000 });
      const res = await fetch(`${apiUrl}/dead-letters?flow=${flow}&limit=1000`, { headers: authed });
      if (res.status !== 200) throw new Error(`GET /dead-letters answered ${res.status}`);
      return ((await res.json()) as { deadLetters: Letter[] }).deadLetters;
    },
    async restartWorker(next) {
      await worker?.stop();
      worker = await startWorker(next);
    },
    stop,
  };
}
