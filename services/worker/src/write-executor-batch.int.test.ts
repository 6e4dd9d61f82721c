/**
 * The batched Kingdee write path (writeBatchSize > 1): the write collector and writeTargetBatch against the real
 * Kingdee simulator over HTTP (4 integration users) and real Redis.
 */
import { PermanentError, TransientError } from '@sync/errors';
import { flowRegistry } from '@sync/flows';
import { createKingdeeClient, type KingdeeApi } from '@sync/kingdee';
import { silentLogger } from '@sync/logger';
import { acquireLock, createLedger, createRedis, keys, releaseLock } from '@sync/queue';
import { demoCredentials, kingdeeUsers, startKingdeeSimulator, type KingdeeSimulator } from '@sync/simulator';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { writeTargetBatch } from './write-executor';
import type { KingdeeWriterDeps, WriteRequest } from './write-types';
import { createWriteCollector } from './write-collector';

const FORM = 'SAL_OUTSTOCK';
const FLOW = 'sales-outbound';
/** The key field sales-outbound declares for its form. */
const declaredKey = flowRegistry[FLOW].target.keyFields[FORM];
const full = { submit: true, audit: true, allowNegativeStock: true };
const users = kingdeeUsers(4);

function model(material = 'A1001-RED-S'): Record<string, unknown> {
  return {
    FID: 0,
    FBillTypeID: { FNUMBER: 'XSCKD01_SYS' },
    FDate: '2024-06-01',
    FSaleOrgId: { FNumber: '100' },
    FStockOrgId: { FNumber: '100' },
    FCustomerID: { FNumber: 'CUST-TMALL' },
    SubHeadEntity: { FSettleCurrID: { FNumber: 'PRE001' }, FSettleOrgID: { FNumber: '100' } },
    FEntity: [{ FMaterialID: { FNumber: material }, FUnitID: { FNumber: 'Pcs' }, FRealQty: 2, FStockID: { FNumber: 'CK001' } }],
  };
}

