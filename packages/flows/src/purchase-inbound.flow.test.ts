import { NOW, onlyDocument, rawFixture, testConfig as config, thrown } from './flow-tests.test-support';
import { purchaseInboundFlow, purchaseInboundSchema, stkInStockModelSchema, type PurchaseInboundSettings, type StkInStockEntry, type StkInStockModel } from './purchase-inbound.flow';
import { flowContext } from './registry';
import type { FlowContext, TransformResult } from './types';

const doc = (name: string) => purchaseInboundSchema.parse(rawFixture('purchase-inbound', name));
/** The registry's context, with the settings typed as this flow's. */
const ctx = (): FlowContext<PurchaseInboundSettings> => ({ ...flowContext('purchase-inbound', config, NOW), settings: config.flows['purchase-inbound']! });
const run = (name: string): TransformResult => purchaseInboundFlow.transform(doc(name), ctx());

const model = (name: string): StkInStockModel => onlyDocument(run(name), 'STK_InStock', stkInStockModelSchema).model;

const line = (e: StkInStockEntry) => ({
  material: e.FMaterialId.FNumber, unit: e.FUnitID.FNumber, qty: e.FRealQty, price: e.FTaxPrice, gift: e.FGiveAway,
  stock: e.FStockId.FNumber, lot: e.FLot?.FNumber, produced: e.FProduceDate, expires: e.FExpiryDate, aux: e.FAuxPropId,
});

describe('purchase-inbound flow identity', () => {
  it('reads id, version (ts) and readiness (Confirmed 已入库)', () => {
    const d = doc('simple-one-line');
    expect(purchaseInboundFlow.docId(d)).toBe('400221');
    expect(purchaseInboundFlow.version(d)).toBe('1938500221');
    expect(purchaseInboundFlow.isReady(d)).toBe(true);
    for (const status of ['WaitConfirm', 'Cancelled', 'Delete', 'Archive', 'OuterConfirming']) {
      expect(purchaseInboundFlow.isReady({ ...d, status })).toBe(false);
    }
    expect(purchaseInboundFlow.source).toEqual({ path: '/open/purchasein/query', cursor: { kind: 'ts' }, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 30 } });
  });
});

