/**
 * End to end, reconciliation (对账) of sales outbound: a business day is seeded in JST and synced by the real poller
 * and worker; then each kind of difference is planted the way it happens — in Kingdee through its WebAPI (a bill
 * deleted, a quantity changed, a bill unaudited, a bill keyed by hand under our prefix) and in JST (a synced
 * document cancelled). A reconciliation through the API finds exactly those; a person does what the run lists for
 * a person; the repair resyncs the rest through the normal queues; a second reconciliation is clean.
 */
import { formatBeijingTime } from '@sync/jushuitan';
import type { KingdeeApi } from '@sync/kingdee';
import { readKingdeeBills } from '@sync/poller';
import type { JstSimulator, KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import { demoConfig, startSystem, type System } from '../support/system';

const FLOW = 'sales-outbound';
const FORM = 'SAL_OUTSTOCK';
const KIND = 'orders-out';
const FOREIGN = 'JSTSO99999999';

interface Doc { docId: string; kind: string; action: string; bills: { billNo: string }[]; lines?: unknown[] }
interface Day { flow: string; day: string; balanced: boolean; counts: Record<string, number>; totals: { jst: { documents: number; qty: number }; kingdee: { documents: number; qty: number } }; documents: Doc[] }
/** The parts of the API's answers this test reads. */
interface Json {
  id?: string; state?: string; field?: string;
  resyncs?: { docIds: string[]; resyncId: string }[];
  forPeople?: { docId: string }[];
  entries?: { action: string }[];
  reconciliations?: { days: { documents?: unknown }[] }[];
}
interface Run { id: string; state: string; balanced?: boolean; days: Day[]; error?: string }

describe('reconciliation end to end', () => {
  const prefix = uniquePrefix('e2e-recon');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: System;
  /** Kingdee's WebAPI, where a person plants and fixes differences. */
  let kingdee: KingdeeApi;
  let ids: string[] = [];
  // Yesterday in Beijing: documents shipped between 10:00 and 18:00.
  const day = formatBeijingTime(Date.now() - 24 * 3600 * 1000).slice(0, 10);
  const billNo = (id: string) => `JSTSO${id}`;

  beforeAll(async () => {
    const sims = await startSimulators();
    jstSim = sims.jst;
    kdSim = sims.kingdee;
    ids = jstSim.seed({ count: 10, seed: 'recon-e2e', unmappedRate: 0, statusMix: { Confirmed: 1 }, batchRate: 0.5, modifiedFrom: `${day} 10:00:00`, modifiedTo: `${day} 18:00:00` }).ids.map(String);
    const fileConfig = demoConfig();
    const so = fileConfig.flows[FLOW]!;
    // No reconciliation schedule (the system never has one): the test starts every run itself.
    const config = { ...fileConfig, flows: { [FLOW]: { ...so, schedule: { ...so.schedule, everyMs: 3_600_000 } } } };
    pipeline = await startSystem({ prefix, simulators: sims, config });
    kingdee = pipeline.kingdee;
  }, 60_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> => {
    const res = await fetch(`${pipeline.apiUrl}${path}`, {
      method, headers: { ...pipeline.authed, ...(body !== undefined && { 'content-type': 'application/json' }) }, ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
  const bills = () => new Map(kdSim.documents(FORM).map((d) => [d.billNo, d]));
  async function reconcile(): Promise<Run> {
    const started = await api('POST', '/reconciliations', { flow: FLOW, from: day });
    expect(started.status).toBe(202);
    let run: Run | undefined;
    await until('the reconciliation to finish', async () => {
      run = (await api('GET', `/reconciliations/${started.json.id}`)).json as unknown as Run;
      return run.state === 'done' || run.state === 'failed';
    }, 60_000);
    expect(run!.error).toBeUndefined();
    return run!;
  }
  const kinds = (run: Run) => run.days.flatMap((d) => d.documents.map((x) => [x.kind, x.docId])).sort();

  it('a synced day balances', async () => {
    await pipeline.pollOnce(FLOW);
    await until('the seeded day to be written', async () => ids.every((id) => bills().get(billNo(id))?.status === 'C') && (await pipeline.idle(FLOW)), 60_000);
    const run = await reconcile();
    expect(run.balanced).toBe(true);
    expect(run.days).toHaveLength(1);
    expect(run.days[0]).toEqual(expect.objectContaining({ flow: FLOW, day, balanced: true }));
    expect(run.days[0].totals.jst.documents).toBe(ids.length);
    expect(run.days[0].totals.kingdee.documents).toBe(ids.length);
    expect(run.days[0].totals.kingdee.qty).toBe(run.days[0].totals.jst.qty);
  }, 120_000);

  it('reads Kingdee page by page without losing or repeating a line, whatever the page size', async () => {
    const sel = { formId: FORM, prefixes: ['JSTSO'], from: day, to: day };
    const whole = await readKingdeeBills(kingdee, sel);
    expect(whole.map((b) => b.sourceId).sort()).toEqual([...ids].sort());
    const lines = whole.reduce((n, b) => n + b.lines.length, 0);
    expect(lines).toBeGreaterThan(ids.length); // several lines per bill, so pages of 3 rows end inside bills
    const paged = await readKingdeeBills(kingdee, sel, 3);
    expect(paged).toEqual(whole);
    expect(await readKingdeeBills(kingdee, { ...sel, from: '2000-01-01', to: '2000-01-02' })).toEqual([]);
  });

  let planted: Run;
  it('finds exactly the differences planted in Kingdee and in JST', async () => {
    const [deleted, changed, unaudited, copied, cancelled] = ids;
    // Deleted in Kingdee.
    await kingdee.unAudit(FORM, [billNo(deleted)]);
    await kingdee.delete(FORM, [billNo(deleted)]);
    // A quantity changed in Kingdee (unaudit, edit the first line, audit again).
    await kingdee.unAudit(FORM, [billNo(changed)]);
    const edited = bills().get(billNo(changed))!;
    const entry = (edited.model.FEntity as Array<{ FEntryID: number; FRealQty: number }>)[0];
    await kingdee.save(FORM, { FID: edited.id, FEntity: [{ FEntryID: entry.FEntryID, FRealQty: entry.FRealQty + 5 }] }, { IsDeleteEntry: false });
    await kingdee.submit(FORM, [billNo(changed)]);
    await kingdee.audit(FORM, [billNo(changed)]);
    // Unaudited in Kingdee.
    await kingdee.unAudit(FORM, [billNo(unaudited)]);
    // Keyed by hand under our prefix: a copy of a synced bill with a number no JST document has.
    const model = structuredClone(bills().get(billNo(copied))!.model) as Record<string, unknown>;
    delete model.FID;
    for (const e of model.FEntity as Array<Record<string, unknown>>) delete e.FEntryID;
    await kingdee.save(FORM, { ...model, FBillNo: FOREIGN }, {});
    // Cancelled in JST after it was written.
    jstSim.mutate(KIND, cancelled, { status: 'Cancelled' });

    planted = await reconcile();
    expect(planted.balanced).toBe(false);
    expect(kinds(planted)).toEqual([
      ['extra', '99999999'], ['extra', cancelled], ['missing', deleted], ['quantity', changed], ['status', unaudited],
    ].sort());
    const byId = new Map(planted.days[0].documents.map((d) => [d.docId, d]));
    const lines = byId.get(changed)!.lines as Array<{ jst: number; kingdee: number }>;
    expect(lines).toHaveLength(1);
    expect(lines[0].kingdee - lines[0].jst).toBe(5);
    expect(byId.get(deleted)!.action).toBe('resync');
    expect(['99999999', cancelled, unaudited].map((id) => byId.get(id)!.action)).toEqual(['person', 'person', 'person']);
    expect(planted.days[0].counts).toEqual(expect.objectContaining({ missing: 1, quantity: 1, status: 1, extra: 2, equal: ids.length - 4 }));
  }, 120_000);

  it('a person handles what is listed for a person, the repair resyncs the rest, and the next run is clean', async () => {
    const [, changed, unaudited, , cancelled] = ids;
    // What the page tells a person: audit the unaudited bill; unaudit and delete the extra bills and the bill with
    // other quantities (the repair then writes it again from JST).
    await kingdee.submit(FORM, [billNo(unaudited)]);
    await kingdee.audit(FORM, [billNo(unaudited)]);
    for (const number of [FOREIGN, billNo(cancelled), billNo(changed)]) {
      if (bills().get(number)!.status === 'C') await kingdee.unAudit(FORM, [number]);
      await kingdee.delete(FORM, [number]);
    }
    const repaired = await api('POST', `/reconciliations/${planted.id}/repair`);
    expect(repaired.status).toBe(200);
    expect(repaired.json.resyncs!.flatMap((r) => r.docIds).sort()).toEqual([ids[0], changed].sort());
    expect(repaired.json.forPeople!.map((p) => p.docId).sort()).toEqual(['99999999', cancelled, unaudited].sort());
    for (const r of repaired.json.resyncs!) {
      await until('the repair resync to finish', async () => (await api('GET', `/resync/${r.resyncId}`)).json.state === 'completed', 30_000);
    }
    await until('the repaired bills to be written', async () => [ids[0], changed].every((id) => bills().get(billNo(id))?.status === 'C') && (await pipeline.idle(FLOW)), 60_000);

    const clean = await reconcile();
    expect(kinds(clean)).toEqual([]);
    expect(clean.balanced).toBe(true);
    expect(clean.days[0].totals.kingdee.documents).toBe(ids.length - 1);
    expect(clean.days[0].totals.jst.documents).toBe(ids.length - 1);
    // Every bill once: the repair wrote no duplicate.
    expect(kdSim.documents(FORM).length).toBe(ids.length - 1);
    const metrics = await (await fetch(`${pipeline.apiUrl}/metrics`, { headers: pipeline.authed })).text();
    expect(metrics).toContain(`sync_reconciliation_differences{flow="${FLOW}",day="${day}"} 0`);
    expect(metrics).toContain(`sync_reconciliation_documents{flow="${FLOW}",day="${day}"} ${ids.length - 1}`);
    expect(metrics).toMatch(new RegExp(`sync_reconciliation_age_seconds\\{flow="${FLOW}"\\} \\d+`));
    const audit = await api('GET', '/audit');
    expect(audit.json.entries!.map((e) => e.action)).toEqual(expect.arrayContaining(['reconcile', 'reconcile-repair']));
  }, 120_000);

  it('a bill the account renumbered is still found, by the key the writer keeps (FThirdBillNo = the JST id)', async () => {
    const id = ids[6];
    await kingdee.unAudit(FORM, [billNo(id)]);
    const bill = bills().get(billNo(id))!;
    await kingdee.save(FORM, { FID: bill.id, FBillNo: 'XSCKD00000042' }, { IsDeleteEntry: false });
    await kingdee.submit(FORM, ['XSCKD00000042']);
    await kingdee.audit(FORM, ['XSCKD00000042']);
    expect(bills().has(billNo(id))).toBe(false);
    const run = await reconcile();
    expect(kinds(run)).toEqual([]);
    expect(run.days[0].totals.kingdee.documents).toBe(ids.length - 1);
  }, 120_000);

  it('refuses bad input with the field named, and a repair before the run is done', async () => {
    expect((await api('POST', '/reconciliations', { flow: 'nope', from: day })).json).toEqual(expect.objectContaining({ field: 'flow' }));
    expect((await api('POST', '/reconciliations', { from: '2026-02-30' })).json).toEqual(expect.objectContaining({ field: 'from' }));
    expect((await api('POST', '/reconciliations', { from: day, to: '2000-01-01' })).status).toBe(400);
    expect((await api('GET', '/reconciliations/recon-unknown')).status).toBe(404);
    const list = await api('GET', '/reconciliations?limit=2');
    expect(list.json.reconciliations).toHaveLength(2);
    expect(list.json.reconciliations![0].days[0].documents).toBeUndefined();
  });
});
