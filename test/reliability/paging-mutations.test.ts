/**
 * Fault: documents change while the poller pages through them (new ts / modified, WaitConfirm → Confirmed
 * between two pages), over many random seeds, in both cursor modes: ts (the real sales-outbound flow) and a
 * window-mode variant of it over the same endpoint. JST simulator over real HTTP, the real poller and real
 * BullMQ queues in Redis; no worker: the queue itself is the outcome (one job per document version).
 * Promise proven: every document that ends shipped (Confirmed) has a job for its final version (none missed),
 * and no document version is enqueued twice. Window mode runs with no look-back, so the re-read of a window whose
 * rows shifted between pages is what catches them; a control run with the re-read off must miss documents (else
 * this scenario could not fail).
 */
import { flowRegistry, type AnyDocumentFlow, type SyncConfig } from '@sync/flows';
import { createUnlimitedCallLimiter } from '@sync/jushuitan';
import { documentJobId } from '@sync/queue';
import type { JstSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, type Simulators } from '@sync/testing';
import { demoConfig, startSystem } from '../support/system';
import { FLOW, printFigures, prng } from './harness';

const SEEDS = Number(process.env.RELIABILITY_SEEDS ?? 30);
const DOCS = 120;
const DAY_MS = 86_400_000;

interface JstOut { io_id: number; status: string; ts: number | string }

describe('reliability: documents modified while the poller pages', () => {
  let offset = 0; // the simulator clock runs ahead of the real one, moved by the test
  const clock = () => Date.now() + offset;
  let sims: Simulators;
  let jstSim: JstSimulator;

  beforeAll(async () => {
    sims = await startSimulators({ jst: { now: clock, clockSkewSeconds: 100_000, rateLimit: { perSecond: 0, perMinute: 0 } } });
    jstSim = sims.jst;
  });
  afterAll(async () => {
    await sims?.close();
  });

  const base: AnyDocumentFlow = flowRegistry[FLOW];
  // The same flow read by modified-time windows (each run has its own prefix, so the name can stay).
  const windowFlow: AnyDocumentFlow = { ...base, source: { ...base.source, cursor: { kind: 'window', filters: {} } } };

  /** `windowPasses`: the window scan's passes at most (1 = no re-read of a window whose rows shifted). */
  async function run(mode: 'ts' | 'window', seed: number, windowPasses?: number): Promise<{ shipped: number; missed: string[]; enqueued: number; jobs: number; mutations: number }> {
    jstSim.reset();
    offset += 3_600_000; // a fresh hour for every run
    const random = prng(seed * 7919 + (mode === 'ts' ? 1 : 2));
    jstSim.seed({ count: DOCS, seed, unmappedRate: 0.02, batchRate: 0.3 });

    const flow = mode === 'ts' ? base : windowFlow;
    const prefix = uniquePrefix(`rel-paging-${mode}-${seed}`);
    const fileConfig = demoConfig();
    const so = fileConfig.flows[FLOW]!;
    const settings = {
      ...so,
      // No look-back: a row missed in a window is never read again, unless the scan re-reads the window.
      schedule: { ...so.schedule, lagSeconds: 0, lookbackSeconds: 0, startFrom: new Date(clock() - 2 * DAY_MS).toISOString() },
    };
    const config: SyncConfig = { ...fileConfig, flows: { [FLOW]: settings } };
    let mutating = true;
    let mutations = 0;
    const mutate = () => {
      if (!mutating) return;
      const n = Math.floor(random() * 8);
      mutations += jstSim.mutateRandomly(n, `s${seed}-${mutations}-${mode}`, { confirmRate: 0.6 }).length;
      offset += Math.floor(random() * 1500); // some time passes between two pages
    };
    // Only the poller, polled by the test on the simulator's clock; documents change after every page it reads.
    const system = await startSystem({
      prefix, simulators: sims, keepSimulators: true, config, services: [], flows: { [flow.name]: flow }, now: () => new Date(clock()),
      jstClient: { limiter: createUnlimitedCallLimiter(), now: clock },
      faults: { jst: { afterPage: mutate, windowPasses } },
    });
    const { poller } = system;
    let enqueued = 0;
    try {
      const poll = async () => {
        const res = await poller.pollOnce(flow.name);
        if ('counts' in res) enqueued += res.counts.enqueued;
      };
      for (let i = 0; i < 4; i++) {
        await poll();
        mutate(); // changes between polls too
        offset += 1000;
      }
      mutating = false;
      offset += 2000;
      await poll(); // a quiet poll after the last change: everything must be caught by now
      offset += 2000;
      await poll();

      const shipped = (jstSim.store.list('orders-out', { status: 'Confirmed' }) as unknown as JstOut[]);
      const missed: string[] = [];
      const queue = poller.queues.flow(flow.name);
      for (const d of shipped) {
        const id = documentJobId(flow.name, String(d.io_id), String(d.ts));
        if (!(await queue.getJob(id))) missed.push(String(d.io_id));
      }
      const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed');
      const jobs = Object.values(counts).reduce((a, n) => a + n, 0);
      return { shipped: shipped.length, missed, enqueued, jobs, mutations };
    } finally {
      await system.stop();
    }
  }

  for (const mode of ['ts', 'window'] as const) {
    it(`${mode} mode: over ${SEEDS} seeds, no shipped document is missed and no version is enqueued twice`, async () => {
      let shipped = 0;
      let mutations = 0;
      let enqueued = 0;
      let jobs = 0;
      const missed: string[] = [];
      for (let seed = 1; seed <= SEEDS; seed++) {
        const r = await run(mode, seed);
        shipped += r.shipped;
        mutations += r.mutations;
        enqueued += r.enqueued;
        jobs += r.jobs;
        missed.push(...r.missed.map((id) => `seed ${seed}: ${id}`));
      }
      printFigures(`paging under mutation (${mode})`, { seeds: SEEDS, documents: SEEDS * DOCS, shipped, faultsInjected: mutations, enqueued, jobs, duplicates: enqueued - jobs, missing: missed });
      expect(mutations).toBeGreaterThan(SEEDS * 5);
      expect(missed).toEqual([]);
      expect(enqueued).toBe(jobs); // every enqueue created a distinct job: no version twice
    }, 300_000);
  }

  it(`window mode, control: with the window re-read off the same scenario misses shipped documents`, async () => {
    let missed = 0;
    for (let seed = 1; seed <= SEEDS; seed++) missed += (await run('window', seed, 1)).missed.length;
    printFigures('paging under mutation (window, single pass: control)', { seeds: SEEDS, missing: missed });
    expect(missed).toBeGreaterThan(0);
  }, 300_000);
});
