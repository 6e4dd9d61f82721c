import { startKingdeeSimulator, type KingdeeSimulator } from './index';
import { responseStatus, simulatorPerFile } from './kd-http.test-support';

type Json = Record<string, unknown>;
const status = (res: { json: unknown }): Json => responseStatus(res);

/** The reference's example packages (kingdee-api.md §6.5, §6.6), with demo materials and stocks. */
function miscIn(billNo: string, entry: Json = {}): Json {
  return {
    FBillTypeID: { FNUMBER: 'QTRKD01_SYS' }, FBillNo: billNo, FDate: '2024-06-05', FStockOrgId: { FNumber: '100' },
    FStockDirect: 'GENERAL', FOwnerTypeIdHead: 'BD_OwnerOrg', FOwnerIdHead: { FNumber: '100' }, FNOTE: '聚水潭其他入库 io_id 5566',
    FSUPPLIERID: { FNumber: 'SUP-001' }, FDEPTID: { FNumber: 'BM000001' },
    FEntity: [{
      FMATERIALID: { FNumber: 'B2001-500ML' }, FUnitID: { FNumber: 'Btl' }, FQty: 10, FSTOCKID: { FNumber: 'CK001-DEF' }, FStockLocId: { FSTOCKLOCID__FF100003: { FNumber: 'DEF-01' } },
      FLOT: { FNumber: 'L20240605' }, FPRODUCEDATE: '2024-06-01', FEXPIRYDATE: '2026-06-01', ...entry,
    }],
  };
}
function misOut(billNo: string, entry: Json = {}): Json {
  return {
    FBillTypeID: { FNUMBER: 'QTCKD01_SYS' }, FBillNo: billNo, FDate: '2024-06-06', FStockOrgId: { FNumber: '100' },
    FStockDirect: 'GENERAL', FOwnerTypeIdHead: 'BD_OwnerOrg', FOwnerIdHead: { FNumber: '100' }, FDeptId: { FNumber: 'BM000001' },
    FEntity: [{
      FMaterialId: { FNumber: 'A1001-RED-M' }, FUnitID: { FNumber: 'Pcs' }, FBaseUnitId: { FNumber: 'Pcs' }, FQty: 3,
      FStockId: { FNumber: 'CK001' }, FAuxPropId: { FAUXPROPID__FF100001: { FNumber: 'RED' } }, ...entry,
    }],
  };
}

describe('Kingdee simulator: 其他入库单 STK_MISCELLANEOUS and 其他出库单 STK_MisDelivery', () => {
  let sim: KingdeeSimulator;
  const { session } = simulatorPerFile(async () => (sim = await startKingdeeSimulator()));
  const save = (formid: string, model: unknown) => session().call('Save', { formid, data: { Model: model } });

  it('saves the reference example of each form and fills the defaults (owner, keeper, stock status, pick org)', async () => {
    expect(status(await save('STK_MISCELLANEOUS', miscIn('JSTOI1'))).IsSuccess).toBe(true);
    expect(status(await save('stk_misdelivery', misOut('JSTOO1'))).IsSuccess).toBe(true);
    const [inBill] = sim.documents('STK_MISCELLANEOUS');
    expect(inBill.model).toMatchObject({
      FBillNo: 'JSTOI1', FSUPPLIERID: { FNumber: 'SUP-001' }, FDEPTID: { FNumber: 'BM000001' },
      FEntity: [{ FQty: 10, FSTOCKID: { FNumber: 'CK001-DEF' }, FLOT: { FNumber: 'L20240605' }, FOWNERID: { FNumber: '100' }, FKEEPERTYPEID: 'BD_KeeperOrg', FSTOCKSTATUSID: { FNumber: 'KCZT01_SYS' } }],
    });
    const [outBill] = sim.documents('STK_MisDelivery');
    expect(outBill.model).toMatchObject({
      FBillNo: 'JSTOO1', FPickOrgId: { FNumber: '100' }, FDeptId: { FNumber: 'BM000001' },
      FEntity: [{ FQty: 3, FStockId: { FNumber: 'CK001' }, FKeeperId: { FNumber: '100' }, FStockStatusId: { FNumber: 'KCZT01_SYS' } }],
    });
  });

  it('rejects a missing lot on a batch-managed material, a zero quantity and an unknown stock', async () => {
    const noLot = status(await save('STK_MISCELLANEOUS', miscIn('JSTOI2', { FLOT: undefined })));
    expect(noLot.IsSuccess).toBe(false);
    const zero = status(await save('STK_MisDelivery', misOut('JSTOO2', { FQty: 0 })));
    expect(zero.IsSuccess).toBe(false);
    expect(JSON.stringify(zero.Errors)).toContain('实发数量');
    const stock = status(await save('STK_MisDelivery', misOut('JSTOO3', { FStockId: { FNumber: 'CK-NOPE' } })));
    expect(stock.IsSuccess).toBe(false);
    expect(JSON.stringify(stock.Errors)).toContain('发货仓库');
    expect(sim.documents('STK_MISCELLANEOUS')).toHaveLength(0);
    expect(sim.documents('STK_MisDelivery')).toHaveLength(0);
  });
});
