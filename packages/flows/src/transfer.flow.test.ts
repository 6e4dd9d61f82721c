import { NOW, onlyDocument, rawFixture, testConfig as base, thrown, withLocatedCK001 } from './flow-tests.test-support';
import { flowContext } from './registry';
import { stkTransferDirectModelSchema, transferFlow, transferSchema, type StkTransferDirectEntry, type StkTransferDirectModel } from './transfer.flow';
import type { TransformResult } from './types';
import { parseSyncConfig } from './sync-config';

// Here CK001 keeps stock by location too (one dimension), so both sides of a transfer take one: JST bins win over
// the defaults (CK001 A-00-00, CK002 "G.00" split over two dimensions, 次品仓 DEF-00 through its older binFlexKey).
const config = withLocatedCK001(base);

const raw = (name: string) => rawFixture('transfer', name);
const doc = (name: string) => transferSchema.parse(raw(name));
const run = (name: string): TransformResult => transferFlow.transform(doc(name), flowContext('transfer', config, NOW));

function model(name: string): { model: StkTransferDirectModel; notes?: string[] } {
  return onlyDocument(run(name), 'STK_TransferDirect', stkTransferDirectModelSchema);
}

function line(e: StkTransferDirectEntry) {
  return {
    material: e.FMaterialId.FNumber, unit: e.FUnitID.FNumber, qty: e.FQty, src: e.FSrcStockId.FNumber, dest: e.FDestStockId.FNumber,
    srcBin: e.FSrcStockLocId, destBin: e.FDestStockLocId, lot: e.FLot?.FNumber, destLot: e.FDestLot?.FNumber,
    produced: e.FProduceDate, expires: e.FExpiryDate, aux: e.FAuxPropId, outOrg: e.FOwnerOutId.FNumber, inOrg: e.FOwnerId.FNumber,
    third: e.FThirdSrcEntryId,
  };
}


