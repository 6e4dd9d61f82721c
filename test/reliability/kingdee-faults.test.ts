/**
 * Kingdee-side faults, in-process services over real HTTP and real Redis:
 * - a Save is committed but its answer arrives after the client's timeout (one save in ten): the idempotent
 *   writer must find the committed bill instead of saving it again;
 * - HTTP 500 bursts and every session expiring in the middle of a run: every document lands, and only the
 *   documents with real data errors (an unmapped SKU) reach the dead letters.
 */
import type { JstSimulator, KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until, type Simulators } from '@sync/testing';
import type { System } from '../support/system';
import { FLOW, printFigures, sleep, startSalesOutbound, tallyKingdee } from './harness';

interface SeededDoc { io_id: number; status: string; items: { sku_id: string }[] }

describe('reliability: Kingdee faults', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  });

  /** Simulators seeded with `docs` documents; the system started on them closes them. */
  async function world(name: string, docs: number, unmappedRate: number): Promise<{ sims: Simulators; jst: JstSimulator; kd: KingdeeSimulator; prefix: string; ids: string[]; unmapped: string[] }> {
    const prefix = uniquePrefix(name);
    const sims = await startSimulators({ kingdee: { latency: { perCallMs: 2 } } });
    const { jst, kingdee: kd } = sims;
    jst.seed({ count: docs, seed: 4242, unmappedRate, batchRate: 0.3, statusMix: { Confirmed: 1 } });
    const all = jst.store.list('orders-out', {}) as unknown as SeededDoc[];
    const isUnmapped = (d: SeededDoc) => d.items.some((i) => i.sku_id === 'Z9999-NEW');
    return {
      sims, jst, kd, prefix,
      ids: all.filter((d) => !isUnmapped(d)).map((d) => String(d.io_id)),
      unmapped: all.filter(isUnmapped).map((d) => String(d.io_id)),
    };
  }

  async function deadLetterDocIds(p: System): Promise<string[]> {
    const failed = await p.queue(FLOW).getFailed(0, -1);
    return failed.map((j) => String(j.data.docId)).sort();
  }

  // One Save per document (1 in 10 answered late), and BatchSaves of 20 (1 in 2 answered late: every package of
  // such a batch is retried).
  it.each([
    { writeBatchSize: 1, rate: 0.1, atLeast: 10 },
    { writeBatchSize: 20, rate: 0.5, atLeast: 3 },
  ])('does not duplicate a bill whose Save answer came after the client timeout (commit-then-delay, writeBatchSize $writeBatchSize)', async ({ writeBatchSize, rate, atLeast }) => {
    const w = await world(`rel-kd-late-${writeBatchSize}`, 300, 0);
    w.kd.setFaults({ faults: { commitThenDelay: { rate, delayMs: 2500 } } });
    const p = await startSalesOutbound({ prefix: w.prefix, simulators: w.sims, kingdeeTimeoutMs: 1000, flow: { writeBatchSize } });
    cleanups.push(() => p.stop());

    await until('every document in Kingdee and the queue idle', async () => tallyKingdee(w.kd, w.ids).missing.length === 0 && (await p.pending()) === 0, 120_000, 500);
    // The answers the simulator still holds go out; nothing may be saved because of them.
    await until('the held answers to be sent', async () => w.kd.heldAnswers() === 0, 10_000, 100);
    const t = tallyKingdee(w.kd, w.ids);
    const dead = await deadLetterDocIds(p);
    const injected = w.kd.stats().faults.commitThenDelay;
    printFigures('Kingdee commit-then-late-answer', {
      documents: w.ids.length, faultsInjected: injected, written: t.documents, duplicates: t.duplicates, missing: t.missing,
      created: t.created, saves: w.kd.stats().saves, packagesSent: w.kd.stats().packagesSent, deadLetters: dead.length,
    });
    expect(injected).toBeGreaterThanOrEqual(atLeast); // the fault really happened, often
    expect(t.missing).toEqual([]);
    expect(t.duplicates).toBe(0);
    expect(t.created).toBe(w.ids.length);
    expect(w.kd.stats().saves).toBe(w.ids.length);
    // Each late-answered save was found by the lookup, never sent again (a re-sent package would count here even
    // when Kingdee rejects it as a duplicate number).
    expect(w.kd.stats().packagesSent).toBe(w.ids.length);
    expect(w.kd.stats().calls[writeBatchSize > 1 ? 'save' : 'batchsave'] ?? 0).toBe(0);
    expect(t.notAudited).toBe(0);
    expect(dead).toEqual([]);
  }, 180_000);

  it('survives HTTP 500 bursts and session expiry mid-run; only real data errors are dead letters', async () => {
    const w = await world('rel-kd-5xx', 300, 0.05);
    expect(w.unmapped.length).toBeGreaterThan(3);
    // One call per document step, so that the bursts and expiries land among many calls (BatchSaves of 20 would
    // finish the run in a handful of calls).
    const p = await startSalesOutbound({ prefix: w.prefix, simulators: w.sims, kingdeeTimeoutMs: 5000, flow: { writeBatchSize: 1 } });
    cleanups.push(() => p.stop());

    let bursts = 0;
    let expiries = 0;
    // Faults while the documents are being written: a burst of 500s, then every session expires, and again.
    while (tallyKingdee(w.kd, w.ids).documents < w.ids.length * 0.8 && bursts < 12) {
      w.kd.setFaults({ faults: { http500: { nextN: 25 } } });
      bursts += 1;
      await sleep(400);
      expiries += w.kd.expireSessions() > 0 ? 1 : 0;
      await sleep(400);
    }
    expect(bursts).toBeGreaterThanOrEqual(2);

    await until('every mapped document in Kingdee and the queue idle', async () => tallyKingdee(w.kd, w.ids).missing.length === 0 && (await p.pending()) === 0, 150_000, 500);
    const t = tallyKingdee(w.kd, w.ids);
    const dead = await deadLetterDocIds(p);
    const stats = w.kd.stats();
    printFigures('Kingdee 5xx bursts + session expiry', {
      documents: w.ids.length + w.unmapped.length, http500Injected: stats.faults.http500, bursts, sessionExpiries: expiries,
      sessionLost: stats.sessionLost, written: t.documents, duplicates: t.duplicates, missing: t.missing, deadLetters: dead.length,
      realDataErrors: w.unmapped.length,
    });
    expect(stats.faults.http500).toBeGreaterThanOrEqual(25);
    expect(stats.sessionLost).toBeGreaterThan(0); // the expiry was noticed by the client, which logged in again
    expect(t.missing).toEqual([]);
    expect(t.unexpected).toEqual([]);
    expect(t.duplicates).toBe(0);
    expect(t.created).toBe(w.ids.length);
    expect(dead).toEqual([...w.unmapped].sort());
  }, 240_000);
});
