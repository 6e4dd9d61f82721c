/**
 * Reversal: a JST sales outbound that was synced and later cancelled (status Cancelled or Delete) through the
 * real poller and worker, the simulators and Redis. Policy `record` leaves the Kingdee document, records the
 * reversal and raises one `reversal` event; policy `unaudit-delete` also unaudits and deletes the Kingdee
 * document, and when Kingdee refuses (the bill is referenced) the reversal is dead-lettered with the reason.
 * Cancellations of documents that were never synced are not enqueued at all.
 */
import type { KingdeeApi } from '@sync/kingdee';
import { documentJobId, readAlertEvents } from '@sync/queue';
import { uniquePrefix, until } from '@sync/testing';
import { getReversal } from '@sync/worker';
import { expectPermanent } from '../support/expect-permanent';
import type { System } from '../support/system';
import { FLOW, startSalesOutbound } from './harness';

/** Three attempts 50 ms apart, and no scheduled poll: the tests poll themselves. */
const SETTINGS = { attempts: 3, backoffMs: 50, everyMs: 3_600_000 };

const KIND = 'orders-out';

async function syncSeeded(p: System, count: number, seed: string): Promise<number[]> {
  const { ids } = p.jstSim.seed({ count, seed, unmappedRate: 0, statusMix: { Confirmed: 1 } });
  await p.pollOnce(FLOW);
  const prefixNo = p.config.flows[FLOW]!.billNoPrefix;
  await until('the seeded documents to be written', async () => {
    const bills = new Set(p.kdSim.documents('SAL_OUTSTOCK').map((d) => d.billNo));
    return ids.every((id) => bills.has(`${prefixNo}${id}`)) && (await p.idle());
  }, 60_000, 200);
  return ids;
}

async function pollAndSettle(p: System): Promise<void> {
  await p.pollOnce(FLOW);
  await until('the queue to settle', () => p.idle(), 60_000, 200);
}

const bill = (p: System, id: number) => p.kdSim.documents('SAL_OUTSTOCK').find((d) => d.billNo === `${p.config.flows[FLOW]!.billNoPrefix}${id}`);

