import { startKingdeeSimulator, type KingdeeSimulator } from './index';
import { salesOutModel } from './sales-out-fixtures.test-support';
import { FORM_SERVICE, kdPost, responseStatus, simulatorPerFile } from './kd-http.test-support';

type Json = Record<string, unknown>;
const status = (res: { json: unknown }): Json => responseStatus(res);

describe('Kingdee simulator: Save and BatchSave', () => {
  let sim: KingdeeSimulator;
  const { session } = simulatorPerFile(async () => (sim = await startKingdeeSimulator()));
  const save = (model: unknown, extra: Json = {}) => session().call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: model, ...extra } });

  it('a valid package: success envelope exactly as §3.1 (no ErrorCode, numeric Id, NeedReturnData [{}]) and status A', async () => {
    const res = await save(salesOutModel('JST-SO-1'));
    const [doc] = sim.documents('SAL_OUTSTOCK');
    expect(res.json).toEqual({
      Result: {
        ResponseStatus: { IsSuccess: true, Errors: [], SuccessEntitys: [{ Id: doc.id, Number: 'JST-SO-1', DIndex: 0 }], SuccessMessages: [], MsgCode: 0 },
        Id: doc.id,
        Number: 'JST-SO-1',
        NeedReturnData: [{}],
      },
    });
    expect(res.text.indexOf('"IsSuccess"')).toBeLessThan(res.text.indexOf('"Errors"'));
    expect(doc.status).toBe('A');
    expect(doc.model).toMatchObject({
      FBillNo: 'JST-SO-1',
      FCustomerID: { FNumber: 'CUST-TMALL' },
      FOwnerIdHead: { FNumber: '100' },
      SubHeadEntity: { FSettleCurrID: { FNumber: 'PRE001' }, FLocalCurrID: { FNumber: 'PRE001' }, FThirdBillNo: 'jst-JST-SO-1' },
      FEntity: [{ FMaterialID: { FNumber: 'A1001-RED-S' }, FRealQty: 2, FStockStatusID: { FNumber: 'KCZT01_SYS' } }],
    });
  });

  it('a duplicate FBillNo: failure envelope exactly (ErrorCode 500, Id "", no Number, MsgCode 11)', async () => {
    await save(salesOutModel('JST-SO-2'));
    const res = await save(salesOutModel('jst-so-2'));
    expect(res.json).toEqual({
      Result: {
        ResponseStatus: {
          ErrorCode: 500,
          IsSuccess: false,
          Errors: [{ FieldName: 'FBillNo', Message: '违反字段唯一性要求：编码唯一。[jst-so-2]在当前系统中已经被使用。', DIndex: 0 }],
          SuccessEntitys: [],
          SuccessMessages: [],
          MsgCode: 11,
        },
        Id: '',
        NeedReturnData: [{}],
      },
    });
    expect(sim.documents('SAL_OUTSTOCK')).toHaveLength(1);
  });

  it('an unknown material leaves the reference empty → required-entry error naming FMaterialID', async () => {
    const res = await save(salesOutModel('JST-SO-3', [{ material: 'A1001-RED-S' }, { material: 'Z9999-NEW' }]));
    expect(status(res)).toMatchObject({
      IsSuccess: false,
      MsgCode: 11,
      Errors: [{ FieldName: 'FMaterialID', Message: '单据体实体【明细信息】第【2】行分录，【物料编码】字段必录', DIndex: 0 }],
    });
    expect(sim.documents('SAL_OUTSTOCK')).toEqual([]);
  });

  it('missing header and sub-head fields are reported with their labels', async () => {
    const model = salesOutModel('JST-SO-4');
    delete model.FCustomerID;
    model.SubHeadEntity = { FSettleOrgID: { FNumber: '100' } };
    const res = await save(model);
    expect(status(res).Errors).toEqual([
      { FieldName: 'FCustomerID', Message: '字段“客户”是必填项', DIndex: 0 },
      { FieldName: 'FSettleCurrID', Message: '字段“结算币别”是必填项', DIndex: 0 },
    ]);
  });

  it('zero quantity, unknown stock and a bill type of another form are rejected', async () => {
    const model = salesOutModel('JST-SO-5', [{ material: 'A1001-RED-S', qty: 0, stock: 'CK999' }], { FBillTypeID: { FNumber: 'RKD01_SYS' } });
    const errors = status(await save(model)).Errors as Json[];
    expect(errors.map((e) => e.FieldName)).toEqual(['FBillTypeID', 'FRealQty', 'FStockID']);
  });

  it('a batch-managed material needs FLot; a shelf-life material needs its dates (expiry derived from production)', async () => {
    const noLot = await save(salesOutModel('JST-SO-6', [{ material: 'C3001', unit: 'Box', produceDate: '2024-05-01' }]));
    expect(status(noLot).Errors).toEqual([{ FieldName: 'FLot', Message: '单据体实体【明细信息】第【1】行分录，【批号】字段必录', DIndex: 0 }]);

    const noDates = await save(salesOutModel('JST-SO-6', [{ material: 'C3001', unit: 'Box', lot: 'L20240501' }]));
    expect(status(noDates).Errors).toEqual([
      { FieldName: 'FProduceDate', Message: '单据体实体【明细信息】第【1】行分录，【生产日期】字段必录', DIndex: 0 },
      { FieldName: 'FExpiryDate', Message: '单据体实体【明细信息】第【1】行分录，【有效期至】字段必录', DIndex: 0 },
    ]);

    const ok = await save(salesOutModel('JST-SO-6', [{ material: 'C3001', unit: 'Box', lot: 'L20240501', produceDate: '2024-05-01' }]));
    expect(status(ok).IsSuccess).toBe(true);
    const entry = (sim.documents('SAL_OUTSTOCK')[0].model.FEntity as Json[])[0];
    expect(entry).toMatchObject({ FLot: { FNumber: 'L20240501' }, FProduceDate: '2024-05-01T00:00:00', FExpiryDate: '2024-10-28T00:00:00' });
    expect(sim.store.baseData.find('lot', 'L20240501')).toBeDefined();
  });

  it('accepts the positional convention, data as a JSON string, and any key case', async () => {
    const positional = await session().call('Save', { parameters: ['SAL_OUTSTOCK', JSON.stringify({ Model: salesOutModel('JST-SO-7') })] });
    expect(status(positional).IsSuccess).toBe(true);
    const named = await session().call('save', { FormId: 'sal_outstock', Data: JSON.stringify({ model: salesOutModel('JST-SO-8') }) });
    expect(status(named).IsSuccess).toBe(true);
    const shouty = {
      FBILLTYPEID: { FNUMBER: 'XSCKD01_SYS' }, FBILLNO: 'JST-SO-9', FDATE: '2024-06-01 10:00:00', FSALEORGID: { fnumber: '100' },
      FSTOCKORGID: { FNumber: '100' }, FCUSTOMERID: { FNumber: 'cust-tmall' },
      SUBHEADENTITY: { FSETTLECURRID: { FNumber: 'PRE001' }, FSETTLEORGID: { FNumber: '100' } },
      SAL_OUTSTOCK__FENTITY: [{ FMATERIALID: { FNUMBER: 'a1001-red-s' }, FUNITID: { FNumber: 'pcs' }, FREALQTY: '3', FSTOCKID: { FNumber: 'ck001' } }],
    };
    expect(status(await session().call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: shouty } })).IsSuccess).toBe(true);
    expect(sim.documents('SAL_OUTSTOCK', { billNo: 'JST-SO-9' })[0].model).toMatchObject({
      FDate: '2024-06-01T10:00:00',
      FCustomerID: { FNumber: 'CUST-TMALL' },
      FEntity: [{ FMaterialID: { FNumber: 'A1001-RED-S' }, FRealQty: 3 }],
    });
  });

  it('absent FBillNo → automatic number; FID of an existing bill updates it', async () => {
    const created = await save(salesOutModel(undefined));
    const id = (created.json as { Result: { Id: number; Number: string } }).Result.Id;
    expect((created.json as { Result: { Number: string } }).Result.Number).toMatch(/^XSCKD\d{6}$/);
    const updated = await save({ FID: id, FNote: 'changed', FEntity: [{ FMaterialID: { FNumber: 'D4001' }, FUnitID: { FNumber: 'Pcs' }, FRealQty: 5, FStockID: { FNumber: 'CK002' }, FStockLocID: { FSTOCKLOCID__FF100001: { FNumber: 'G' }, FSTOCKLOCID__FF100002: { FNumber: '02' } } }] });
    expect(status(updated).IsSuccess).toBe(true);
    expect((updated.json as { Result: { Id: number } }).Result.Id).toBe(id);
    const docs = sim.documents('SAL_OUTSTOCK');
    expect(docs).toHaveLength(1);
    expect(docs[0].model).toMatchObject({ FNote: 'changed', FCustomerID: { FNumber: 'CUST-TMALL' }, FEntity: [{ FMaterialID: { FNumber: 'D4001' }, FRealQty: 5 }] });
    expect(sim.stats()).toMatchObject({ saves: 2, created: 1, updated: 1 });
    const missing = await save({ FID: 999999 });
    expect(status(missing)).toMatchObject({ IsSuccess: false, MsgCode: 10 });
  });

  it('IsAutoSubmitAndAudit leaves the bill audited (C)', async () => {
    await save(salesOutModel('JST-SO-10'), { IsAutoSubmitAndAudit: 'true' });
    expect(sim.documents('SAL_OUTSTOCK')[0].status).toBe('C');
  });

  it('BatchSave: per-package DIndex, successes kept when another package fails (not atomic)', async () => {
    const res = await session().call('BatchSave', {
      formid: 'SAL_OUTSTOCK',
      data: { Model: [salesOutModel('JST-B-1'), salesOutModel('JST-B-2', [{ material: 'Z9999-NEW' }]), salesOutModel('JST-B-3')] },
    });
    const docs = sim.documents('SAL_OUTSTOCK');
    expect(docs.map((d) => d.billNo)).toEqual(['JST-B-1', 'JST-B-3']);
    expect(res.json).toEqual({
      Result: {
        ResponseStatus: {
          ErrorCode: 500,
          IsSuccess: false,
          Errors: [{ FieldName: 'FMaterialID', Message: '单据体实体【明细信息】第【1】行分录，【物料编码】字段必录', DIndex: 1 }],
          SuccessEntitys: [
            { Id: docs[0].id, Number: 'JST-B-1', DIndex: 0 },
            { Id: docs[1].id, Number: 'JST-B-3', DIndex: 2 },
          ],
          SuccessMessages: [],
          MsgCode: 11,
        },
        NeedReturnData: [{}, {}],
      },
    });
    const allOk = await session().call('BatchSave', { formid: 'SAL_OUTSTOCK', data: { Model: [salesOutModel('JST-B-4')] } });
    expect(status(allOk)).toEqual({ IsSuccess: true, Errors: [], SuccessEntitys: [{ Id: expect.any(Number), Number: 'JST-B-4', DIndex: 0 }], SuccessMessages: [], MsgCode: 0 });
  });

  it('unknown FormId → MsgCode 4 业务对象不存在; unknown op → response_error: body', async () => {
    const res = await session().call('Save', { formid: 'NO_SUCH_FORM', data: { Model: {} } });
    expect(status(res)).toMatchObject({ IsSuccess: false, MsgCode: 4, Errors: [{ Message: '业务对象不存在' }] });
    const op = await session().call('FlyToTheMoon', { formid: 'SAL_OUTSTOCK', data: {} });
    expect(op.status).toBe(200);
    expect(op.text.startsWith('response_error:')).toBe(true);
    expect(JSON.parse(op.text.slice('response_error:'.length))).toHaveProperty('Message');
    const badJson = await kdPost(sim.url, FORM_SERVICE, 'Save', undefined, { rawBody: '{not json', headers: { 'kdservice-sessionid': session().sessionId } });
    expect(badJson.text.startsWith('response_error:')).toBe(true);
  });

  it('accepts the Java SDK misspelt content type', async () => {
    const res = await session().call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: salesOutModel('JST-SO-11') } }, { headers: { 'content-type': 'applicatin/json' } });
    expect(status(res).IsSuccess).toBe(true);
  });
});
