/** The account set-ups the simulator can play (account-rules.ts), over HTTP, set through the admin interface. */
import { startKingdeeSimulator, type KingdeeSimulator } from './index';
import { salesOutModel } from './sales-out-fixtures.test-support';
import { simulatorPerFile } from './kd-http.test-support';

type Json = Record<string, unknown>;
const status = (res: { json: unknown }): Json => (res.json as { Result: Json & { ResponseStatus: Json } }).Result.ResponseStatus;
const result = (res: { json: unknown }): Json => (res.json as { Result: Json }).Result;

describe('Kingdee simulator: coding rules and Submit / Audit refusals of a real account', () => {
  let sim: KingdeeSimulator;
  const { session } = simulatorPerFile(async () => (sim = await startKingdeeSimulator()));
  const setRules = async (rules: unknown) => {
    const res = await fetch(`http://127.0.0.1:${sim.port}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rules) });
    expect(res.status).toBe(200);
  };
  const save = (billNo: string, extra: Json = {}, stock = 'CK001') =>
    session().call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: salesOutModel(billNo, [{ material: 'A1001-RED-S', qty: 1, stock }]), ...extra } });
  const op = (name: string, numbers: string[], extra: Json = {}) => session().call(name, { formid: 'SAL_OUTSTOCK', data: { Numbers: numbers, ...extra } });


  it('numbering: a bill type whose coding rule replaces the number sent answers its own Number', async () => {
    await setRules({ numbering: [{ formId: 'SAL_OUTSTOCK', billType: 'XSCKD01_SYS' }] });
    const res = await save('JSTSO-1');
    expect(status(res).IsSuccess).toBe(true);
    const number = String(result(res).Number);
    expect(number).not.toBe('JSTSO-1');
    expect(number).toMatch(/^XSCKD\d{6}$/);
    expect(sim.documents('SAL_OUTSTOCK', { billNo: 'JSTSO-1' })).toEqual([]);
    expect(sim.documents('SAL_OUTSTOCK', { thirdPartyId: 'jst-JSTSO-1' })).toHaveLength(1);
    // The sent number is not checked: the same package saved again is a second bill (why a key is needed).
    expect(status(await save('JSTSO-1')).IsSuccess).toBe(true);
    expect(sim.documents('SAL_OUTSTOCK')).toHaveLength(2);
  });

  it('numbering of another bill type leaves this one alone', async () => {
    await setRules({ numbering: [{ formId: 'SAL_OUTSTOCK', billType: 'XSCKD02_SYS' }] });
    expect(result(await save('JSTSO-2')).Number).toBe('JSTSO-2');
  });

  it('negative stock on a stock: Audit refused without STK_InvCheckResult, accepted with it; other stocks unaffected', async () => {
    await setRules({ refusals: [{ reason: 'negative-stock', formId: 'SAL_OUTSTOCK', stock: 'CK001' }] });
    await save('NS-1');
    await save('NS-2', {}, 'CK002');
    expect(status(await op('Submit', ['NS-1', 'NS-2'])).IsSuccess).toBe(true);
    const refused = status(await op('Audit', ['NS-1', 'NS-2']));
    expect(refused).toMatchObject({ IsSuccess: false, MsgCode: 11 });
    expect(refused.Errors).toEqual([{ FieldName: '', Message: '更新库存时出现可以忽略的异常数据，是否继续？', DIndex: 0 }]);
    expect(refused.SuccessEntitys).toEqual([expect.objectContaining({ Number: 'NS-2', DIndex: 1 })]);
    expect(status(await op('Audit', ['NS-1'], { InterationFlags: 'STK_InvCheckResult' })).IsSuccess).toBe(true);
    expect(sim.documents('SAL_OUTSTOCK').map((d) => d.status)).toEqual(['C', 'C']);
  });

  it('negative stock forbidden by the stock organisation: refused even with STK_InvCheckResult', async () => {
    await setRules({ refusals: [{ reason: 'negative-stock', formId: 'SAL_OUTSTOCK', forbidNegative: true }] });
    await save('NF-1');
    await op('Submit', ['NF-1']);
    const refused = status(await op('Audit', ['NF-1'], { InterationFlags: 'STK_InvCheckResult' }));
    expect(refused.IsSuccess).toBe(false);
    expect(JSON.stringify(refused.Errors)).toContain('库存组织不允许负库存');
    expect(sim.documents('SAL_OUTSTOCK')[0].status).toBe('B');
  });

  it('workflow: the Audit API refuses a bill type under a workflow; Submit still works', async () => {
    await setRules({ refusals: [{ reason: 'workflow', formId: 'SAL_OUTSTOCK', billType: 'XSCKD01_SYS' }] });
    await save('WF-1');
    expect(status(await op('Submit', ['WF-1'])).IsSuccess).toBe(true);
    const refused = status(await op('Audit', ['WF-1']));
    expect(refused.IsSuccess).toBe(false);
    expect(JSON.stringify(refused.Errors)).toContain('工作流');
  });

  it('permission: MsgCode 2 for the operation named (submit here), by Ids too', async () => {
    await setRules({ refusals: [{ reason: 'permission', formId: 'SAL_OUTSTOCK', operation: 'submit' }] });
    const id = Number(result(await save('PM-1')).Id);
    const refused = status(await session().call('Submit', { formid: 'SAL_OUTSTOCK', data: { Ids: String(id) } }));
    expect(refused).toMatchObject({ IsSuccess: false, MsgCode: 2 });
    expect(JSON.stringify(refused.Errors)).toContain('没有销售出库单的提交权限');
  });

  it('IsAutoSubmitAndAudit with a refused audit rolls the save back (one transaction)', async () => {
    await setRules({ refusals: [{ reason: 'negative-stock', formId: 'SAL_OUTSTOCK' }] });
    const refused = status(await save('AU-1', { IsAutoSubmitAndAudit: true }));
    expect(refused.IsSuccess).toBe(false);
    expect(sim.documents('SAL_OUTSTOCK')).toEqual([]);
    const accepted = await save('AU-1', { IsAutoSubmitAndAudit: true, InterationFlags: 'STK_InvCheckResult' });
    expect(status(accepted).IsSuccess).toBe(true);
    expect(sim.documents('SAL_OUTSTOCK')[0].status).toBe('C');
  });

  it('bad rules are refused by the admin interface', async () => {
    const res = await fetch(`http://127.0.0.1:${sim.port}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refusals: [{ reason: 'bankrupt', formId: 'X' }] }) });
    expect(res.status).toBe(400);
  });
});