describe('reversal policy "record" (the default)', () => {
  const prefix = uniquePrefix('reversal-record');
  let p: System;
  beforeAll(async () => {
    p = await startSalesOutbound({ prefix, flow: SETTINGS });
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('defaults to record', () => {
    expect(p.config.flows[FLOW]!.reversal).toBe('record');
  });

  it('records and alerts a cancelled synced document, leaves Kingdee as is, and ignores never-synced cancellations', async () => {
    const [a, b, untouched] = await syncSeeded(p, 3, 'rev-record');
    const never = 9_100_001;
    const template = p.jstSim.store.get(KIND, a) as unknown as Record<string, unknown>;
    p.jstSim.insert(KIND, [{ ...JSON.parse(JSON.stringify(template)) as Record<string, unknown>, io_id: never, status: 'Cancelled' }]);
    const cancelledA = p.jstSim.mutate(KIND, a, { status: 'Cancelled' });
    p.jstSim.mutate(KIND, b, { status: 'Delete' });
    await pollAndSettle(p);

    expect(bill(p, a)?.status).toBe('C');
    expect(bill(p, b)?.status).toBe('C');
    expect(bill(p, untouched)?.status).toBe('C');
    expect(await p.deadLetters(FLOW)).toEqual([]);

    const events = await readAlertEvents(p.redis, prefix);
    expect(events.map((e) => e.docId).sort()).toEqual([String(a), String(b)].sort());
    for (const e of events) {
      expect(e).toMatchObject({ type: 'reversal', flow: FLOW });
      expect(e.message).toContain(e.docId!);
      expect(e.message).toMatch(/cancelled in JST \(status (Cancelled|Delete)\)/);
      expect(e.message).toContain('policy "record"');
    }
    const recA = await getReversal({ redis: p.redis, prefix }, FLOW, `${p.config.flows[FLOW]!.billNoPrefix}${a}`);
    expect(recA).toMatchObject({ outcome: 'recorded', policy: 'record', docId: String(a), version: String(cancelledA.ts) });

    // The never-synced cancellation was not even enqueued.
    const job = await p.queue(FLOW).getJob(documentJobId(FLOW, String(never), String((p.jstSim.store.get(KIND, never) as unknown as { ts: number }).ts)));
    expect(job).toBeUndefined();

    // Idempotent: another change of the cancelled document is a new version but raises no second alert.
    p.jstSim.mutate(KIND, a, { patch: { remark: 'touched again' } });
    await pollAndSettle(p);
    expect((await readAlertEvents(p.redis, prefix)).length).toBe(2);
  }, 120_000);
});

describe('reversal policy "unaudit-delete"', () => {
  const prefix = uniquePrefix('reversal-delete');
  let p: System;
  /** FIDs of the bills whose UnAudit Kingdee refuses. */
  const refuseUnAudit = new Set<number>();
  beforeAll(async () => {
    p = await startSalesOutbound({
      prefix,
      flow: { ...SETTINGS, reversal: 'unaudit-delete' },
      // Kingdee refuses to unaudit a bill a later document references (下游单据); the simulator has no such link,
      // so this front of the client answers as Kingdee does for the numbers the test names.
      faults: { kingdee: (k): KingdeeApi => ({
        ...k,
        save: (...a) => k.save(...a), batchSave: (...a) => k.batchSave(...a), submit: (...a) => k.submit(...a), audit: (...a) => k.audit(...a),
        delete: (...a) => k.delete(...a), view: (...a) => k.view(...a), executeBillQuery: (q) => k.executeBillQuery(q), close: () => k.close(),
        unAudit: async (formId, bills) => {
          const refused = 'ids' in bills ? bills.ids.filter((id) => refuseUnAudit.has(id)) : [];
          if (!refused.length) return k.unAudit(formId, bills);
          return { successes: [], errors: refused.map((id) => ({ fieldName: null, message: `单据${id}已被下游单据引用，不允许反审核`, dIndex: 0 })) };
        },
      }) },
    });
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('unaudits and deletes the Kingdee document of a cancelled synced document, and alerts', async () => {
    const [a, keep] = await syncSeeded(p, 2, 'rev-delete');
    const prefixNo = p.config.flows[FLOW]!.billNoPrefix;
    p.jstSim.mutate(KIND, a, { status: 'Cancelled' });
    await pollAndSettle(p);

    expect(bill(p, a)).toBeUndefined();
    expect(bill(p, keep)?.status).toBe('C');
    expect(await p.deadLetters(FLOW)).toEqual([]);
    expect(await p.ledger.get(FLOW, `${prefixNo}${a}`)).toBeUndefined();
    expect(await getReversal({ redis: p.redis, prefix }, FLOW, `${prefixNo}${a}`)).toMatchObject({ outcome: 'deleted', policy: 'unaudit-delete' });
    const events = await readAlertEvents(p.redis, prefix);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'reversal', flow: FLOW, docId: String(a) });
    expect(events[0].message).toContain('unaudited and deleted');

    // Shipped again later (a new Confirmed version): written again, because the ledger forgot the deleted bill.
    p.jstSim.mutate(KIND, a, { status: 'Confirmed' });
    await pollAndSettle(p);
    await until('the re-confirmed document to be written again', () => bill(p, a)?.status === 'C', 30_000, 200);
  }, 120_000);

  it('dead-letters the reversal with the reason when Kingdee refuses (the bill is referenced), and alerts', async () => {
    const [referenced] = await syncSeeded(p, 1, 'rev-refused');
    const prefixNo = p.config.flows[FLOW]!.billNoPrefix;
    refuseUnAudit.add(bill(p, referenced)!.id);
    p.jstSim.mutate(KIND, referenced, { status: 'Delete' });
    await pollAndSettle(p);

    expect(bill(p, referenced)?.status).toBe('C'); // still there, still audited
    const dead = (await p.deadLetters(FLOW)).filter((d) => d.docId === String(referenced));
    expect(dead).toHaveLength(1);
    expectPermanent(dead, String(referenced), { code: 'KINGDEE_REJECTED', mentions: ['UnAudit', '下游单据引用'] });
    expect(await getReversal({ redis: p.redis, prefix }, FLOW, `${prefixNo}${referenced}`)).toMatchObject({ outcome: 'refused' });
    const event = (await readAlertEvents(p.redis, prefix)).find((e) => e.docId === String(referenced));
    expect(event).toMatchObject({ type: 'reversal' });
    expect(event!.message).toContain('refused UnAudit');
  }, 120_000);
});
