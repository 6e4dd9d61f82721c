import { startKingdeeSimulator, type KingdeeSimulator } from './index';
import { salesOutModel } from './sales-out-fixtures.test-support';
import { loginWithPassword, type KdSessionClient } from './kd-http.test-support';

describe('Kingdee simulator: ExecuteBillQuery', () => {
  let sim: KingdeeSimulator;
  let client: KdSessionClient;
  let now = Date.UTC(2024, 5, 10, 2, 0, 0);
  const q = async (data: Record<string, unknown>): Promise<unknown> => (await client.call('ExecuteBillQuery', { data })).json;

  beforeAll(async () => {
    sim = await startKingdeeSimulator({ clock: () => now });
    client = await loginWithPassword(sim.url, 'integration', 'demo-kd-password-1');
    const save = (model: Record<string, unknown>) => client.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: model } });
    await save(salesOutModel('Q-1', [{ material: 'A1001-RED-S', qty: 2 }, { material: 'A1001-BLK-M', qty: 1, stock: 'CK002' }]));
    await save(salesOutModel('Q-2', [{ material: 'D4001', qty: 4 }], { FCustomerID: { FNumber: 'CUST-JD' } }));
    await save(salesOutModel('Q-3', [{ material: 'B2001-250ML', qty: 1, unit: 'Btl', lot: 'L1', produceDate: '2024-01-01' }]));
    await client.call('Submit', { formid: 'SAL_OUTSTOCK', data: { Numbers: ['Q-2'] } });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('one row per bill when only header keys are asked; columns in FieldKeys order', async () => {
    expect(await q({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo,FDocumentStatus,FCustomerID.FNumber', OrderString: 'FBillNo ASC' })).toEqual([
      ['Q-1', 'A', 'CUST-TMALL'],
      ['Q-2', 'B', 'CUST-JD'],
      ['Q-3', 'A', 'CUST-TMALL'],
    ]);
  });

  it('one row per entry (header repeated) when an entry key is asked', async () => {
    const rows = (await q({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FID,FBillNo,FEntity_FEntryId,FMaterialID.FNumber,FRealQty,FStockID.FNumber', FilterString: "FBillNo='Q-1'" })) as unknown[][];
    expect(rows).toHaveLength(2);
    expect(rows[0][0]).toBe(rows[1][0]);
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['Q-1', expect.any(Number), 'A1001-RED-S', 2, 'CK001'],
      ['Q-1', expect.any(Number), 'A1001-BLK-M', 1, 'CK002'],
    ]);
  });

  it('filters: in, like, and/or with parentheses, entry fields in the filter, dates', async () => {
    expect(await q({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo', FilterString: "FDocumentStatus in ('B','C')" })).toEqual([['Q-2']]);
    expect(await q({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo', FilterString: "FBillNo like 'Q-%' and (FCustomerID.FNumber='CUST-JD' or FMaterialID.FNumber='B2001-250ML')", OrderString: 'FBillNo DESC' })).toEqual([['Q-3'], ['Q-2']]);
    expect(await q({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo,FLot.FNumber,FExpiryDate', FilterString: "FExpiryDate >= '2025-12-31' and FLot.FNumber <> ''" })).toEqual([['Q-3', 'L1', '2025-12-31T00:00:00']]);
    expect(await q({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo', FilterString: "FDate >= '2024-06-01' and FDate < '2024-06-02' and FRealQty > 3" })).toEqual([['Q-2']]);
  });

  it('StartRow/Limit page by row; TopRowCount is an absolute end row', async () => {
    const base = { FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo,FMaterialID.FNumber', OrderString: 'FBillNo,FEntity_FSeq' };
    expect(await q({ ...base, StartRow: 1, Limit: 2 })).toEqual([['Q-1', 'A1001-BLK-M'], ['Q-2', 'D4001']]);
    expect(await q({ ...base, StartRow: '3', Limit: '2' })).toEqual([['Q-3', 'B2001-250ML']]);
    expect(await q({ ...base, StartRow: 2, Limit: 2, TopRowCount: 2 })).toEqual([]);
    expect(await q({ ...base, StartRow: 2, Limit: 2, TopRowCount: 4 })).toEqual([['Q-2', 'D4001'], ['Q-3', 'B2001-250ML']]);
    sim.setFaults({ queryLimitCap: 1 });
    expect(await q({ ...base, Limit: 10 })).toEqual([['Q-1', 'A1001-RED-S']]);
    sim.setFaults({ queryLimitCap: 10000 });
  });

  it('an unknown field key (asked, filtered or ordered on) → MsgCode 9 wrapped in [[...]]', async () => {
    const error = (key: string) => [[{
      Result: {
        ResponseStatus: {
          ErrorCode: 500,
          IsSuccess: false,
          Errors: [{ FieldName: null, Message: `元数据中标识为${key}的字段不存在`, DIndex: 0 }],
          SuccessEntitys: [],
          SuccessMessages: [],
          MsgCode: 9,
        },
      },
    }]];
    expect(await q({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo,FIssueType' })).toEqual(error('FIssueType'));
    expect(await q({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo', FilterString: "FCustId='x'" })).toEqual(error('FCustId'));
    expect(await q({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo,FStockLocID' })).toEqual(error('FStockLocID'));
    const badForm = (await q({ FormId: 'NOPE', FieldKeys: 'FNumber' })) as Array<Array<{ Result: { ResponseStatus: { MsgCode: number } } }>>;
    expect(badForm[0][0].Result.ResponseStatus.MsgCode).toBe(4);
  });

  it('positional convention: parameters [json]', async () => {
    const res = await client.call('ExecuteBillQuery', { parameters: [JSON.stringify({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo', FilterString: "FBillNo='Q-2'" })] });
    expect(res.json).toEqual([['Q-2']]);
  });

  it('BD_MATERIAL rows for the material flow (demo SKUs only), incremental by FModifyDate', async () => {
    const keys = 'FNumber,FName,FDocumentStatus,FForbidStatus,FSpecification,FIsBatchManage,FIsKFPeriod,FBaseUnitId.FNumber';
    const rows = (await q({ FormId: 'BD_MATERIAL', FieldKeys: keys, FilterString: "FNumber like 'B2001%' or FNumber='Z9999-NEW'", OrderString: 'FNumber' })) as unknown[][];
    expect(rows).toEqual([
      ['B2001-250ML', '保湿精华液', 'C', 'A', '250ml', true, true, 'Btl'],
      ['B2001-500ML', '保湿精华液', 'C', 'A', '500ml', true, true, 'Btl'],
    ]);
    const before = (await q({ FormId: 'BD_MATERIAL', FieldKeys: 'FModifyDate', FilterString: "FNumber='C3001'" })) as string[][];
    now += 60_000;
    sim.addBaseData({ materials: [{ number: 'C3001', name: '坚果礼盒(新)', baseUnit: 'Box', batchManaged: true, shelfLifeDays: 180 }] });
    const changed = await q({ FormId: 'BD_MATERIAL', FieldKeys: 'FNumber,FName', FilterString: `FModifyDate > '${before[0][0]}'`, OrderString: 'FModifyDate ASC' });
    expect(changed).toEqual([['C3001', '坚果礼盒(新)']]);
  });
});
