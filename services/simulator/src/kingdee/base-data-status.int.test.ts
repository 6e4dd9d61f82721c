import { plantedGaps } from '../demo-catalog';
import { startKingdeeSimulator, type KingdeeSimulator } from './index';
import { loginWithPassword, type KdSessionClient } from './kd-http.test-support';
import { salesOutModel } from './sales-out-fixtures.test-support';

/** Base data a real account holds in every state (unaudited, forbidden, allocated to one organisation), as the doctor reads it. */
describe('Kingdee simulator: base-data status, organisation and bill-type forms', () => {
  let sim: KingdeeSimulator;
  let client: KdSessionClient;
  const q = async (data: Record<string, unknown>): Promise<unknown> => (await client.call('ExecuteBillQuery', { data })).json;

  beforeAll(async () => {
    sim = await startKingdeeSimulator({});
    client = await loginWithPassword(sim.url, 'integration', 'demo-kd-password-1');
  });
  afterAll(() => sim.close());

  it('answers FDocumentStatus and FForbidStatus, filterable, for the planted unaudited customer and forbidden stock', async () => {
    expect(await q({ FormId: 'BD_Customer', FieldKeys: 'FNumber,FDocumentStatus,FForbidStatus', FilterString: "FDocumentStatus <> 'C'" })).toEqual([
      [plantedGaps.unauditedCustomer.customer, 'A', 'A'],
    ]);
    expect(await q({ FormId: 'BD_STOCK', FieldKeys: 'FNumber,FForbidStatus', FilterString: "FForbidStatus = 'B'" })).toEqual([[plantedGaps.forbiddenStock.stock, 'B']]);
  });

  it('answers the use and create organisation of stocks', async () => {
    sim.addBaseData({ stocks: [{ number: 'CKHK2', name: '香港仓2', useOrg: '200' }] });
    expect(await q({ FormId: 'BD_STOCK', FieldKeys: 'FNumber,FUseOrgId.FNumber,FCreateOrgId.FNumber', FilterString: "FNumber in ('CK001','CKHK2')", OrderString: 'FNumber ASC' })).toEqual([
      ['CK001', '100', '100'],
      ['CKHK2', '200', '200'],
    ]);
  });

  it('answers BD_Department and BOS_BillType with the form a bill type belongs to', async () => {
    expect(await q({ FormId: 'BD_Department', FieldKeys: 'FNumber,FName,FDocumentStatus', FilterString: "FNumber = 'BM000001'" })).toEqual([['BM000001', '仓储部', 'C']]);
    expect(await q({ FormId: 'BOS_BillType', FieldKeys: 'FNumber,FBillFormID', FilterString: "FNumber in ('XSCKD01_SYS','PK01_SYS')", OrderString: 'FNumber ASC' })).toEqual([
      ['PK01_SYS', 'STK_StockCountLoss'],
      ['XSCKD01_SYS', 'SAL_OUTSTOCK'],
    ]);
  });

  it('answers material barcodes, batch and shelf-life flags', async () => {
    expect(await q({ FormId: 'BD_MATERIAL', FieldKeys: 'FNumber,FBarCode,FIsBatchManage,FIsKFPeriod', FilterString: `FBarCode = '${plantedGaps.suggestedMaterial.barcode}'` })).toEqual([
      [plantedGaps.suggestedMaterial.material, plantedGaps.suggestedMaterial.barcode, false, false],
    ]);
  });

  it('a bill naming unaudited or forbidden base data is refused', async () => {
    const save = async (fields: Record<string, unknown>) => (await client.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: salesOutModel(`ST-${Object.keys(fields)[0]}`, [{ material: 'A1001-RED-S', qty: 1 }], fields) } })).json as {
      Result: { ResponseStatus: { IsSuccess: boolean } };
    };
    expect((await save({ FCustomerID: { FNumber: plantedGaps.unauditedCustomer.customer } })).Result.ResponseStatus.IsSuccess).toBe(false);
    expect((await save({ FCustomerID: { FNumber: 'CUST-TMALL' } })).Result.ResponseStatus.IsSuccess).toBe(true);
  });
});

describe('Kingdee simulator: View of a location-managed stock', () => {
  let sim: KingdeeSimulator;
  let client: KdSessionClient;
  beforeAll(async () => {
    sim = await startKingdeeSimulator({});
    client = await loginWithPassword(sim.url, 'integration', 'demo-kd-password-1');
    sim.addBaseData({ stocks: [{ number: 'CK-2D', name: '两维仓', flexNumbers: ['FF100001', 'FF100002'], bins: ['G.01', 'G.02', 'H.01'] }, { number: 'CK-NONE', name: '无仓位' }] });
  });
  afterAll(() => sim.close());

  const view = async (number: string) => ((await client.call('View', { formid: 'BD_STOCK', data: { Number: number } })).json as { Result: { Result: { StockFlexItem?: Array<{ FlexId: { FlexNumber: string }; StockFlexDetail: Array<{ FlexEntryId: { Number: string } }> }> } } }).Result.Result;

  it('lists each location dimension (StockFlexItem.FlexId.FlexNumber) with the values it takes (StockFlexDetail)', async () => {
    const items = (await view('CK-2D')).StockFlexItem ?? [];
    expect(items.map((i) => [i.FlexId.FlexNumber, i.StockFlexDetail.map((d) => d.FlexEntryId.Number)])).toEqual([
      ['FF100001', ['G', 'H']],
      ['FF100002', ['01', '02']],
    ]);
    expect((await view('CK-NONE')).StockFlexItem).toEqual([]);
  });
});
