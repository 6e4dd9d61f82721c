import { PermanentError, TransientError } from '@sync/errors';
import { flowRegistry } from '@sync/flows';
import { silentLogger } from '@sync/logger';
import { createLedger, createRedis } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { createFakeKingdee, type FakeKingdee } from './fake-kingdee.test-support';
import { writeTargetDocument } from './write-executor';
import type { KingdeeWriterDeps, WriteRequest } from './write-types';

const FORM = 'SAL_OUTSTOCK';
/** The key field sales-outbound declares for its form. */
const declaredKey = flowRegistry['sales-outbound'].target.keyFields[FORM];
const full = { submit: true, audit: true, allowNegativeStock: true };

describe('writeTargetDocument: one document, a batch of one (real Redis, fake Kingdee)', () => {
  const prefix = uniquePrefix('writer');
  const redis = createRedis(testRedisUrl(), { role: 'worker' });
  const ledger = createLedger(redis, prefix);
  let kingdee: FakeKingdee;
  let deps: KingdeeWriterDeps;
  let n = 0;

  beforeEach(() => {
    kingdee = createFakeKingdee();
    deps = { kingdee, redis, prefix, ledger, logger: silentLogger(), now: () => new Date('2024-05-20T08:00:00Z') };
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  function request(settings: WriteRequest['settings'] = full, billNo = `JSTSO${++n}`): WriteRequest {
    return { flow: 'sales-outbound', settings, target: { formId: FORM, billNo, model: { FBillNo: 'ignored', FDate: '2024-05-20' } }, declaredKey, docId: billNo.slice(5), version: '1', jobId: `job-${billNo}` };
  }

  it('saves a new bill with FBillNo, submits it and audits it with the negative-stock flag', async () => {
    const req = request();
    const res = await writeTargetDocument(deps, req);
    expect(res).toMatchObject({ billNo: req.target.billNo, status: 'audited', actions: ['save', 'submit', 'audit'] });
    const bill = kingdee.bills.get(req.target.billNo)!;
    expect(bill.status).toBe('C');
    expect(bill.model.FBillNo).toBe(req.target.billNo);
    expect(res.kingdeeId).toBe(bill.id);
    expect(kingdee.calls.find((c) => c.op === 'audit')?.options).toEqual({ InterationFlags: 'STK_InvCheckResult' });
    expect(await ledger.get('sales-outbound', req.target.billNo)).toMatchObject({ status: 'audited', kingdeeId: bill.id, jobId: req.jobId });
  });

  it('looks a bill up before saving once a Save was sent for it: an audited bill is only recorded, never saved again', async () => {
    const req = request();
    await ledger.markSent('sales-outbound', [req.target.billNo]);
    const existing = kingdee.insert(FORM, req.target.billNo, 'C');
    const res = await writeTargetDocument(deps, req);
    expect(res).toMatchObject({ status: 'audited', kingdeeId: existing.id, actions: [] });
    expect(kingdee.count('save')).toBe(0);
    expect(kingdee.bills.size).toBe(1);
    expect((await ledger.get('sales-outbound', req.target.billNo))?.status).toBe('audited');
  });

  it('a first Save goes out without a lookup and marks the bill as sent before the call', async () => {
    const req = request();
    kingdee.beforeSave = async (billNo) => {
      expect(await ledger.sentBefore('sales-outbound', [billNo])).toEqual([true]);
    };
    const res = await writeTargetDocument(deps, req);
    expect(res.actions).toEqual(['save', 'submit', 'audit']);
    expect(kingdee.count('query')).toBe(0);
  });

  it('a bill keyed by hand under our number (never sent by us): Kingdee refuses the Save as a duplicate, the bill is looked up and recorded', async () => {
    const req = request();
    const existing = kingdee.insert(FORM, req.target.billNo, 'C');
    const res = await writeTargetDocument(deps, req);
    expect(res).toMatchObject({ status: 'audited', kingdeeId: existing.id, actions: [] });
    expect(kingdee.count('save')).toBe(1);
    expect(kingdee.bills.size).toBe(1);
  });

  it('lookupBeforeSave "always" looks every bill up before its first Save', async () => {
    const req = request({ ...full, lookupBeforeSave: 'always' });
    const existing = kingdee.insert(FORM, req.target.billNo, 'C');
    const res = await writeTargetDocument(deps, req);
    expect(res).toMatchObject({ status: 'audited', kingdeeId: existing.id, actions: [] });
    expect(kingdee.count('save')).toBe(0);
    expect(kingdee.count('query')).toBe(1);
  });

  it('resumes a bill left in status A: submit and audit only', async () => {
    const req = request();
    await ledger.markSent('sales-outbound', [req.target.billNo]);
    kingdee.insert(FORM, req.target.billNo, 'A');
    const res = await writeTargetDocument(deps, req);
    expect(res.actions).toEqual(['submit', 'audit']);
    expect(kingdee.count('save')).toBe(0);
    expect(kingdee.bills.get(req.target.billNo)?.status).toBe('C');
  });

  it('an ambiguous timeout after Kingdee committed the save does not create a second bill', async () => {
    const req = request();
    kingdee.timeoutsAfterCommit = 1;
    const res = await writeTargetDocument(deps, req);
    expect(res.status).toBe('audited');
    expect(kingdee.count('save')).toBe(1);
    expect(kingdee.bills.size).toBe(1);
  });

  it('an ambiguous timeout with nothing committed is rethrown as transient (the job retries)', async () => {
    const req = request();
    kingdee.beforeSave = () => {
      throw new TransientError('NETWORK', 'socket hang up');
    };
    await expect(writeTargetDocument(deps, req)).rejects.toBeInstanceOf(TransientError);
    kingdee.beforeSave = undefined;
    expect((await writeTargetDocument(deps, req)).status).toBe('audited');
    expect(kingdee.bills.size).toBe(1);
  });

  it('a duplicate-FBillNo rejection (another writer saved first) looks the bill up and carries on', async () => {
    const req = request();
    kingdee.beforeSave = (billNo) => void kingdee.insert(FORM, billNo, 'A');
    const res = await writeTargetDocument(deps, req);
    expect(res).toMatchObject({ status: 'audited', actions: ['submit', 'audit'] });
    expect(kingdee.bills.size).toBe(1);
  });

  it('two concurrent writes of one bill: the second waits on the lock, exactly one save', async () => {
    const req = request();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    kingdee.beforeSave = () => gate;
    const first = writeTargetDocument(deps, req);
    while (kingdee.count('save') === 0) await new Promise((r) => setTimeout(r, 5));
    const second = writeTargetDocument(deps, { ...req, version: '2', jobId: 'job-v2' });
    await expect(second).rejects.toMatchObject({ code: 'DOC_LOCKED' });
    release();
    expect((await first).status).toBe('audited');
    const retry = await writeTargetDocument(deps, { ...req, version: '2', jobId: 'job-v2' });
    expect(retry.actions).toEqual([]);
    expect(kingdee.count('save')).toBe(1);
  });

  it('when the ledger already shows the final state, Kingdee is not called at all', async () => {
    const req = request();
    await writeTargetDocument(deps, req);
    kingdee.calls.length = 0;
    await writeTargetDocument(deps, req);
    expect(kingdee.calls).toEqual([]);
  });

  it('stops at the configured final state', async () => {
    const req = request({ submit: false, audit: false, allowNegativeStock: false });
    const res = await writeTargetDocument(deps, req);
    expect(res).toMatchObject({ status: 'saved', actions: ['save'] });
    const sub = request({ submit: true, audit: false, allowNegativeStock: false });
    expect((await writeTargetDocument(deps, sub)).status).toBe('submitted');
  });

  it('a negative-stock audit refusal is permanent (KINGDEE_NEGATIVE_STOCK) and names flow, document and bill; the ledger keeps "submitted"', async () => {
    const req = request({ submit: true, audit: true, allowNegativeStock: false });
    kingdee.auditRejection = '更新库存时出现可以忽略的异常数据，是否继续？';
    const err = await writeTargetDocument(deps, req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('KINGDEE_NEGATIVE_STOCK');
    expect((err as PermanentError).message).toContain(`sales-outbound document ${req.docId} → SAL_OUTSTOCK ${req.target.billNo}: audit failed`);
    expect((err as PermanentError).message).toContain('allowNegativeStock: true');
    expect(kingdee.calls.find((c) => c.op === 'audit')?.options).toBeUndefined();
    expect((await ledger.get('sales-outbound', req.target.billNo))?.status).toBe('submitted');

    // Fixed in Kingdee: the retry resumes at the audit and never saves again.
    kingdee.auditRejection = undefined;
    const retry = await writeTargetDocument(deps, { ...req, jobId: 'retry' });
    expect(retry).toMatchObject({ status: 'audited', actions: ['audit'] });
    expect(kingdee.count('save')).toBe(1);
  });

  it('a permission refusal (MsgCode 2) is KINGDEE_PERMISSION', async () => {
    const req = request();
    kingdee.auditRejection = '没有审核权限';
    kingdee.auditRejectionMsgCode = 2;
    const err = (await writeTargetDocument(deps, req).catch((e: unknown) => e)) as PermanentError;
    expect(err.code).toBe('KINGDEE_PERMISSION');
    expect(err.message).toContain('grant it in Kingdee');
  });

  it('renumbering: Kingdee replaces FBillNo; the ledger keeps its number, the key field holds ours, a lost ledger finds the bill by key', async () => {
    kingdee.renumber = (sent) => `XSCKD${sent.slice(5)}`;
    const req = request();
    const res = await writeTargetDocument(deps, req);
    expect(res).toMatchObject({ status: 'audited', number: `XSCKD${req.target.billNo.slice(5)}`, actions: ['save', 'submit', 'audit'] });
    const bill = kingdee.bills.get(res.number!)!;
    expect((bill.model.SubHeadEntity as Record<string, unknown>).FThirdBillNo).toBe(req.target.billNo);
    expect(await ledger.get('sales-outbound', req.target.billNo)).toMatchObject({ number: res.number, status: 'audited' });
    expect(JSON.parse((await redis.hget(`${prefix}:renumbered`, 'sales-outbound:SAL_OUTSTOCK'))!)).toMatchObject({ billNo: req.target.billNo, number: res.number });

    // The ledger write was lost (a worker killed after the Save): the sent marker leads to a lookup by number or key.
    await redis.hdel(`${prefix}:ledger:sales-outbound`, req.target.billNo);
    const again = await writeTargetDocument(deps, { ...req, jobId: 'after-kill' });
    expect(again).toMatchObject({ status: 'audited', kingdeeId: bill.id, actions: [] });
    expect(kingdee.count('save')).toBe(1);
    expect(kingdee.bills.size).toBe(1);
  });

  it('escapes quotes in the FBillNo filter', async () => {
    const req = request(full, "JSTSOit's");
    await writeTargetDocument(deps, req);
    expect(kingdee.bills.has("JSTSOit's")).toBe(true);
    await writeTargetDocument(deps, { ...req, jobId: 'again' });
    expect(kingdee.count('save')).toBe(1);
  });
});
