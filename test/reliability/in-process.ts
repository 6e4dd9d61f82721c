/**
 * An in-process pipeline for the reliability tests of poison documents, reversals and secrets: both simulators
 * over real HTTP, real Redis, and the real poller and worker services, all logging into one destination the
 * test chooses (a capture buffer, or nowhere). `mangleRow` lets a test damage rows in flight, as a faulty JST
 * would send them (the simulator's store itself refuses a document without its id).
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadEnv, type Env } from '@sync/config';
import { flowRegistry, loadSyncConfig, type SyncConfig } from '@sync/flows';
import { createJstClient, type JstApi } from '@sync/jushuitan';
import { createKingdeeClient, type KingdeeApi } from '@sync/kingdee';
import { createLogger, type Logger } from '@sync/logger';
import { createPollerService, type PollerService } from '@sync/poller';
import { createWorkerService } from '@sync/worker';
import { createLedger, createRedis, listDeadLetters, type DeadLetter, type Ledger } from '@sync/queue';
import { demoCredentials, startJstSimulator, startKingdeeSimulator, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { testRedisUrl } from '@sync/testing';
import type { Redis } from 'ioredis';

export const FLOW = 'sales-outbound';
const root = path.resolve(__dirname, '../..');

/** Every line any logger of the pipeline wrote. */
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

export interface PipelineOptions {
  prefix: string;
  /** Changes to the sales-outbound flow settings (merged over config/sync.config.yaml). */
  flow?: Record<string, unknown>;
  /** Damages a raw JST row before the poller sees it (return the row to send). */
  mangleRow?: (row: Record<string, unknown>) => Record<string, unknown>;
  /** Wraps the Kingdee client (fault injection in front of the simulator). */
  wrapKingdee?: (k: KingdeeApi) => KingdeeApi;
  /** Log destination; default: discard. */
  capture?: LogCapture;
  /** Extra environment (strings). */
  env?: Record<string, string>;
  /** The Kingdee base URL the clients use, given the simulator's (e.g. a recording proxy in front of it). */
  kdUrlFor?: (simUrl: string) => Promise<string>;
}

export interface Pipeline {
  env: Env;
  config: SyncConfig;
  jstSim: JstSimulator;
  kdSim: KingdeeSimulator;
  poller: PollerService;
  ledger: Ledger;
  /** A connection of the test's own (closed by stop). */
  redis: Redis;
  logger: Logger;
  deadLetters(): Promise<DeadLetter[]>;
  /** True when no document job of the flow is waiting, active or delayed. */
  idle(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Starts simulators, worker and poller (its scheduler is not relied on: tests call `poller.pollOnce`). */
export async function startPipeline(opts: PipelineOptions): Promise<Pipeline> {
  const jstSim = await startJstSimulator({ rateLimit: { perSecond: 0, perMinute: 0 } });
  const kdSim = await startKingdeeSimulator({});
  const env = loadEnv({
    REDIS_URL: testRedisUrl(), QUEUE_PREFIX: opts.prefix, LOG_LEVEL: 'trace',
    JST_BASE_URL: jstSim.url, JST_APP_KEY: demoCredentials.jst.appKey, JST_APP_SECRET: demoCredentials.jst.appSecret,
    JST_ACCESS_TOKEN: demoCredentials.jst.accessToken,
    KINGDEE_BASE_URL: opts.kdUrlFor ? await opts.kdUrlFor(kdSim.url) : kdSim.url, KINGDEE_AUTH: 'password', KINGDEE_ACCT_ID: demoCredentials.kingdee.acctId,
    KINGDEE_USERNAME: demoCredentials.kingdee.users.map((u) => u.username).join(','),
    KINGDEE_PASSWORD: demoCredentials.kingdee.users.map((u) => u.password).join(','),
    WORKER_CONCURRENCY: '4', SHUTDOWN_TIMEOUT_MS: '5000',
    ...opts.env,
  });
  const fileConfig = loadSyncConfig(path.join(root, 'config/sync.config.yaml'));
  const so = fileConfig.flows[FLOW]!;
  const config: SyncConfig = {
    ...fileConfig,
    flows: { ...fileConfig.flows, [FLOW]: { ...so, attempts: 3, backoffMs: 50, schedule: { ...so.schedule, everyMs: 3_600_000 }, ...opts.flow } },
  };
  const logger = opts.capture ? createLogger({ name: 'reliability', level: 'trace', destination: opts.capture.stream }) : createLogger({ name: 'reliability', level: 'silent' });

  const realJst = createJstClient({
    baseUrl: env.JST_BASE_URL, appKey: env.JST_APP_KEY!, appSecret: env.JST_APP_SECRET!, accessToken: env.JST_ACCESS_TOKEN,
    logger: logger.child({ component: 'jst' }),
  });
  const mangle = opts.mangleRow;
  const queryPage: JstApi['queryPage'] = async (p, b) => {
    const page = await realJst.queryPage(p, b);
    if (!mangle) return page;
    return { ...page, datas: page.datas.map((r) => (typeof r === 'object' && r !== null ? mangle(r as Record<string, unknown>) : r)) };
  };
  const jst: JstApi = { call: (p, b) => realJst.call(p, b), queryPage };
  const realKingdee = createKingdeeClient({
    baseUrl: env.KINGDEE_BASE_URL, auth: 'password', acctId: env.KINGDEE_ACCT_ID!,
    users: demoCredentials.kingdee.users.map((u) => ({ username: u.username, password: u.password })), timeoutMs: 10_000,
    logger: logger.child({ component: 'kingdee' }),
  });
  const kingdee = opts.wrapKingdee ? opts.wrapKingdee(realKingdee) : realKingdee;
  const worker = createWorkerService(env, config, { kingdee, flows: flowRegistry, logger });
  const poller = createPollerService(env, config, { jst, flows: flowRegistry, logger });
  await worker.start();
  await poller.start();
  const redis = createRedis(env.REDIS_URL, { role: 'worker', name: `${opts.prefix}-test` });
  const ledger = createLedger(redis, opts.prefix);

  return {
    env, config, jstSim, kdSim, poller, ledger, redis, logger,
    deadLetters: () => listDeadLetters(poller.queues, { flow: FLOW, limit: 10_000 }),
    async idle() {
      const c = await poller.queues.flow(FLOW).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) === 0;
    },
    async stop() {
      for (const s of [() => poller.stop(), () => worker.stop(), () => realKingdee.close(), () => jstSim.close(), () => kdSim.close()]) {
        await s().catch(() => undefined);
      }
      const doomed = await redis.keys(`${opts.prefix}:*`);
      if (doomed.length) await redis.del(...doomed);
      await redis.quit();
    },
  };
}

/** Polls `check` every 200 ms until true; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
