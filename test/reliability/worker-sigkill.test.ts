/**
 * Fault: worker processes killed with SIGKILL at random moments during a sync of 2,000 sales outbound
 * documents, and restarted. Two real worker processes (`node services/worker/dist/main.js`, so `tsc -b` must
 * have run) share the flow queue; the simulators and the poller run in this process. The Kingdee simulator
 * takes a few ms per call, so the kills land between a Save and its Submit/Audit, inside locks, mid-job.
 * Promise proven: Kingdee ends with every document exactly once, audited, and nothing in the dead letters.
 */
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import { killChild, printFigures, prng, sleep, startWorkerProcesses, tallyKingdee, type WorkerProcesses } from './harness';

const DOCS = 2000;
const KILLS = 6;

describe('reliability: workers killed with SIGKILL mid-sync', () => {
  const prefix = uniquePrefix('rel-sigkill');
  let run: WorkerProcesses | undefined;

  afterAll(async () => {
    await run?.stop();
  });

  it(`writes each of ${DOCS} documents exactly once although workers are killed ${KILLS} times`, async () => {
    // A BatchSave of 20 takes ~0.4 s: the sync lasts long enough for every kill to land while it runs.
    const sims = await startSimulators({ kingdee: { latency: { perCallMs: 100, perLineMs: 5 } } });
    const kdSim = sims.kingdee;
    const ids = sims.jst.seed({ count: DOCS, seed: 5150, unmappedRate: 0, batchRate: 0.3, statusMix: { Confirmed: 1 } }).ids.map(String);
    expect(ids.length).toBe(DOCS);

    // Short backoff and many attempts: a killed job comes back as stalled (BullMQ lock 30 s) and may first meet
    // the dead worker's document lock (Kingdee writer lock, expires when not extended).
    run = await startWorkerProcesses({ prefix, simulators: sims, flow: { everyMs: 1000, attempts: 20, backoffMs: 500 }, workers: 2, env: { WORKER_CONCURRENCY: '4', LOG_LEVEL: 'warn' } });
    const { workers, startWorker } = run;
    const queue = run.system.queue('sales-outbound');

    await until('the first documents to reach Kingdee', () => kdSim.documents('SAL_OUTSTOCK').length > 0, 60_000, 100, async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      return `jobs ${JSON.stringify(c)}; worker output: ${run!.output()}`;
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
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
      return `written ${t.documents}, missing ${t.missing.length}, duplicates ${t.duplicates}, jobs ${JSON.stringify(c)}; worker output: ${run!.output()}`;
    };
    await until('every document in Kingdee and the queue idle', async () => tallyKingdee(kdSim, ids).missing.length === 0 && (await run!.system.idle()), 240_000, 1000, progress);

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
