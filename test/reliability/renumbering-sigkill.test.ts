/**
 * Fault: the account's coding rule replaces the FBillNo we send (a bill type without manual numbering), and the
 * worker is killed (SIGKILL) after Kingdee committed a BatchSave but before the worker could record the answered
 * numbers in its ledger. The retry cannot find the bills by FBillNo (Kingdee holds other numbers, and the
 * simulator's coding rule does not even check the number sent, like the real one), so only the key kept on the
 * bill (SAL_OUTSTOCK SubHeadEntity.FThirdBillNo) stands between the retry and a duplicate.
 * Promise proven: every document exactly once in Kingdee, audited, nothing in the dead letters.
 */
import { keys } from '@sync/queue';
import type { KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import { BILL_PREFIX, FLOW, killChild, printFigures, startWorkerProcesses, type WorkerProcesses } from './harness';

const DOCS = 60;
const FORM = 'SAL_OUTSTOCK';

/** Bills per JST io_id (the transform's FThirdBillNo): the numbers are Kingdee's own here. */
function billsPerDocument(kd: KingdeeSimulator): Map<string, number> {
  const per = new Map<string, number>();
  for (const d of kd.documents(FORM)) {
    const id = String((d.model.SubHeadEntity as Record<string, unknown>).FThirdBillNo);
    per.set(id, (per.get(id) ?? 0) + 1);
  }
  return per;
}

describe('reliability: SIGKILL between a committed Save and the ledger write, under renumbering', () => {
  const prefix = uniquePrefix('rel-renumber');
  let run: WorkerProcesses | undefined;

  afterAll(async () => {
    await run?.stop();
  });

  it(`writes each of ${DOCS} renumbered documents once although the worker dies with their Save committed and unrecorded`, async () => {
    const sims = await startSimulators({ kingdee: { latency: { perCallMs: 20, perLineMs: 1 } } });
    const kdSim = sims.kingdee;
    // Every SAL_OUTSTOCK gets Kingdee's own number; the first BatchSave commits and then holds its answer.
    kdSim.setFaults({ numbering: [{ formId: FORM }], faults: { commitThenDelay: { nextN: 1, delayMs: 600_000 } } });
    const ids = sims.jst.seed({ count: DOCS, seed: 4242, unmappedRate: 0, batchRate: 0, statusMix: { Confirmed: 1 } }).ids.map(String);

    // The worker waits for the held answer (its timeout is longer), so it dies with the Save committed and unrecorded.
    run = await startWorkerProcesses({ prefix, simulators: sims, flow: { everyMs: 1000, attempts: 30, backoffMs: 500 }, workers: 1, env: { LOG_LEVEL: 'warn', KINGDEE_TIMEOUT_MS: '600000' } });
    const { workers, system } = run;
    const redis = system.redis;
    const queue = system.queue(FLOW);
    await until('a BatchSave committed with its answer held', () => kdSim.stats().faults.commitThenDelay === 1 && kdSim.documents(FORM).length > 0, 60_000, 50, () => `worker output: ${run!.output()}`);
    const committed = kdSim.documents(FORM);
    expect(committed.every((d) => !d.billNo.startsWith(BILL_PREFIX))).toBe(true); // renumbered
    // The held Save's bills are committed and not in the ledger: the kill lands between the commit and the ledger
    // write (another BatchSave running beside it may have answered and been recorded already).
    const allNos = committed.map((d) => `${BILL_PREFIX}${String((d.model.SubHeadEntity as Record<string, unknown>).FThirdBillNo)}`);
    const recorded = await redis.hmget(keys.ledger(prefix, FLOW), ...allNos);
    const sentNos = allNos.filter((_, i) => recorded[i] === null);
    const unrecorded = committed.filter((_, i) => recorded[i] === null);
    expect(sentNos.length).toBeGreaterThan(0);
    await killChild(workers[0]);
    run.startWorker(1);

    // The killed jobs come back once BullMQ finds them stalled (job lock 30 s) and the document locks expire.
    await until('every document in Kingdee and the queue idle', async () => {
      const per = billsPerDocument(kdSim);
      return ids.every((id) => per.has(id)) && (await system.idle());
    }, 180_000, 500, async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
      return `${kdSim.documents(FORM).length} bills, jobs ${JSON.stringify(c)}; worker output: ${run!.output()}`;
    });

    const per = billsPerDocument(kdSim);
    const docs = kdSim.documents(FORM);
    const duplicates = [...per.values()].reduce((n, c) => n + c - 1, 0);
    const failed = await queue.getJobCounts('failed');
    printFigures('renumbering SIGKILL', { documents: DOCS, committedBeforeKill: committed.length, unrecordedAtKill: sentNos.length, written: docs.length, duplicates, created: kdSim.stats().created, deadLetters: failed.failed });
    expect(duplicates).toBe(0);
    expect([...per.keys()].sort()).toEqual([...ids].sort());
    expect(kdSim.stats().created).toBe(DOCS); // no bill was ever created twice
    expect(docs.every((d) => d.status === 'C')).toBe(true);
    expect(failed.failed).toBe(0);
    // The retry recorded Kingdee's numbers for the bills of the killed Save.
    const entries = (await redis.hmget(keys.ledger(prefix, FLOW), ...sentNos)).map((v) => JSON.parse(v!) as { number: string; status: string });
    expect(entries.map((e) => e.number).sort()).toEqual(unrecorded.map((d) => d.billNo).sort());
    expect(entries.every((e) => e.status === 'audited')).toBe(true);
  }, 300_000);
});
