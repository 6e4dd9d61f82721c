import { NOW, onlyDocument, rawFixture, testConfig as config, testConfigYaml, thrown } from './flow-tests.test-support';
import { otherInboundFlow, stkMiscellaneousModelSchema, type OtherInboundSettings, type StkMiscellaneousEntry, type StkMiscellaneousModel } from './other-inbound.flow';
import { flowContext } from './registry';
import type { FlowContext, TransformResult } from './types';
import { parseSyncConfig, type SyncConfig } from './sync-config';

const raw = (name: string) => rawFixture('other-inbound', name);
function run(name: string, cfg: SyncConfig = config): TransformResult {
  return otherInboundFlow.transform(otherInboundFlow.schema.parse(raw(name)), flowContext('other-inbound', cfg, NOW) as FlowContext<OtherInboundSettings>);
}
function model(name: string, cfg: SyncConfig = config): StkMiscellaneousModel {
  return onlyDocument(run(name, cfg), 'STK_MISCELLANEOUS', stkMiscellaneousModelSchema).model;
}
const line = (e: StkMiscellaneousEntry) => ({
  material: e.FMATERIALID.FNumber, unit: e.FUnitID.FNumber, qty: e.FQty, stock: e.FSTOCKID.FNumber, lot: e.FLOT?.FNumber,
  produced: e.FPRODUCEDATE, expires: e.FEXPIRYDATE, aux: e.FAuxPropId, price: e.FPrice, amount: e.FAmount, note: e.FEntryNote,
});

