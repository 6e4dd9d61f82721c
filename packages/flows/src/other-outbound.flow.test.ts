import { NOW, onlyDocument, rawFixture, testConfig as config, testConfigYaml, thrown } from './flow-tests.test-support';
import { otherOutboundFlow, stkMisDeliveryModelSchema, type StkMisDeliveryEntry, type StkMisDeliveryModel } from './other-outbound.flow';
import { flowContext } from './registry';
import type { TransformResult } from './types';
import { parseSyncConfig, type SyncConfig } from './sync-config';

const raw = (name: string) => rawFixture('other-outbound', name);
function run(name: string, cfg: SyncConfig = config): TransformResult {
  return otherOutboundFlow.transform(otherOutboundFlow.schema.parse(raw(name)), flowContext('other-outbound', cfg, NOW));
}
function model(name: string, cfg: SyncConfig = config): StkMisDeliveryModel {
  return onlyDocument(run(name, cfg), 'STK_MisDelivery', stkMisDeliveryModelSchema).model;
}
const line = (e: StkMisDeliveryEntry) => ({
  material: e.FMaterialId.FNumber, unit: e.FUnitID.FNumber, base: e.FBaseUnitId.FNumber, qty: e.FQty, stock: e.FStockId.FNumber,
  lot: e.FLot?.FNumber, produced: e.FProduceDate, expires: e.FExpiryDate, aux: e.FAuxPropId, note: e.FEntryNote,
});
const red = (size: string) => ({ FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: size } });