describe('batched Kingdee writes (real simulator, real Redis)', () => {
  const prefix = uniquePrefix('batch-writer');
  const redis = createRedis(testRedisUrl(), { role: 'worker' });
  let sim: KingdeeSimulator;
  let kingdee: KingdeeApi;
  let deps: KingdeeWriterDeps;
  let run = 0;

  const client = (timeoutMs: number) =>
    createKingdeeClient({ baseUrl: sim.url, auth: 'password', acctId: demoCredentials.kingdee.acctId, users: users.map((u) => ({ username: u.username, password: u.password })), timeoutMs, logger: silentLogger() });

  beforeAll(async () => {
    sim = await startKingdeeSimulator({ users, latency: { perCallMs: 5, perLineMs: 1 } });
  });
  beforeEach(() => {
    sim.reset();
    sim.setFaults({ latency: { perCallMs: 5, perLineMs: 1 } });
    run += 1;
    kingdee = client(10_000);
    deps = { kingdee, redis, prefix: `${prefix}-${run}`, ledger: createLedger(redis, `${prefix}-${run}`), logger: silentLogger(), now: () => new Date('2024-06-01T08:00:00Z') };
  });
  afterEach(async () => {
    await kingdee.close();
  });
  afterAll(async () => {
    const left = await redis.keys(`${prefix}*`);
    if (left.length) await redis.del(...left);
    await redis.quit();
    await sim.close();
  });

  const request = (i: number, material?: string): WriteRequest => ({
    flow: FLOW, settings: full, target: { formId: FORM, billNo: `JSTSO${run}-${i}`, model: model(material) }, declaredKey, docId: `${i}`, version: '1', jobId: `job-${i}`,
  });
  const writes = () => (sim.stats().calls.save ?? 0) + (sim.stats().calls.batchsave ?? 0);

  it('100 concurrent documents through 4 users in batches of 20, staged: about 5 BatchSaves, 5 Submits and 5 Audits by Ids', async () => {
    const collector = createWriteCollector(deps, { maxBatch: 20, waitMs: 200 });
    const reqs = Array.from({ length: 100 }, (_, i) => request(i));
    const results = await Promise.all(reqs.map((r) => collector.write(r)));
    await collector.flush();

    expect(results.every((r) => r.status === 'audited')).toBe(true);
    expect(results[0].actions).toEqual(['save', 'submit', 'audit']);
    const docs = sim.documents(FORM);
    expect(docs).toHaveLength(100);
    expect(new Set(docs.map((d) => d.billNo)).size).toBe(100);
    expect(docs.every((d) => d.status === 'C')).toBe(true);
    expect(writes()).toBeLessThanOrEqual(100 / 20 + 2);
    // Bills never sent before need no lookup: the sent markers (written before each BatchSave) say so.
    expect(sim.stats().calls.executebillquery ?? 0).toBe(0);
    expect(await deps.ledger.sentBefore(FLOW, [reqs[0].target.billNo, `JSTSO${run}-never`])).toEqual([true, false]);
    expect(sim.stats().calls.submit ?? 0).toBeLessThanOrEqual(100 / 20 + 2);
    expect(sim.stats().calls.audit ?? 0).toBeLessThanOrEqual(100 / 20 + 2);
    const entry = await deps.ledger.get(FLOW, reqs[42].target.billNo);
    expect(entry).toMatchObject({ status: 'audited', jobId: 'job-42', kingdeeId: results[42].kingdeeId });

    // Running the same documents again writes nothing: the ledger answers.
    const again = await Promise.all(reqs.map((r) => collector.write(r)));
    expect(again.every((r) => r.actions.length === 0 && r.status === 'audited')).toBe(true);
    expect(writes()).toBeLessThanOrEqual(100 / 20 + 2);
  });

  it('writeMode auto-audit: BatchSave with IsAutoSubmitAndAudit, no Submit or Audit call', async () => {
    const collector = createWriteCollector(deps, { maxBatch: 20, waitMs: 200 });
    const reqs = Array.from({ length: 40 }, (_, i) => ({ ...request(i), settings: { ...full, writeMode: 'auto-audit' as const } }));
    const results = await Promise.all(reqs.map((r) => collector.write(r)));
    expect(results.every((r) => r.status === 'audited')).toBe(true);
    expect(results[0].actions).toEqual(['save', 'submit', 'audit']);
    expect(sim.documents(FORM).filter((d) => d.status === 'C')).toHaveLength(40);
    expect(sim.stats().calls.submit ?? 0).toBe(0); // IsAutoSubmitAndAudit did it
    expect(sim.stats().calls.audit ?? 0).toBe(0);
    expect(writes()).toBeLessThanOrEqual(40 / 20 + 2);
  });

  it('one rejected package (unmapped material) fails only its own job, permanently', async () => {
    const collector = createWriteCollector(deps, { maxBatch: 20, waitMs: 200 });
    const reqs = Array.from({ length: 20 }, (_, i) => request(i, i === 7 ? 'NO-SUCH-SKU' : undefined));
    const settled = await Promise.allSettled(reqs.map((r) => collector.write(r)));
    const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [{ i, reason: s.reason as unknown }] : []));
    expect(failed.map((f) => f.i)).toEqual([7]);
    const err = failed[0].reason;
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('KINGDEE_REJECTED');
    expect((err as PermanentError).message).toContain('document 7');
    expect((err as PermanentError).message).toContain('FMaterialID'); // Kingdee names the field, not the value
    expect(sim.documents(FORM)).toHaveLength(19);
    expect(writes()).toBe(1);
  });

  it('an ambiguous timeout on a committed BatchSave: the bills are looked up and finished, nothing is saved twice', async () => {
    await kingdee.close();
    kingdee = client(1000);
    deps = { ...deps, kingdee };
    sim.setFaults({ faults: { commitThenDelay: { nextN: 1, delayMs: 3000 } } });
    const collector = createWriteCollector(deps, { maxBatch: 10, waitMs: 200 });
    const reqs = Array.from({ length: 10 }, (_, i) => request(i));
    const first = await Promise.all(reqs.map((r) => collector.write(r)));
    // The client timed out (1 s < 3 s); the lookup that follows finds what Kingdee committed.
    expect(first.every((r) => r.status === 'audited' && !r.actions.includes('save'))).toBe(true);
    expect(sim.stats().faults.commitThenDelay).toBe(1);
    expect(sim.documents(FORM)).toHaveLength(10);

    const retry = await Promise.all(reqs.map((r) => collector.write(r)));
    expect(retry.every((r) => r.status === 'audited' && r.actions.length === 0)).toBe(true);
    const docs = sim.documents(FORM);
    expect(docs).toHaveLength(10);
    expect(new Set(docs.map((d) => d.billNo)).size).toBe(10);
    expect(sim.stats().calls.batchsave).toBe(1);
  });

  it('without auto submit/audit: plain BatchSave, then ONE Submit and ONE Audit for the whole batch; found bills are resumed', async () => {
    const reqs = Array.from({ length: 6 }, (_, i) => ({ ...request(i), settings: { submit: true, audit: true, allowNegativeStock: false } }));
    // Two already exist: one left in A (resumed), one audited (only recorded).
    const resumed = await kingdee.batchSave(FORM, [{ ...model(), FBillNo: reqs[0].target.billNo }, { ...model(), FBillNo: reqs[1].target.billNo }], { IsAutoSubmitAndAudit: false });
    expect(resumed.every((r) => r.ok)).toBe(true);
    await kingdee.submit(FORM, [reqs[1].target.billNo]);
    await kingdee.audit(FORM, [reqs[1].target.billNo]);
    const before = { submit: sim.stats().calls.submit ?? 0, audit: sim.stats().calls.audit ?? 0 };

    const outcomes = await writeTargetBatch(deps, reqs.map((r) => ({ ...r, settings: { submit: true, audit: false, allowNegativeStock: false } })));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sim.documents(FORM).filter((d) => d.status === 'B')).toHaveLength(5);
    expect((sim.stats().calls.submit ?? 0) - before.submit).toBe(1);
    expect((sim.stats().calls.audit ?? 0) - before.audit).toBe(0);

    const audited = await writeTargetBatch(deps, reqs);
    expect(audited.map((o) => o.ok && o.result.status)).toEqual(Array(6).fill('audited'));
    expect((sim.stats().calls.audit ?? 0) - before.audit).toBe(1);
    expect(sim.documents(FORM)).toHaveLength(6);
  });

  it('a document whose lock is held elsewhere goes back as DOC_LOCKED; the rest of the batch is written', async () => {
    const reqs = Array.from({ length: 3 }, (_, i) => request(i));
    const lock = await acquireLock(redis, keys.docLock(deps.prefix, FLOW, reqs[1].target.billNo), 10_000);
    expect(lock).toBeDefined();
    const outcomes = await writeTargetBatch(deps, reqs);
    await releaseLock(redis, lock!);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const err = (outcomes[1] as { ok: false; error: unknown }).error;
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).code).toBe('DOC_LOCKED');
    expect(sim.documents(FORM).map((d) => d.billNo).sort()).toEqual([reqs[0].target.billNo, reqs[2].target.billNo].sort());
  });

  describe('a real account: staged writes that stop, and resume at the failed stage', () => {
    const staged = { submit: true, audit: true, allowNegativeStock: false };
    const batch = (n: number, settings: WriteRequest['settings'] = staged) => Array.from({ length: n }, (_, i) => ({ ...request(i), settings }));
    const errorOf = (o: { ok: boolean }) => (o as { ok: false; error: PermanentError }).error;

    it('negative stock (allowNegativeStock off): those bills stop at submitted with KINGDEE_NEGATIVE_STOCK; the retry audits without saving again', async () => {
      // A stock of its own (not kept by location), the only one whose stock runs out.
      sim.addBaseData({ stocks: [{ number: 'CK-NEG', name: '负库存测试仓' }] });
      sim.setFaults({ refusals: [{ reason: 'negative-stock', formId: FORM, stock: 'CK-NEG' }] });
      const reqs = batch(4);
      reqs[1].target.model = { ...model(), FEntity: [{ FMaterialID: { FNumber: 'A1001-RED-S' }, FUnitID: { FNumber: 'Pcs' }, FRealQty: 2, FStockID: { FNumber: 'CK-NEG' } }] };
      const outcomes = await writeTargetBatch(deps, reqs);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, true]);
      const err = errorOf(outcomes[1]);
      expect(err.code).toBe('KINGDEE_NEGATIVE_STOCK');
      expect(err.message).toContain(`document 1 → ${FORM} ${reqs[1].target.billNo}: audit failed: 更新库存时出现可以忽略的异常数据`);
      expect(err.message).toContain('a retry resumes at the audit');
      expect(sim.documents(FORM, { billNo: reqs[1].target.billNo })[0].status).toBe('B');
      expect(await deps.ledger.get(FLOW, reqs[1].target.billNo)).toMatchObject({ status: 'submitted' });
      expect([sim.stats().calls.batchsave, sim.stats().calls.submit, sim.stats().calls.audit]).toEqual([1, 1, 1]);

      sim.setFaults({ refusals: [] });
      const [retry] = await writeTargetBatch(deps, [reqs[1]]);
      expect(retry).toMatchObject({ ok: true, result: { status: 'audited', actions: ['audit'] } });
      expect(sim.stats().calls.batchsave).toBe(1);
      expect(sim.documents(FORM)).toHaveLength(4);
    });

    it('negative stock forbidden by the stock organisation: refused even with allowNegativeStock', async () => {
      sim.setFaults({ refusals: [{ reason: 'negative-stock', formId: FORM, forbidNegative: true }] });
      const [outcome] = await writeTargetBatch(deps, batch(1, full));
      expect(errorOf(outcome).code).toBe('KINGDEE_NEGATIVE_STOCK');
      expect(errorOf(outcome).message).toContain('库存组织不允许负库存');
    });

    it('workflow: KINGDEE_WORKFLOW says what to do; with audit: false the same bills stop at submitted without error', async () => {
      sim.setFaults({ refusals: [{ reason: 'workflow', formId: FORM, billType: 'XSCKD01_SYS' }] });
      const outcomes = await writeTargetBatch(deps, batch(3));
      expect(outcomes.every((o) => !o.ok && errorOf(o).code === 'KINGDEE_WORKFLOW')).toBe(true);
      expect(errorOf(outcomes[0]).message).toContain('exclude bills created by the API from the workflow');
      expect(errorOf(outcomes[0]).message).toContain(`flows.${FLOW}.audit: false`);
      const submitted = await writeTargetBatch(deps, batch(3, { ...staged, audit: false }));
      expect(submitted.map((o) => o.ok && o.result.status)).toEqual(['submitted', 'submitted', 'submitted']);
      expect(sim.stats().calls.batchsave).toBe(1);
    });

    it('permission (MsgCode 2) at submit: KINGDEE_PERMISSION, the bills stay saved; granted, the retry resumes at submit', async () => {
      sim.setFaults({ refusals: [{ reason: 'permission', formId: FORM, operation: 'submit' }] });
      const reqs = batch(2);
      const outcomes = await writeTargetBatch(deps, reqs);
      expect(outcomes.map((o) => !o.ok && errorOf(o).code)).toEqual(['KINGDEE_PERMISSION', 'KINGDEE_PERMISSION']);
      expect(errorOf(outcomes[0]).message).toContain('submit failed');
      expect(errorOf(outcomes[0]).message).toContain('(status A)');
      expect(sim.documents(FORM).map((d) => d.status)).toEqual(['A', 'A']);
      sim.setFaults({ refusals: [] });
      const retry = await writeTargetBatch(deps, reqs);
      expect(retry.map((o) => o.ok && o.result.actions)).toEqual([['submit', 'audit'], ['submit', 'audit']]);
      expect(sim.stats().calls.batchsave).toBe(1);
    });

    it('auto-audit refused: Kingdee rolled the save back, so nothing exists and the job fails with the reason; fixed, it saves', async () => {
      sim.setFaults({ refusals: [{ reason: 'negative-stock', formId: FORM }] });
      const reqs = batch(2, { ...staged, writeMode: 'auto-audit' });
      const outcomes = await writeTargetBatch(deps, reqs);
      expect(outcomes.map((o) => !o.ok && errorOf(o).code)).toEqual(['KINGDEE_NEGATIVE_STOCK', 'KINGDEE_NEGATIVE_STOCK']);
      expect(sim.documents(FORM)).toEqual([]);
      sim.setFaults({ refusals: [] });
      const retry = await writeTargetBatch(deps, reqs);
      expect(retry.map((o) => o.ok && o.result.status)).toEqual(['audited', 'audited']);
      expect(sim.documents(FORM)).toHaveLength(2);
    });

    it('renumbering with keyField set to a custom field (F_JST_Key): the key goes there and finds the bills again', async () => {
      sim.setFaults({ numbering: [{ formId: FORM }] });
      const reqs = batch(3, { ...staged, keyField: 'F_JST_Key' });
      await writeTargetBatch(deps, reqs);
      const docs = sim.documents(FORM);
      expect(docs.map((d) => d.model.F_JST_Key).sort()).toEqual(reqs.map((r) => r.target.billNo).sort());
      await redis.del(`${deps.prefix}:ledger:${FLOW}`);
      const again = await writeTargetBatch(deps, reqs);
      expect(again.every((o) => o.ok && o.result.actions.length === 0)).toBe(true);
      expect(sim.documents(FORM)).toHaveLength(3);
    });

    it('renumbering: the answered numbers are recorded; with the ledger lost, the retry finds every bill by its key and saves none', async () => {
      sim.setFaults({ numbering: [{ formId: FORM }] });
      const reqs = batch(10);
      const first = await writeTargetBatch(deps, reqs);
      expect(first.every((o) => o.ok && o.result.status === 'audited' && o.result.number !== o.result.billNo)).toBe(true);
      const docs = sim.documents(FORM);
      expect(docs.map((d) => (d.model.SubHeadEntity as Record<string, unknown>).FThirdBillNo).sort()).toEqual(reqs.map((r) => r.target.billNo).sort());
      expect(await redis.hget(`${deps.prefix}:renumbered`, `${FLOW}:${FORM}`)).toContain(reqs[0].target.billNo);

      await redis.del(`${deps.prefix}:ledger:${FLOW}`); // a worker killed between the Save and the ledger write
      const again = await writeTargetBatch(deps, reqs);
      expect(again.every((o) => o.ok && o.result.status === 'audited' && o.result.actions.length === 0)).toBe(true);
      expect(sim.documents(FORM)).toHaveLength(10);
      expect(sim.stats().calls.batchsave).toBe(1);
      expect(sim.stats().calls.executebillquery).toBe(1);
    });
  });
});