describe('other-inbound flow (其它进仓 → STK_MISCELLANEOUS)', () => {
  it('maps a one-line document: header, organisations, department, positive quantity, cost', () => {
    const m = model('simple-one-line');
    expect(m).toEqual({
      FBillTypeID: { FNUMBER: 'QTRKD01_SYS' },
      FBillNo: 'JSTOI-700101',
      FDate: '2024-05-22',
      FStockOrgId: { FNumber: '100' },
      FStockDirect: 'GENERAL',
      FOwnerTypeIdHead: 'BD_OwnerOrg',
      FOwnerIdHead: { FNumber: '100' },
      FDEPTID: { FNumber: 'BM000001' },
      FBaseCurrId: { FNumber: 'PRE001' },
      FNOTE: '聚水潭其它进仓 io_id=700101; 外部单号 so_id=IN-20240522-01; 类型 盘点入库',
      FEntity: [{
        FMATERIALID: { FNumber: 'A1001' }, FUnitID: { FNumber: 'Pcs' }, FQty: 6, FPrice: 35.5, FAmount: 213,
        FSTOCKID: { FNumber: 'CK001' }, FSTOCKSTATUSID: { FNumber: 'KCZT01_SYS' },
        FAuxPropId: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'M' } },
        FOWNERTYPEID: 'BD_OwnerOrg', FOWNERID: { FNumber: '100' }, FKEEPERTYPEID: 'BD_KeeperOrg', FKEEPERID: { FNumber: '100' },
        FEntryNote: 'JST ioi_id=920001',
      }],
    });
  });

  it('splits a line with two batches into two entries with their own quantity, lot and dates; maps the supplier', () => {
    const m = model('two-batches');
    expect(m.FStockOrgId).toEqual({ FNumber: '200' });
    expect(m.FSUPPLIERID).toEqual({ FNumber: 'SUP-001' });
    expect(m.FEntity.map(line)).toEqual([
      { material: 'B2001-500ML', unit: 'Btl', qty: 4, stock: 'CK002', lot: 'B240301-B2001', produced: '2024-03-01', expires: '2026-03-01', aux: undefined, price: 80, amount: 320, note: 'JST ioi_id=920011' },
      { material: 'B2001-500ML', unit: 'Btl', qty: 3, stock: 'CK002', lot: 'B240402-B2001', produced: '2024-04-02', expires: '2026-04-02', aux: undefined, price: 80, amount: 240, note: 'JST ioi_id=920011' },
      { material: 'A1001', unit: 'Pcs', qty: 2, stock: 'CK002', lot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'S' } }, price: 35.5, amount: 71, note: 'JST ioi_id=920012' },
    ]);
  });

  it('maps multi-spec SKUs to material + auxiliary properties and uses the mapped sub-warehouse', () => {
    const m = model('multi-spec-sub-warehouse');
    expect(m.FEntity.map(line)).toEqual([
      { material: 'A1001', unit: 'Pcs', qty: 1, stock: 'CK001-DEF', lot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'S' } }, price: 35.5, amount: 35.5, note: 'JST ioi_id=920031' },
      { material: 'A1001', unit: 'Pcs', qty: 2, stock: 'CK001-DEF', lot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'S' } }, price: 35.5, amount: 71, note: 'JST ioi_id=920032' },
      { material: 'GIFT-BAG', unit: 'Pcs', qty: 5, stock: 'CK001-DEF', lot: undefined, produced: undefined, expires: undefined, aux: undefined, price: undefined, amount: undefined, note: 'JST ioi_id=920033' },
    ]);
  });

  it('counts 其它退货 as inbound by default and skips it with includeReturns: false', () => {
    expect(model('other-return').FNOTE).toBe('聚水潭其它退货 io_id=700103; 外部单号 so_id=API-IN-88');
    const off = parseSyncConfig(testConfigYaml.replace('  other-inbound:\n', '  other-inbound:\n    includeReturns: false\n'), 'x');
    expect(off.flows['other-inbound']!.includeReturns).toBe(false);
    expect(run('other-return', off)).toEqual({ kind: 'skip', reason: 'other-inbound 其它退货 io_id=700103: 其它退货 is not synced as inbound (includeReturns: false)' });
    expect(run('simple-one-line', off).kind).toBe('write');
  });

  it('leaves out zero-quantity lines with a note', () => {
    const result = run('zero-qty-line');
    expect(result.kind).toBe('write');
    if (result.kind !== 'write') return;
    expect(result.notes).toEqual(['line ioi_id=920041 (sku_id=A1001-RED-M) has qty 0: not sent']);
    expect((result.documents[0].model as StkMiscellaneousModel).FEntity.map((e) => e.FQty)).toEqual([2]);
  });

  it('keeps all 200 lines of a long document, in order', () => {
    const m = model('two-hundred-lines');
    expect(m.FEntity).toHaveLength(200);
    expect(m.FEntity.reduce((s, e) => s + e.FQty, 0)).toBe(500);
    expect(m.FEntity[199].FEntryNote).toBe('JST ioi_id=921199');
  });

  it('fails permanently, naming flow, document and key, on an unmapped warehouse, supplier or department', () => {
    const wh = thrown(() => run('unmapped-warehouse'));
    expect(wh.code).toBe('UNMAPPED_BASE_DATA');
    expect(wh.message).toBe('other-inbound 其它进仓 io_id=700106: warehouse wms_co_id=10969099 is not mapped (add mappings.warehouses."10969099" with stock, stockOrg and coversSubWarehouses: [1] (or mappings.warehouses."10969099/1" for wh_id 1 alone) to the config file)');
    expect(wh.details).toMatchObject({ flow: 'other-inbound', docId: '700106', field: 'mappings.warehouses."10969099"' });
    const sup = thrown(() => run('unmapped-supplier'));
    expect(sup.code).toBe('UNMAPPED_BASE_DATA');
    expect(sup.message).toContain('supplier_id=39999');
    expect(sup.details).toMatchObject({ docId: '700107', field: 'mappings.suppliers."39999"' });
    const noDept = parseSyncConfig(testConfigYaml.replace('    stock: BM000001\n', ''), 'x');
    const dept = thrown(() => run('simple-one-line', noDept));
    expect(dept.message).toBe('other-inbound 其它进仓 io_id=700101: department "stock" is not mapped (add mappings.departments."stock" with a Kingdee department number to the config file)');
  });

  it('reads id and version (modified) and is ready only when Confirmed and inbound', () => {
    const doc = otherInboundFlow.schema.parse(raw('simple-one-line'));
    expect(otherInboundFlow.docId(doc)).toBe('700101');
    expect(otherInboundFlow.version(doc)).toBe('20240522140003');
    expect(otherInboundFlow.isReady(doc)).toBe(true);
    expect(otherInboundFlow.isReady({ ...doc, status: 'WaitConfirm' })).toBe(false);
    expect(otherInboundFlow.isReady({ ...doc, status: 'Cancelled' })).toBe(false);
    expect(otherInboundFlow.isReady({ ...doc, type: '其它出库' })).toBe(false);
    expect(otherInboundFlow.isReady({ ...doc, type: '其它退货' })).toBe(true);
    expect(otherInboundFlow.source).toEqual({ path: '/open/other/inout/query', cursor: { kind: 'window', filters: { status: 'Confirmed', types: ['其它进仓', '其它退货'] } }, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 50 } });
  });

  it('rejects a negative quantity at the schema with a readable message', () => {
    const bad = raw('simple-one-line') as { items: { qty: number }[] };
    bad.items[0].qty = -2;
    const parsed = otherInboundFlow.schema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toMatch(/cannot be negative/);
  });
});