describe('other-outbound flow (其它出库 → STK_MisDelivery)', () => {
  it('maps the reference example: header, pick org, department, positive FQty, unit and base unit', () => {
    expect(model('sample-use')).toEqual({
      FBillTypeID: { FNUMBER: 'QTCKD01_SYS' },
      FBillNo: 'JSTOO-600551',
      FDate: '2024-05-22',
      FStockOrgId: { FNumber: '100' },
      FPickOrgId: { FNumber: '100' },
      FStockDirect: 'GENERAL',
      FOwnerTypeIdHead: 'BD_OwnerOrg',
      FOwnerIdHead: { FNumber: '100' },
      FDeptId: { FNumber: 'BM000001' },
      FNote: '聚水潭其它出库 io_id=600551; 外部单号 so_id=OUT-20240522-01; 类型 样品领用',
      FEntity: [{
        FMaterialId: { FNumber: 'A1001' }, FUnitID: { FNumber: 'Pcs' }, FBaseUnitId: { FNumber: 'Pcs' }, FQty: 3,
        FStockId: { FNumber: 'CK001' }, FStockStatusId: { FNumber: 'KCZT01_SYS' }, FAuxPropId: red('M'),
        FOwnerTypeId: 'BD_OwnerOrg', FOwnerId: { FNumber: '100' }, FKeeperTypeId: 'BD_KeeperOrg', FKeeperId: { FNumber: '100' },
        FEntryNote: 'JST ioi_id=912001',
      }],
    });
  });

  it('splits a line with two batches (matched by ioi_id) into two entries with their own quantities, lots and dates', () => {
    expect(model('two-batches').FEntity.map(line)).toEqual([
      { material: 'B2001-500ML', unit: 'Btl', base: 'Btl', qty: 3, stock: 'CK001', lot: 'B240301-B2001', produced: '2024-03-01', expires: '2026-03-01', aux: undefined, note: 'JST ioi_id=912011' },
      { material: 'B2001-500ML', unit: 'Btl', base: 'Btl', qty: 2, stock: 'CK001', lot: 'B240115-B2001', produced: '2024-01-15', expires: '2026-01-15', aux: undefined, note: 'JST ioi_id=912011' },
      { material: 'A1001', unit: 'Pcs', base: 'Pcs', qty: 1, stock: 'CK001', lot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'L' } }, note: 'JST ioi_id=912012' },
    ]);
  });

  it('uses the line batch fields when batchs is null; numbers as strings; no io_date → modified date', () => {
    const m = model('line-batch-fields');
    expect(m.FBillNo).toBe('JSTOO-600553');
    expect(m.FDate).toBe('2024-05-23');
    expect(m.FStockOrgId).toEqual({ FNumber: '200' });
    expect(m.FEntity.map(line)).toEqual([
      { material: 'C3001', unit: 'Box', base: 'Box', qty: 2, stock: 'CK002', lot: 'B240301-B2001', produced: '2024-04-10', expires: '2024-10-07', aux: undefined, note: 'JST ioi_id=912021' },
    ]);
  });

  it('maps multi-spec SKUs and the sub-warehouse 10969016/4; pickOrg and bizType from settings', () => {
    const cfg = parseSyncConfig(testConfigYaml.replace('  other-outbound:\n', '  other-outbound:\n    pickOrg: "300"\n    bizType: "0"\n'), 'x');
    const m = model('multi-spec', cfg);
    expect(m.FPickOrgId).toEqual({ FNumber: '300' });
    expect(m.FBizType).toBe('0');
    expect(m.FEntity.map((e) => [e.FMaterialId.FNumber, e.FStockId.FNumber, e.FQty, e.FAuxPropId])).toEqual([
      ['A1001', 'CK001-DEF', 2, red('S')],
      ['A1001', 'CK001-DEF', 1, { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'M' } }],
      ['GIFT-BAG', 'CK001-DEF', 1, undefined],
    ]);
  });

  it('leaves out zero-quantity lines with a note, and skips a document with nothing to ship', () => {
    const result = run('zero-qty-line');
    if (result.kind !== 'write') throw new Error('expected a write');
    expect(result.notes).toEqual(['line ioi_id=912041 (sku_id=A1001-RED-M) has qty 0: not sent']);
    expect((result.documents[0].model as StkMisDeliveryModel).FEntity.map((e) => e.FQty)).toEqual([4]);
    expect(run('all-lines-zero')).toEqual({
      kind: 'skip',
      reason: 'other-outbound 其它出库 io_id=600556: nothing to ship (line ioi_id=912051 (sku_id=A1001-RED-M) has qty 0: not sent)',
    });
  });

  it('keeps all 200 lines of a long document', () => {
    const m = model('two-hundred-lines');
    expect(m.FEntity).toHaveLength(200);
    expect(m.FEntity.reduce((s, e) => s + e.FQty, 0)).toBe(500);
  });

  it('fails permanently on an unmapped warehouse or SKU, naming the flow, the document and the key', () => {
    const wh = thrown(() => run('unmapped-warehouse'));
    expect(wh.code).toBe('UNMAPPED_BASE_DATA');
    expect(wh.message).toContain('other-outbound 其它出库 io_id=600557: warehouse wms_co_id=10969099 is not mapped');
    const sku = thrown(() => run('unmapped-sku'));
    expect(sku.code).toBe('UNMAPPED_BASE_DATA');
    expect(sku.message).toBe('other-outbound 其它出库 io_id=600558: line ioi_id=912072 SKU sku_id=Z9999-NEW is not mapped (add mappings.skus.map."Z9999-NEW" with its material (mappings.skus.mode is table) to the config file)');
    expect(sku.details).toMatchObject({ flow: 'other-outbound', docId: '600558' });
  });

  it('is ready only for Confirmed 其它出库, versioned by modified', () => {
    const doc = otherOutboundFlow.schema.parse(raw('sample-use'));
    expect(otherOutboundFlow.version(doc)).toBe('20240522140003');
    expect(otherOutboundFlow.isReady(doc)).toBe(true);
    expect(otherOutboundFlow.isReady({ ...doc, status: 'Delete' })).toBe(false);
    expect(otherOutboundFlow.isReady({ ...doc, type: '其它进仓' })).toBe(false);
    expect(otherOutboundFlow.source.cursor).toEqual({ kind: 'window', filters: { status: 'Confirmed', types: ['其它出库'] } });
  });
});
