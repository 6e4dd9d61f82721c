import { startKingdeeSimulator, type KingdeeSimulator } from './index';
import { responseStatus, simulatorPerFile } from './kd-http.test-support';

type Json = Record<string, unknown>;
const status = (res: { json: unknown }): Json => responseStatus(res);
const messages = (res: { json: unknown }): string => JSON.stringify(status(res).Errors);

function transferModel(billNo: string, entry: Json = {}): Json {
  return {
    FBillTypeID: { FNUMBER: 'ZJDB01_SYS' }, FBillNo: billNo, FDate: '2024-06-07', FStockOutOrgId: { FNumber: '100' }, FStockOrgId: { FNumber: '100' },
    FBillEntry: [{
      FMaterialId: { FNumber: 'B2001-250ML' }, FUnitID: { FNumber: 'Btl' }, FBaseUnitId: { FNumber: 'Btl' }, FQty: 3,
      FSrcStockId: { FNumber: 'CK001' }, FDestStockId: { FNumber: 'CK002' }, FDestStockLocId: { FDESTSTOCKLOCID__FF100001: { FNumber: 'H' }, FDESTSTOCKLOCID__FF100002: { FNumber: '01' } },
      FLot: { FNumber: 'B240101-B2001' }, FDestLot: { FNumber: 'B240101-B2001' }, FProduceDate: '2024-01-01', FExpiryDate: '2025-12-31',
      ...entry,
    }],
  };
}

function countModel(billType: string, billNo: string, entry: Json): Json {
  return {
    FBillTypeID: { FNUMBER: billType }, FBillNo: billNo, FDate: '2024-06-08', FStockOrgId: { FNumber: '100' }, FOwnerTypeIdHead: 'BD_OwnerOrg',
    FBillEntry: [{ FMaterialId: { FNumber: 'A1001-RED-M' }, FUnitID: { FNumber: 'Pcs' }, FStockId: { FNumber: 'CK001' }, ...entry }],
  };
}

describe('Kingdee simulator: STK_TransferDirect, STK_StockCountGain, STK_StockCountLoss', () => {
  let sim: KingdeeSimulator;
  const { session } = simulatorPerFile(async () => (sim = await startKingdeeSimulator()));
  const save = (formid: string, model: Json) => session().call('Save', { formid, data: { Model: model } });

  it('saves a direct transfer with lots and bins; owners and keepers default from the organisations', async () => {
    const res = await save('STK_TransferDirect', transferModel('JSTTR1'));
    expect(status(res).IsSuccess).toBe(true);
    const [doc] = sim.documents('STK_TransferDirect');
    expect(doc!.billNo).toBe('JSTTR1');
    expect(doc!.model).toMatchObject({ FTransferDirect: 'GENERAL', FTransferBizType: 'InnerOrgTransfer', FOwnerIdHead: { FNumber: '100' } });
    expect((doc!.model.FBillEntry as Json[])[0]).toMatchObject({ FQty: 3, FLot: { FNumber: 'B240101-B2001' }, FDestStockId: { FNumber: 'CK002' }, FKeeperOutId: { FNumber: '100' } });
  });

  it('rejects a transfer without destination stock, or without the lot of a batch-managed material', async () => {
    const noDest = await save('STK_TransferDirect', transferModel('JSTTR2', { FDestStockId: undefined }));
    expect(status(noDest).IsSuccess).toBe(false);
    expect(messages(noDest)).toContain('调入仓库');
    const noLot = await save('STK_TransferDirect', transferModel('JSTTR3', { FLot: undefined }));
    expect(status(noLot).IsSuccess).toBe(false);
    expect(messages(noLot)).toContain('批号');
    expect(sim.documents('STK_TransferDirect')).toEqual([]);
  });

  it('saves a 盘盈单 with FGainQty and a 盘亏单 with FLossQty; each requires its own quantity', async () => {
    expect(status(await save('STK_StockCountGain', countModel('PY01_SYS', 'JSTPY1', { FGainQty: 2, FCountQty: 50 }))).IsSuccess).toBe(true);
    expect(status(await save('STK_StockCountLoss', countModel('PK01_SYS', 'JSTPK1', { FLossQty: 1 }))).IsSuccess).toBe(true);
    const lossAsGain = await save('STK_StockCountLoss', countModel('PK01_SYS', 'JSTPK2', { FGainQty: 1 }));
    expect(status(lossAsGain).IsSuccess).toBe(false);
    expect(messages(lossAsGain)).toContain('盘亏数量');
    const wrongType = await save('STK_StockCountGain', countModel('PK01_SYS', 'JSTPY2', { FGainQty: 1 }));
    expect(status(wrongType).IsSuccess).toBe(false);
    expect(sim.documents('STK_StockCountGain').map((d) => d.billNo)).toEqual(['JSTPY1']);
    expect(sim.documents('STK_StockCountLoss').map((d) => d.billNo)).toEqual(['JSTPK1']);
  });
});
