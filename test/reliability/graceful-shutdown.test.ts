/**
 * Graceful shutdown on a dedicated redis-server (so CLIENT LIST sees only this test's connections):
 * - SIGTERM to a real worker process in the middle of slow Kingdee writes: it exits by itself within
 *   SHUTDOWN_TIMEOUT_MS (+ the process bound), and after a restart every document lands exactly once;
 * - a second SIGTERM forces the exit at once (code 1), and still nothing is lost;
 * - the in-process services close every Redis connection they opened.
 */
import { Redis } from 'ioredis';
import type { JstSimulator, KingdeeSimulator } from '@sync/simulator';
import { spawnRedis, startSimulators, until, within, type Simulators } from '@sync/testing';
import { killChild, openFlowQueue, printFigures, serviceEnv, sleep, startChild, startSalesOutbound, tallyKingdee, writeTestConfig, type ChildService } from './harness';

const SHUTDOWN_TIMEOUT_MS = 2000;

describe('reliability: graceful shutdown', () => {
  let redis: Awaited<ReturnType<typeof spawnRedis>>;
  let inspector: Redis;
  let sims: Simulators;
  let jst: JstSimulator;
  let kd: KingdeeSimulator;
  const children: ChildService[] = [];

  beforeAll(async () => {
    redis = await spawnRedis();
    inspector = new Redis(redis.url, { connectionName: 'inspector', maxRetriesPerRequest: 1 });
    sims = await startSimulators();
    jst = sims.jst;
    kd = sims.kingdee;
  });
  afterAll(async () => {
    for (const c of children) await killChild(c);
    await inspector?.quit();
    await sims?.close();
    await redis?.stop();
  });

  /** Connections other than the inspector's own. */
  async function otherClients(): Promise<string[]> {
    const list = (await inspector.client('LIST')) as string;
    return list.split('\n').filter((l) => l.trim() && !/ name=inspector /.test(l));
  }

  it('in-process poller and worker close every Redis connection they opened', async () => {
    const before = await otherClients();
    const p = await startSalesOutbound({ redisUrl: redis.url, prefix: 'gs-inproc', simulators: sims, keepSimulators: true });
    expect((await otherClients()).length).toBeGreaterThan(before.length);
    await p.stop();
    await until('connections to close', async () => (await otherClients()).length === before.length, 10_000, 100);
    expect(await otherClients()).toEqual(before);
  }, 60_000);

  async function shutdownRun(name: string, signals: number): Promise<void> {
    const prefix = `gs-${name}`;
    kd.reset();
    jst.reset();
    const ids = jst.seed({ count: 40, seed: 99, unmappedRate: 0, batchRate: 0, statusMix: { Confirmed: 1 } }).ids.map(String);
    kd.setFaults({ latency: { perCallMs: 400 } }); // a job takes a few seconds: SIGTERM finds active jobs
    const configPath = writeTestConfig({ everyMs: 1000, attempts: 20, backoffMs: 200 });
    const envVars = serviceEnv({ redisUrl: redis.url, prefix, jstUrl: jst.url, kdUrl: kd.url, configPath }, {
      WORKER_CONCURRENCY: '4', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    });
    // Enqueue everything with the in-process poller, then stop it: only the worker process is left running.
    const p = await startSalesOutbound({ redisUrl: redis.url, prefix, simulators: sims, keepSimulators: true, keepKeys: true, services: ['poller'] });
    await until('all jobs enqueued', async () => (await p.pending()) >= ids.length, 30_000);
    await p.stop();

    const { queue, close: closeQueue } = openFlowQueue(redis.url, prefix);
    try {
      await queue.getJobCounts('active'); // the queue's own connection is part of the baseline
      const baseline = (await otherClients()).length;
      const worker = startChild('worker', envVars);
      children.push(worker);
      await until('jobs to be active in the worker process', async () => (await queue.getJobCounts('active')).active > 0, 30_000, 100);
      await sleep(300);
      const activeAtSignal = (await queue.getJobCounts('active')).active;
      for (let i = 0; i < signals; i++) {
        worker.proc.kill('SIGTERM');
        if (i + 1 < signals) await sleep(100);
      }
      // Bounded wait for the outcome (the process's own bound is SHUTDOWN_TIMEOUT_MS + 5 s).
      const code = await within(worker.exited, SHUTDOWN_TIMEOUT_MS + 15_000, 'still running');
      expect(code).toBe(signals > 1 ? 1 : 0);
      expect(worker.output()).not.toMatch(/Error|unhandled/i);
      const writtenAtExit = tallyKingdee(kd, ids).documents;

      // No connection of the dead worker is left on the server.
      await until('the worker process connections to be gone', async () => (await otherClients()).length === baseline, 5000, 100);

      // Restart: every document lands exactly once (the interrupted jobs are re-run once their lock lapses).
      kd.setFaults({ latency: { perCallMs: 2 } });
      const again = startChild('worker', envVars);
      children.push(again);
      await until('every document in Kingdee and the queue idle', async () => {
        if (tallyKingdee(kd, ids).missing.length) return false;
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return c.waiting + c.active + c.delayed + c.prioritized === 0;
      }, 120_000, 500);
      const t = tallyKingdee(kd, ids);
      const failed = (await queue.getJobCounts('failed')).failed;
      printFigures(`graceful shutdown (${signals} signal${signals > 1 ? 's' : ''})`, {
        documents: ids.length, activeAtSignal, exitCode: code, writtenAtExit, written: t.documents, duplicates: t.duplicates, missing: t.missing,
        deadLetters: failed,
      });
      expect(activeAtSignal).toBeGreaterThan(0);
      expect(t.missing).toEqual([]);
      expect(t.duplicates).toBe(0);
      expect(t.created).toBe(ids.length);
      expect(failed).toBe(0);
      // Batched writes may have finished everything before the first exit: make sure the restarted process is up
      // (its Redis connections exist only after its signal handlers are installed) before signalling it.
      await until('the restarted worker to be connected', async () => (await otherClients()).length > baseline, 10_000, 100);
      again.proc.kill('SIGTERM');
      expect(await within(again.exited, 20_000, 'still running')).toBe(0);
    } finally {
      await closeQueue();
    }
  }

  it('SIGTERM lets the worker finish or release its active jobs and exit 0; nothing is lost', () => shutdownRun('term', 1), 200_000);
  it('a second SIGTERM forces the exit (code 1); nothing is lost', () => shutdownRun('twice', 2), 200_000);
});