describe('transfer flow (调拨入 → STK_TransferDirect)', () => {
  it('reads id, version (modified) and readiness', () => {
    const d = doc('two-batches');
    expect(transferFlow.docId(d)).toBe('700101');
    expect(transferFlow.version(d)).toBe('20240607102133');
    expect(transferFlow.isReady(d)).toBe(true);
    expect(transferFlow.isReady(transferSchema.parse({ ...raw('two-batches'), status: 'Creating' }))).toBe(false);
    expect(transferFlow.isReady(doc('transfer-out-type'))).toBe(false);
    expect(transferFlow.source).toEqual({ path: '/open/allocate/query', cursor: { kind: 'window', filters: { type: '调拨入' } }, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 50 } });
  });

  it('splits a line with two lots into two entries with their own quantities, dates and the source bin', () => {
    const { model: m, notes } = model('two-batches');
    expect(notes).toBeUndefined();
    expect(m).toMatchObject({
      FBillTypeID: { FNUMBER: 'ZJDB01_SYS' }, FBillNo: 'JSTTR-700101', FDate: '2024-06-07',
      FTransferBizType: 'OverOrgTransfer', FStockOutOrgId: { FNumber: '100' }, FStockOrgId: { FNumber: '200' },
      FOwnerOutIdHead: { FNumber: '100' }, FOwnerIdHead: { FNumber: '200' },
      FThirdSystem: 'JST', FThirdSrcId: '700101', FThirdSrcBillNo: '700101',
    });
    expect(m.FNote).toBe('聚水潭调拨单 io_id=700101; 调拨出 io_id=700100; 杭州主仓 → 广州分仓');
    const srcBin = (code: string) => ({ FSRCSTOCKLOCID__FF100001: { FNumber: code } });
    const destBin = { FDESTSTOCKLOCID__FF100001: { FNumber: 'G' }, FDESTSTOCKLOCID__FF100002: { FNumber: '00' } };
    expect(m.FBillEntry.map(line)).toEqual([
      { material: 'B2001-250ML', unit: 'Btl250', qty: 3, src: 'CK001', dest: 'CK002', srcBin: srcBin('A-01-02'), destBin, lot: 'B240101-B2001', destLot: 'B240101-B2001', produced: '2024-01-01', expires: '2025-12-31', aux: undefined, outOrg: '100', inOrg: '200', third: '7001011' },
      { material: 'B2001-250ML', unit: 'Btl250', qty: 2, src: 'CK001', dest: 'CK002', srcBin: srcBin('A-01-02'), destBin, lot: 'B240301-B2001', destLot: 'B240301-B2001', produced: '2024-03-01', expires: '2026-02-28', aux: undefined, outOrg: '100', inOrg: '200', third: '7001011' },
      { material: 'A1001', unit: 'Pcs', qty: 2, src: 'CK001', dest: 'CK002', srcBin: srcBin('B-02-01'), destBin, lot: undefined, destLot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'M' } }, outOrg: '100', inOrg: '200', third: '7001012' },
    ]);
    expect(m.FBillEntry[0]).toMatchObject({ FSrcStockStatusId: { FNumber: 'KCZT01_SYS' }, FDestStockStatusId: { FNumber: 'KCZT01_SYS' }, FKeeperOutId: { FNumber: '100' }, FKeeperId: { FNumber: '200' } });
  });

  it('maps sub-warehouses (<wms_co_id>/<wh_id>), multi-spec SKUs, skips zero lines with a note', () => {
    const { model: m, notes } = model('sub-warehouse-multi-spec');
    expect(m.FTransferBizType).toBe('InnerOrgTransfer');
    expect(m.FBillEntry.map(line)).toEqual([
      { material: 'A1001', unit: 'Pcs', qty: 4, src: 'CK001', dest: 'CK001-DEF', srcBin: { FSRCSTOCKLOCID__FF100001: { FNumber: 'A-01-01' } }, destBin: { FDESTSTOCKLOCID__FF100003: { FNumber: 'DEF-01' } }, lot: undefined, destLot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'L' } }, outOrg: '100', inOrg: '100', third: '7001031' },
      { material: 'A1001', unit: 'Pcs', qty: 1, src: 'CK001', dest: 'CK001-DEF', srcBin: { FSRCSTOCKLOCID__FF100001: { FNumber: 'A-00-00' } }, destBin: { FDESTSTOCKLOCID__FF100003: { FNumber: 'DEF-00' } }, lot: undefined, destLot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'S' } }, outOrg: '100', inOrg: '100', third: '7001032' },
    ]);
    expect(notes).toEqual(['line ioi_id=7001033 (sku_id=D4001) has qty 0: not sent']);
    expect(m.FNote).toBe('聚水潭调拨单 io_id=700103; 主仓 → 次品仓; 次品转移');
  });

  it('reads an older binFlexKey config: bins go to its dimension on both sides, lines without a bin need a default', () => {
    const legacy = (wh: Record<string, unknown>) => parseSyncConfig(JSON.stringify({
      flows: { transfer: {} },
      mappings: { warehouses: { '10969016': { stock: 'CK001', stockOrg: '100', binFlexKey: 'FSTOCKLOCID__FF100003', bins: { 'D-01': 'DEF-01' }, coversSubWarehouses: true, ...wh } } },
    }), 'inline');
    const d = transferSchema.parse({ ...raw('sub-warehouse-multi-spec'), link_wh_id: 1 });
    const err = thrown(() => transferFlow.transform(d, flowContext('transfer', legacy({}), NOW)));
    expect(err.code).toBe('UNMAPPED_BASE_DATA');
    expect(err.message).toBe('transfer 调拨单 io_id=700103: line ioi_id=7001032 source: Kingdee stock CK001 is location-managed (启用仓位) and the line has no bin: a default location is not mapped (add mappings.stocks."CK001".defaultLocation (e.g. "A-01", across FF100003) to the config file)');
    expect(err.details).toMatchObject({ flow: 'transfer', docId: '700103', field: 'mappings.stocks."CK001".defaultLocation' });
    const result = transferFlow.transform(d, flowContext('transfer', legacy({ defaultLocation: 'DEF-00' }), NOW));
    if (result.kind !== 'write') throw new Error('expected a write');
    const [first, second] = stkTransferDirectModelSchema.parse(result.documents[0].model).FBillEntry;
    expect(result.documents[0].billNo).toBe('JSTTR700103');
    expect(first!.FSrcStockLocId).toEqual({ FSRCSTOCKLOCID__FF100003: { FNumber: 'A-01-01' } });
    expect(first!.FDestStockLocId).toEqual({ FDESTSTOCKLOCID__FF100003: { FNumber: 'DEF-01' } });
    expect(second!.FSrcStockLocId).toEqual({ FSRCSTOCKLOCID__FF100003: { FNumber: 'DEF-00' } });
    expect(first!.FMaterialId).toEqual({ FNumber: 'A1001-BLK-L' });
  });

  it('uses the line batch fields when there is no batchs[] (numbers as strings)', () => {
    const { model: m } = model('line-batch-fields');
    expect(m.FBillNo).toBe('JSTTR-700105');
    expect(m.FBillEntry.map(line)).toEqual([
      { material: 'C3001', unit: 'Pcs', qty: 6, src: 'CK001', dest: 'CK002', srcBin: { FSRCSTOCKLOCID__FF100001: { FNumber: 'A-00-00' } }, destBin: { FDESTSTOCKLOCID__FF100001: { FNumber: 'G' }, FDESTSTOCKLOCID__FF100002: { FNumber: '00' } }, lot: 'B240410-C3001', destLot: 'B240410-C3001', produced: '2024-04-10', expires: '2024-10-07', aux: undefined, outOrg: '100', inOrg: '200', third: '7001051' },
    ]);
  });

  it('keeps all 200 lines of a large document in order', () => {
    const { model: m } = model('two-hundred-lines');
    expect(m.FBillEntry).toHaveLength(200);
    expect(m.FBillEntry.reduce((s, e) => s + e.FQty, 0)).toBe(600);
    expect(m.FBillEntry[199]!.FThirdSrcEntryId).toBe('7001310');
  });

  it('fails permanently naming the flow, the document and the missing warehouse key', () => {
    const err = thrown(() => run('unmapped-warehouse'));
    expect(err.code).toBe('UNMAPPED_BASE_DATA');
    expect(err.message).toBe('transfer 调拨单 io_id=700107: warehouse wms_co_id=10970001 is not mapped (add mappings.warehouses."10970001" with stock, stockOrg and coversSubWarehouses: [1] (or mappings.warehouses."10970001/1" for wh_id 1 alone) to the config file)');
    expect(err.details).toMatchObject({ flow: 'transfer', docId: '700107', field: 'mappings.warehouses."10970001"' });
  });

  it('skips with a reason: 调拨出 documents and documents with nothing to transfer', () => {
    expect(run('transfer-out-type')).toEqual({ kind: 'skip', reason: 'transfer 调拨单 io_id=700109: type 调拨出 is not booked (only 调拨入 is)' });
    expect(run('all-lines-zero')).toEqual({
      kind: 'skip',
      reason: 'transfer 调拨单 io_id=700113: nothing to transfer (line ioi_id=7001131 (sku_id=A1001-RED-M) has qty 0: not sent)',
    });
  });
});