describe('purchase-inbound transform', () => {
  it('maps a one-line document: header, FInStockFin and entry', () => {
    expect(model('simple-one-line')).toEqual({
      FBillTypeID: { FNUMBER: 'RKD01_SYS' },
      FBusinessType: 'CG',
      FBillNo: 'JSTPI-400221',
      FDate: '2024-05-22',
      FStockOrgId: { FNumber: '100' },
      FPurchaseOrgId: { FNumber: '100' },
      FSupplierId: { FNumber: 'SUP-001' },
      FOwnerTypeIdHead: 'BD_OwnerOrg',
      FOwnerIdHead: { FNumber: '100' },
      FStockDeptId: { FNumber: 'BM000001' },
      FPurchaseDeptId: { FNumber: 'BM000002' },
      FInStockFin: {
        FSettleOrgId: { FNumber: '100' },
        FSettleCurrId: { FNumber: 'PRE001' },
        FPriceTimePoint: '1',
        FIsIncludedTax: true,
        FLocalCurrId: { FNumber: 'PRE001' },
        FExchangeTypeId: { FNumber: 'HLTX01_SYS' },
        FExchangeRate: 1,
        FTHIRDSRCTYPE: 'JST',
        FTHIRDBILLNO: '400221',
        FTHIRDBILLID: 'PO221',
      },
      FInStockEntry: [
        {
          FMaterialId: { FNumber: 'A1001' },
          FUnitID: { FNumber: 'Pcs' },
          FPriceUnitID: { FNumber: 'Pcs' },
          FRealQty: 100,
          FTaxPrice: 35.5,
          FEntryTaxRate: 13,
          FGiveAway: false,
          FStockId: { FNumber: 'CK001' },
          FStockStatusId: { FNumber: 'KCZT01_SYS' },
          FAuxPropId: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'M' } },
          FOWNERTYPEID: 'BD_OwnerOrg',
          FOWNERID: { FNumber: '100' },
          FNote: '聚水潭 ioi_id=700112',
        },
      ],
    });
  });

  it('splits a line received in two lots into two entries with their own quantities and dates', () => {
    const m = model('two-batches');
    expect(m.FSupplierId).toEqual({ FNumber: 'SUP-002' });
    expect(m.FPurchaseOrgId).toEqual({ FNumber: '101' });
    expect(m.FInStockFin.FSettleOrgId).toEqual({ FNumber: '101' });
    expect(m.FStockOrgId).toEqual({ FNumber: '100' });
    expect(m.FInStockEntry.map(line)).toEqual([
      { material: 'B2001-250ML', unit: 'Btl250', qty: 40, price: 52, gift: false, stock: 'CK001', lot: 'B240101', produced: '2024-01-01', expires: '2025-12-31', aux: undefined },
      { material: 'B2001-250ML', unit: 'Btl250', qty: 20, price: 52, gift: false, stock: 'CK001', lot: 'B240215', produced: '2024-02-15', expires: '2026-02-14', aux: undefined },
      { material: 'C3001', unit: 'Box', qty: 10, price: 40, gift: false, stock: 'CK001', lot: 'N240410', produced: '2024-04-10', expires: undefined, aux: undefined },
    ]);
  });

  it('keeps each line with its own lot when one SKU is on several lines', () => {
    expect(model('same-sku-two-lines').FInStockEntry.map(line)).toEqual([
      { material: 'B2001-500ML', unit: 'Btl', qty: 12, price: 90, gift: false, stock: 'CK001', lot: 'B240301', produced: '2024-03-01', expires: '2026-03-01', aux: undefined },
      { material: 'B2001-500ML', unit: 'Btl', qty: 8, price: 90, gift: false, stock: 'CK001', lot: 'B240320', produced: '2024-03-20', expires: '2026-03-20', aux: undefined },
    ]);
  });

  it('maps multi-spec SKUs to material + auxiliary properties; finds a supplier by name when supplier_id is 0', () => {
    const m = model('multi-spec-supplier-by-name');
    expect(m.FSupplierId).toEqual({ FNumber: 'SUP-003' });
    expect(m.FInStockEntry.map((e) => [e.FMaterialId.FNumber, e.FRealQty, e.FAuxPropId])).toEqual([
      ['A1001', 30, { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'S' } }],
      ['A1001', 20, { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'L' } }],
    ]);
  });

  it('marks a zero-cost line as a gift and leaves zero-quantity lines out with a note', () => {
    const result = run('gift-and-zero-line');
    if (result.kind !== 'write') throw new Error('expected a write');
    const m = stkInStockModelSchema.parse(result.documents[0].model);
    expect(m.FInStockEntry.map((e) => [e.FMaterialId.FNumber, e.FRealQty, e.FTaxPrice, e.FGiveAway, e.FUnitID.FNumber])).toEqual([
      ['A1001', 50, 35, false, 'Pcs'],
      ['GIFT-BAG', 50, 0, true, 'Pcs'],
    ]);
    expect(result.notes).toEqual(['line ioi_id=700152 (sku_id=A1001-BLK-S) has qty 0: not sent']);
  });

  it('skips a document whose lines are all zero, naming it', () => {
    expect(run('all-lines-zero')).toEqual({
      kind: 'skip',
      reason: 'purchase-inbound 采购入库单 io_id=400226: nothing received (line ioi_id=700160 (sku_id=A1001-BLK-S) has qty 0: not sent)',
    });
  });

  it('reads numbers given as strings and uses the sub-warehouse mapping <wms_co_id>/<wh_id>', () => {
    const m = model('sub-warehouse-strings');
    expect(m.FBillNo).toBe('JSTPI-400227');
    expect(m.FDate).toBe('2024-05-23');
    expect(m.FInStockEntry.map(line)).toEqual([
      { material: 'A1001', unit: 'Pcs', qty: 15, price: 35.5, gift: false, stock: 'CK001-DEF', lot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'L' } } },
    ]);
    expect(m.FInStockEntry[0]!.FEntryTaxRate).toBe(9);
  });

  it('writes a 200-line document as one bill with 200 entries in the mapped stock org', () => {
    const m = model('two-hundred-lines');
    expect(m.FInStockEntry).toHaveLength(200);
    expect(m.FStockOrgId).toEqual({ FNumber: '200' });
    expect(m.FInStockEntry.every((e) => e.FStockId.FNumber === 'CK002' && e.FOWNERID.FNumber === '200')).toBe(true);
    const total = m.FInStockEntry.reduce((s, e) => s + e.FRealQty, 0);
    expect(total).toBe(Array.from({ length: 200 }, (_, i) => 1 + (i % 7)).reduce((a, b) => a + b, 0));
  });

  it.each([
    ['unmapped-warehouse', 'warehouse wms_co_id=99999999', 'mappings.warehouses."99999999"', '400229'],
    ['unmapped-supplier', 'supplier supplier_id=39999 (新供应商)', 'mappings.suppliers."39999"', '400230'],
  ])('%s fails permanently with UNMAPPED_BASE_DATA naming the flow, document and key', (name, what, field, id) => {
    const e = thrown(() => run(name));
    expect(e.code).toBe('UNMAPPED_BASE_DATA');
    expect(e.message).toContain(`purchase-inbound 采购入库单 io_id=${id}`);
    expect(e.message).toContain(what);
    expect(e.details).toMatchObject({ flow: 'purchase-inbound', docId: id, field });
  });

  it('rejects batches that do not add up to the line', () => {
    const d = doc('two-batches');
    const bad = { ...d, batchs: d.batchs.map((b) => (b.batch_no === 'B240215' ? { ...b, qty: 5 } : b)) };
    const e = thrown(() => purchaseInboundFlow.transform(bad, ctx()));
    expect(e.code).toBe('INVALID_SOURCE_DOCUMENT');
    expect(e.message).toContain('line ioi_id=700120 (sku_id=B2001-250ML) has qty 60 but its batches add up to 45');
  });
});
