import { startKingdeeSimulator, type KingdeeSimulator } from './index';
import { salesOutModel } from './sales-out-fixtures.test-support';
import { loginWithPassword, responseStatus, simulatorPerFile, type KdSessionClient } from './kd-http.test-support';

type Json = Record<string, unknown>;
const status = (res: { json: unknown }): Json => responseStatus(res);
const query = { data: { FormId: 'BD_Currency', FieldKeys: 'FCODE' } };

describe('Kingdee simulator: per-session serialization, latency and faults', () => {
  let sim: KingdeeSimulator;
  const { session } = simulatorPerFile(async () => (sim = await startKingdeeSimulator()));
  let a: KdSessionClient;
  let b: KdSessionClient;
  const admin = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${sim.port}/__admin/${path}`, init);
  const postJson = (path: string, body: unknown) => admin(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeEach(async () => {
    a = session();
    b = await loginWithPassword(sim.url, 'integration2', 'demo-kd-password-2');
  });

  it('five parallel calls on one session run one at a time', async () => {
    sim.setFaults({ latency: { perCallMs: 40 } });
    const results = await Promise.all(Array.from({ length: 5 }, () => a.call('ExecuteBillQuery', query)));
    expect(results.map((r) => r.json)).toEqual(Array(5).fill([['CNY']]));
    const stats = sim.stats();
    expect(stats.concurrency.perSession).toEqual({ 'integration#1': 1 });
    expect(stats.calls.executebillquery).toBe(5);
  });

  it('two sessions run in parallel (overall high-water mark 2+, each session still 1)', async () => {
    sim.setFaults({ latency: { perCallMs: 150 } });
    await Promise.all([...Array.from({ length: 3 }, () => a.call('ExecuteBillQuery', query)), ...Array.from({ length: 3 }, () => b.call('ExecuteBillQuery', query))]);
    const { concurrency } = sim.stats();
    expect(concurrency.highWater).toBeGreaterThanOrEqual(2);
    expect(concurrency.perSession).toEqual({ 'integration#1': 1, 'integration2#1': 1 });
  });

  it('with serialization switched off, one session reaches 2+ at once', async () => {
    sim.setFaults({ latency: { perCallMs: 150 }, serializePerSession: false });
    await Promise.all(Array.from({ length: 3 }, () => a.call('ExecuteBillQuery', query)));
    expect(sim.stats().concurrency.perSession['integration#1']).toBeGreaterThanOrEqual(2);
  });

  it('commitThenDelay: the client times out, yet the bill exists', async () => {
    sim.setFaults({ faults: { commitThenDelay: { nextN: 1, delayMs: 10_000 } } });
    await expect(a.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: salesOutModel('CTD-1') } }, { timeoutMs: 300 })).rejects.toThrow();
    expect(sim.documents('SAL_OUTSTOCK', { billNo: 'CTD-1' })).toHaveLength(1);
    // The session is not blocked by the held answer; the next save answers normally.
    const next = await a.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: salesOutModel('CTD-2') } });
    expect(status(next).IsSuccess).toBe(true);
    expect(sim.stats().faults.commitThenDelay).toBe(1);
    expect(sim.heldAnswers()).toBe(1); // CTD-1's answer is still held back
  });

  it('HTTP 500 for the next N calls, then normal answers', async () => {
    sim.setFaults({ faults: { http500: { nextN: 2 } } });
    expect((await a.call('ExecuteBillQuery', query)).status).toBe(500);
    expect((await a.call('ExecuteBillQuery', query)).status).toBe(500);
    const ok = await a.call('ExecuteBillQuery', query);
    expect([ok.status, ok.json]).toEqual([200, [['CNY']]]);
  });

  it('HTTP 500 at a rate uses the injected random source', async () => {
    const draws = [0.1, 0.9];
    const seeded = await startKingdeeSimulator({ random: () => draws.shift() ?? 0.99 });
    try {
      seeded.setFaults({ faults: { http500: { rate: 0.5 } } });
      const c = await loginWithPassword(seeded.url, 'integration', 'demo-kd-password-1').catch((e: unknown) => e);
      expect(c).toBeInstanceOf(Error); // first draw 0.1 < 0.5 → the login itself got HTTP 500
      const c2 = await loginWithPassword(seeded.url, 'integration', 'demo-kd-password-1');
      expect((await c2.call('ExecuteBillQuery', query)).json).toEqual([['CNY']]);
    } finally {
      await seeded.close();
    }
  });

  it('MsgCode 14 call-limit answers (wrapped for ExecuteBillQuery)', async () => {
    sim.setFaults({ faults: { callLimit: { nextN: 2 } } });
    expect(status(await a.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: salesOutModel('CL-1') } }))).toMatchObject({ ErrorCode: 500, IsSuccess: false, MsgCode: 14 });
    const wrapped = (await a.call('ExecuteBillQuery', query)).json as Array<Array<{ Result: { ResponseStatus: Json } }>>;
    expect(wrapped[0][0].Result.ResponseStatus.MsgCode).toBe(14);
    expect(sim.documents('SAL_OUTSTOCK')).toEqual([]);
  });

  describe('admin HTTP interface', () => {
    it('faults, stats and documents over HTTP', async () => {
      const set = await postJson('faults', { latency: { perLineMs: 1 }, faults: { callLimit: { nextN: 1 } } });
      expect(await set.json()).toMatchObject({ latency: { perCallMs: 0, perLineMs: 1 }, faults: { callLimit: { nextN: 1, rate: 0 } } });
      expect((await postJson('faults', { faults: { http500: { rate: 2 } } })).status).toBe(400);
      await a.call('ExecuteBillQuery', query);
      await a.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: salesOutModel('ADM-1') } });
      const stats = (await (await admin('stats')).json()) as Json;
      expect(stats).toMatchObject({ saves: 1, faults: { callLimit: 1 }, calls: { executebillquery: 1, save: 1, validateuser: 2 } });
      const docs = (await (await admin('documents/sal_outstock?billNo=ADM-1')).json()) as { documents: Json[] };
      expect(docs.documents).toHaveLength(1);
      expect(docs.documents[0]).toMatchObject({ billNo: 'ADM-1', status: 'A', model: { FBillNo: 'ADM-1' } });
      const byThirdParty = (await (await admin('documents/SAL_OUTSTOCK?thirdPartyId=jst-ADM-1')).json()) as { documents: Json[] };
      expect(byThirdParty.documents.map((d) => d.billNo)).toEqual(['ADM-1']);
    });

    it('base data can be added; a new material becomes usable, a forbidden one is not', async () => {
      const res = await postJson('base-data', { materials: [{ number: 'NEW-1', name: '新品', baseUnit: 'Pcs' }, { number: 'OLD-1', name: '旧品', forbidden: true }] });
      expect(await res.json()).toEqual({ written: 2 });
      expect((await postJson('base-data', { materials: [{ name: 'no number' }] })).status).toBe(400);
      const ok = await a.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: salesOutModel('BD-1', [{ material: 'NEW-1' }]) } });
      expect(status(ok).IsSuccess).toBe(true);
      const forbidden = await a.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: salesOutModel('BD-2', [{ material: 'OLD-1' }]) } });
      expect(status(forbidden)).toMatchObject({ IsSuccess: false, Errors: [{ FieldName: 'FMaterialID' }] });
    });

    it('reset clears documents, sessions and knobs', async () => {
      await a.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: salesOutModel('R-1') } });
      sim.setFaults({ faults: { http500: { nextN: 5 } } });
      expect(await (await admin('reset', { method: 'POST' })).json()).toEqual({ ok: true });
      expect(sim.documents('SAL_OUTSTOCK')).toEqual([]);
      expect(sim.settings.faults.http500.nextN).toBe(0);
      expect(status(await a.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: {} } })).MsgCode).toBe(1);
    });
  });
});
