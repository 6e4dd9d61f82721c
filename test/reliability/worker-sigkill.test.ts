/**
 * Fault: worker processes killed with SIGKILL at random moments during a sync of 2,000 sales outbound
 * documents, and restarted. Two real worker processes (`node services/worker/dist/main.js`, so `tsc -b` must
 * have run) share the flow queue; the simulators and the poller run in this process. The Kingdee simulator
 * takes a few ms per call, so the kills land between a Save and its Submit/Audit, inside locks, mid-job.
 * Promise proven: Kingdee ends with every document exactly once, audited, and nothing in the dead letters.
 */
import { loadEnv } from '@sync/config';
import { flowRegistry, loadSyncConfig } from '@sync/flows';
import { createJstClient } from '@sync/jushuitan';
import { silentLogger } from '@sync/logger';
import { createPollerService, type PollerService } from '@sync/poller';
import { startJstSimulator, startKingdeeSimulator, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import type { DocumentQueue } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import {
  clearPrefix, killChild, openFlowQueue, printFigures, prng, serviceEnv, sleep, startChild, tallyKingdee, until, writeTestConfig,
  type ChildService,
} from './harness';

const DOCS = 2000;
const KILLS = 6;

describe('reliability: workers killed with SIGKILL mid-sync', () => {
  const prefix = uniquePrefix('rel-sigkill');
  const redisUrl = testRedisUrl();
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let poller: PollerService | undefined;
  let queue: DocumentQueue | undefined;
  let closeQueue: (() => Promise<void>) | undefined;
  const workers: ChildService[] = [];

  afterAll(async () => {
    for (const w of workers) await killChild(w);
    await poller?.stop();
    await closeQueue?.();
    await jstSim?.close();
    await kdSim?.close();
    await clearPrefix(redisUrl, prefix);
  });

  it(`writes each of ${DOCS} documents exactly once although workers are killed ${KILLS} times`, async () => {
    jstSim = await startJstSimulator({});
    // A BatchSave of 20 takes ~0.4 s: the sync lasts long enough for every kill to land while it runs.
    kdSim = await startKingdeeSimulator({ latency: { perCallMs: 100, perLineMs: 5 } });
    const ids = jstSim.seed({ count: DOCS, seed: 5150, unmappedRate: 0, batchRate: 0.3, statusMix: { Confirmed: 1 } }).ids.map(String);
    expect(ids.length).toBe(DOCS);

    // Short backoff and many attempts: a killed job comes back as stalled (BullMQ lock 30 s) and may first meet
    // the dead worker's document lock (Kingdee writer lock, expires when not extended).
    const configPath = writeTestConfig({ everyMs: 1000, attempts: 20, backoffMs: 500 });
    const envVars = serviceEnv({ redisUrl, prefix, jstUrl: jstSim.url, kdUrl: kdSim.url, configPath }, { WORKER_CONCURRENCY: '4', LOG_LEVEL: 'warn' });
    const env = loadEnv(envVars);
    const config = loadSyncConfig(configPath);
    const logger = silentLogger();
    const jst = createJstClient({ baseUrl: env.JST_BASE_URL, appKey: env.JST_APP_KEY!, appSecret: env.JST_APP_SECRET!, accessToken: env.JST_ACCESS_TOKEN, logger });
    poller = createPollerService(env, config, { jst, flows: flowRegistry, logger });
    ({ queue, close: closeQueue } = openFlowQueue(redisUrl, prefix));

    const startWorker = (slot: number) => {
      workers[slot] = startChild('worker', envVars);
    };
    startWorker(0);
    startWorker(1);
    await poller.start();

    await until('the first documents to reach Kingdee', () => kdSim.documents('SAL_OUTSTOCK').length > 0, 60_000, 100).catch(async (err: Error) => {
      const c = await queue!.getJobCounts('waiting', 'active', 'delayed', 'failed');
      throw new Error(`${err.message}: jobs ${JSON.stringify(c)}; worker output: ${workers.map((w) => w.output().slice(-3000)).join(' | ')}`);
    });

    // Kill at random moments while documents are still arriving in Kingdee; restart at once.
    const random = prng(77);
    let kills = 0;
    let killedWithWorkLeft = 0;
    while (kills < KILLS) {
      await sleep(800 + Math.floor(random() * 2200));
      const slot = random() < 0.5 ? 0 : 1;
      const written = kdSim.documents('SAL_OUTSTOCK').length;
      if (written > 0 && written < DOCS) killedWithWorkLeft += 1;
      await killChild(workers[slot]);
      kills += 1;
      startWorker(slot);
    }
    expect(killedWithWorkLeft).toBeGreaterThanOrEqual(5); // the kills hit a running sync, not an idle one

    const progress = async () => {
      const t = tallyKingdee(kdSim, ids);
      const c = await queue!.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
      return `written ${t.documents}, missing ${t.missing.length}, duplicates ${t.duplicates}, jobs ${JSON.stringify(c)}`;
    };
    await until(
      'every document in Kingdee and the queue idle',
      async () => {
        const t = tallyKingdee(kdSim, ids);
        if (t.missing.length) return false;
        const c = await queue!.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return c.waiting + c.active + c.delayed + c.prioritized === 0;
      },
      240_000,
      1000,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${await progress()}; worker output: ${workers.map((w) => w.output().slice(-2000)).join(' | ')}`);
    });

    const tally = tallyKingdee(kdSim, ids);
    const failed = await queue.getJobCounts('failed');
    printFigures('worker SIGKILL', {
      documents: DOCS, faultsInjected: kills, killedWithWorkLeft, written: tally.documents, duplicates: tally.duplicates,
      missing: tally.missing, unexpected: tally.unexpected, notAudited: tally.notAudited, created: tally.created,
      saves: kdSim.stats().saves, deadLetters: failed.failed,
    });
    expect(tally.missing).toEqual([]);
    expect(tally.unexpected).toEqual([]);
    expect(tally.duplicates).toBe(0);
    expect(tally.documents).toBe(DOCS);
    expect(tally.created).toBe(DOCS); // no bill was ever created twice (not even one deleted later)
    expect(tally.notAudited).toBe(0);
    expect(failed.failed).toBe(0);
  }, 330_000);
});
