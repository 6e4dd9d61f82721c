import { startKingdeeSimulator, type KingdeeSimulator } from './index';
import { salesOutModel } from './sales-out-fixtures.test-support';
import { responseStatus, simulatorPerFile } from './kd-http.test-support';

type Json = Record<string, unknown>;
const status = (res: { json: unknown }): Json => responseStatus(res);

describe('Kingdee simulator: Submit / Audit / UnAudit / Delete / View', () => {
  let sim: KingdeeSimulator;
  const { session } = simulatorPerFile(async () => (sim = await startKingdeeSimulator()));
  const op = (name: string, data: Json) => session().call(name, { formid: 'SAL_OUTSTOCK', data });
  const statusOf = (billNo: string) => sim.documents('SAL_OUTSTOCK', { billNo })[0]?.status;
  const idOf = (billNo: string) => sim.documents('SAL_OUTSTOCK', { billNo })[0].id;

  beforeEach(async () => {
    for (const no of ['OP-1', 'OP-2']) await op('Save', { Model: salesOutModel(no) });
  });

  it('Submit then Audit by Numbers: A → B → C with the audit success message', async () => {
    expect(status(await op('Submit', { Numbers: ['OP-1', 'OP-2'] }))).toEqual({
      IsSuccess: true,
      Errors: [],
      SuccessEntitys: [{ Id: idOf('OP-1'), Number: 'OP-1', DIndex: 0 }, { Id: idOf('OP-2'), Number: 'OP-2', DIndex: 1 }],
      SuccessMessages: [],
      MsgCode: 0,
    });
    expect(statusOf('OP-1')).toBe('B');
    const audit = status(await op('Audit', { Numbers: ['OP-1'] }));
    expect(audit.SuccessMessages).toEqual([{ FieldName: null, Message: '单据编号为“OP-1”的销售出库单，审核成功！', DIndex: 0 }]);
    expect(statusOf('OP-1')).toBe('C');
  });

  it('auditing an audited bill: MsgCode 11 单据已经审核！, the other bill still succeeds (partial success)', async () => {
    await op('Submit', { Numbers: ['OP-1', 'OP-2'] });
    await op('Audit', { Numbers: ['OP-1'] });
    const res = status(await op('Audit', { Numbers: ['OP-1', 'OP-2'] }));
    expect(res).toEqual({
      ErrorCode: 500,
      IsSuccess: false,
      Errors: [{ FieldName: '', Message: '单据编号为“OP-1”的销售出库单，单据已经审核！', DIndex: 0 }],
      SuccessEntitys: [{ Id: idOf('OP-2'), Number: 'OP-2', DIndex: 1 }],
      SuccessMessages: [{ FieldName: null, Message: '单据编号为“OP-2”的销售出库单，审核成功！', DIndex: 1 }],
      MsgCode: 11,
    });
    expect(statusOf('OP-2')).toBe('C');
  });

  it('illegal transitions are MsgCode 11: audit of A, unaudit of A, delete of B', async () => {
    expect(status(await op('Audit', { Numbers: ['OP-1'] }))).toMatchObject({ IsSuccess: false, MsgCode: 11 });
    expect(status(await op('UnAudit', { Numbers: ['OP-1'] }))).toMatchObject({ IsSuccess: false, MsgCode: 11 });
    await op('Submit', { Numbers: ['OP-1'] });
    expect(status(await op('Delete', { Numbers: ['OP-1'] }))).toMatchObject({ IsSuccess: false, MsgCode: 11 });
    expect(statusOf('OP-1')).toBe('B');
  });

  it('UnAudit gives D; a D bill can be saved again, resubmitted and deleted', async () => {
    await op('Submit', { Numbers: ['OP-1'] });
    await op('Audit', { Numbers: ['OP-1'] });
    expect(status(await op('Save', { Model: { FID: idOf('OP-1'), FNote: 'x' } }))).toMatchObject({ IsSuccess: false, MsgCode: 11 });
    expect(status(await op('UnAudit', { Numbers: ['OP-1'] })).IsSuccess).toBe(true);
    expect(statusOf('OP-1')).toBe('D');
    expect(status(await op('Save', { Model: { FID: idOf('OP-1'), FNote: 'x' } })).IsSuccess).toBe(true);
    expect(status(await op('Delete', { Numbers: ['OP-1'] })).IsSuccess).toBe(true);
    expect(statusOf('OP-1')).toBeUndefined();
    // the number is free again
    expect(status(await op('Save', { Model: salesOutModel('OP-1') })).IsSuccess).toBe(true);
  });

  it('Ids as a comma string, an array or a bare number', async () => {
    const [a, b] = [idOf('OP-1'), idOf('OP-2')];
    expect(status(await op('Submit', { Ids: `${a},${b}` })).SuccessEntitys).toHaveLength(2);
    expect(status(await op('Audit', { Ids: [a, String(b)] })).SuccessEntitys).toHaveLength(2);
    expect(status(await op('UnAudit', { Ids: a })).SuccessEntitys).toEqual([{ Id: a, Number: 'OP-1', DIndex: 0 }]);
  });

  it('a missing number is skipped when another exists; all missing → failure MsgCode 10', async () => {
    const partial = status(await op('Submit', { Numbers: ['NOPE', 'OP-1'] }));
    expect(partial).toMatchObject({ IsSuccess: true, SuccessEntitys: [{ Number: 'OP-1', DIndex: 1 }] });
    expect(status(await op('Submit', { Numbers: ['NOPE'] }))).toMatchObject({ IsSuccess: false, MsgCode: 10 });
    expect(status(await op('Submit', {}))).toMatchObject({ IsSuccess: false });
  });

  it('View by Number or Id returns the package; not found → IsSuccess false, MsgCode 10', async () => {
    const res = await op('View', { Number: 'OP-1' });
    const pkg = (res.json as { Result: { Result: Json } }).Result.Result;
    expect(status(res).IsSuccess).toBe(true);
    expect(pkg).toMatchObject({
      Id: idOf('OP-1'),
      BillNo: 'OP-1',
      DocumentStatus: 'A',
      CustomerID: { Number: 'CUST-TMALL', Name: [{ Key: 2052, Value: '天猫旗舰店' }] },
      SAL_OUTSTOCKENTRY: [{ Seq: 1, MaterialID: { Number: 'A1001-RED-S' }, RealQty: 2 }],
    });
    const byId = await op('View', { Id: String(idOf('OP-2')) });
    expect((byId.json as { Result: { Result: Json } }).Result.Result.BillNo).toBe('OP-2');
    expect(status(await op('View', { Number: 'NOPE' }))).toMatchObject({ ErrorCode: 500, IsSuccess: false, MsgCode: 10 });
  });

  it('View of a material (BD_MATERIAL) shows its stock settings', async () => {
    const res = await session().call('View', { formid: 'BD_MATERIAL', data: { Number: 'B2001-250ML' } });
    expect((res.json as { Result: { Result: Json } }).Result.Result).toMatchObject({
      Number: 'B2001-250ML',
      MaterialStock: [{ IsBatchManage: true, IsKFPeriod: true, ExpUnit: 'D', ExpPeriod: 730 }],
    });
  });
});
