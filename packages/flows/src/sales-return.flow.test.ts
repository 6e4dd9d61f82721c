import { NOW, onlyDocument, rawFixture, testConfig as config, thrown } from './flow-tests.test-support';
import { flowSource } from './flow-source';
import { flowContext } from './registry';
import {
  salReturnStockModelSchema, salesReturnFlow, salesReturnSchema,
  type SalReturnStockEntry, type SalReturnStockModel, type SalesReturnSettings,
} from './sales-return.flow';
import type { FlowContext, TransformResult } from './types';
import { parseSyncConfig, type SyncConfig } from './sync-config';

const raw = (name: string) => rawFixture('sales-return', name);
const doc = (name: string) => salesReturnSchema.parse(raw(name));
const ctx = (cfg: SyncConfig = config) => flowContext('sales-return', cfg, NOW) as FlowContext<SalesReturnSettings>;
const run = (name: string, cfg: SyncConfig = config): TransformResult => salesReturnFlow.transform(doc(name), ctx(cfg));

function written(name: string, cfg: SyncConfig = config): { model: SalReturnStockModel; notes?: string[]; billNo: string } {
  return onlyDocument(run(name, cfg), 'SAL_RETURNSTOCK', salReturnStockModelSchema);
}

function line(e: SalReturnStockEntry) {
  return {
    material: e.FMaterialId.FNumber, unit: e.FUnitID.FNumber, qty: e.FRealQty, price: e.FTaxPrice, free: e.FIsFree,
    stock: e.FStockId.FNumber, lot: e.FLot?.FNumber, produced: e.FProduceDate, expires: e.FExpiryDate, aux: e.FAuxpropId,
    thirdEntry: e.FThirdEntryId,
  };
}


describe('sales-return flow: received (退仓单)', () => {
  it('writes one line per batch into the 销退仓 sub-warehouse, with lots, dates and positive quantities', () => {
    const { model, notes, billNo } = written('received-two-batches');
    expect(billNo).toBe('JSTRT-3301122');
    expect(notes).toBeUndefined();
    expect(model).toMatchObject({
      FBillTypeID: { FNUMBER: 'XSTHD01_SYS' },
      FDate: '2024-05-25',
      FSaleOrgId: { FNumber: '100' },
      FStockOrgId: { FNumber: '100' },
      FRetcustId: { FNumber: 'CUST-TMALL' },
      FStockDeptId: { FNumber: 'BM000001' },
      FOwnerTypeIdHead: 'BD_OwnerOrg',
      FOwnerIdHead: { FNumber: '100' },
      FHeadNote: '聚水潭退仓单 io_id=3301122; 售后单 as_id=901233; 内部单号 o_id=5459022; 线上单号 so_id=3168479786331150357; 普通退货',
      SubHeadEntity: {
        FSettleCurrId: { FNumber: 'PRE001' }, FSettleOrgId: { FNumber: '100' }, FLocalCurrId: { FNumber: 'PRE001' },
        FExchangeTypeId: { FNumber: 'HLTX01_SYS' }, FExchangeRate: 1,
        FThirdBillNo: '3301122', FThirdBillId: '901233', FThirdSrcType: 'JST',
      },
    });
    expect(model.FSaledeptid).toBeUndefined();
    expect(model.FEntity.map(line)).toEqual([
      { material: 'B2001-250ML', unit: 'Btl250', qty: 2, price: 159, free: false, stock: 'CK001-TH', lot: 'B240101', produced: '2024-01-01', expires: '2025-12-31', aux: undefined, thirdEntry: '55120' },
      { material: 'B2001-250ML', unit: 'Btl250', qty: 1, price: 159, free: false, stock: 'CK001-TH', lot: 'B240215', produced: '2024-02-15', expires: '2026-02-14', aux: undefined, thirdEntry: '55120' },
      { material: 'C3001', unit: 'Box', qty: 1, price: 128, free: false, stock: 'CK001-TH', lot: 'N240401', produced: '2024-04-01', expires: '2024-09-28', aux: undefined, thirdEntry: '55121' },
    ]);
    for (const e of model.FEntity) {
      expect(e.FReturnType).toEqual({ FNumber: 'THLX01_SYS' });
      expect(e.FStockstatusId).toEqual({ FNumber: 'KCZT01_SYS' });
      expect(e.FOwnerId).toEqual({ FNumber: '100' });
      expect(e.FEntryTaxRate).toBe(13);
    }
  });

  it('maps multi-spec SKUs to material + auxiliary properties, marks a zero-price line free and skips a zero-quantity line', () => {
    const { model, notes } = written('received-multi-spec-gift');
    expect(model.FRetcustId).toEqual({ FNumber: 'CUST-DOUYIN' });
    expect(model.SubHeadEntity.FSettleOrgId).toEqual({ FNumber: '101' });
    expect(model.FDate).toBe('2024-05-26'); // no io_date: the modified date
    expect(model.FEntity.map(line)).toEqual([
      { material: 'A1001', unit: 'Pcs', qty: 2, price: 99, free: false, stock: 'CK001', lot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'M' } }, thirdEntry: '55130' },
      { material: 'A1001', unit: 'Pcs', qty: 1, price: 89.1, free: false, stock: 'CK001', lot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'L' } }, thirdEntry: '55131' },
      { material: 'GIFT-BAG', unit: 'Pcs', qty: 1, price: 0, free: true, stock: 'CK001', lot: undefined, produced: undefined, expires: undefined, aux: undefined, thirdEntry: '55132' },
    ]);
    expect(notes).toEqual(['line ioi_id=55133 (sku_id=A1001-RED-S) has qty 0: not sent']);
  });

  it('keeps every one of 200 lines, in order, with the batch lines carrying their lot', () => {
    const { model } = written('received-two-hundred-lines');
    expect(model.FEntity).toHaveLength(200);
    expect(model.FStockOrgId).toEqual({ FNumber: '200' });
    expect(model.FEntity.map((e) => e.FThirdEntryId)).toEqual(Array.from({ length: 200 }, (_, n) => String(60000 + n)));
    expect(model.FEntity.map((e) => e.FRealQty)).toEqual(Array.from({ length: 200 }, (_, n) => 1 + (n % 3)));
    const lots = model.FEntity.filter((e) => e.FMaterialId.FNumber === 'B2001-500ML');
    expect(lots).toHaveLength(25);
    expect(lots.every((e, i) => e.FLot?.FNumber === `L${String(6 + 8 * i).padStart(3, '0')}`)).toBe(true);
    expect(model.FEntity.every((e) => e.FStockId.FNumber === 'CK002')).toBe(true);
  });

  it('fails permanently on an unmapped warehouse, naming the flow, the document and the key', () => {
    const err = thrown(() => run('received-unmapped-warehouse'));
    expect(err.code).toBe('UNMAPPED_BASE_DATA');
    expect(err.message).toContain('sales-return 退仓单 io_id=3301124');
    expect(err.message).toContain('mappings.warehouses."10970000"');
    expect(err.details).toMatchObject({ flow: 'sales-return', docId: '3301124' });
  });

  it('fails permanently on an unmapped SKU', () => {
    const err = thrown(() => run('received-unmapped-sku'));
    expect(err.code).toBe('UNMAPPED_BASE_DATA');
    expect(err.message).toContain('io_id=3301125');
    expect(err.message).toContain('Z9999-NEW');
  });

  it('fails on batches that do not add up to the received quantity', () => {
    const bad = raw('received-two-batches');
    (bad.batchs as { qty: number }[])[1].qty = 5;
    const err = thrown(() => salesReturnFlow.transform(salesReturnSchema.parse(bad), ctx()));
    expect(err.code).toBe('INVALID_SOURCE_DOCUMENT');
  });

  it('reads id, version and readiness', () => {
    const d = doc('received-multi-spec-gift');
    expect(salesReturnFlow.docId(d)).toBe('3301123');
    expect(salesReturnFlow.version(d)).toBe('1938499002');
    expect(salesReturnFlow.isReady(d)).toBe(true);
    expect(salesReturnFlow.isReady(salesReturnSchema.parse({ ...raw('received-two-batches'), status: 'WaitConfirm' }))).toBe(false);
  });
});

describe('sales-return flow: refund (售后单)', () => {
  it('writes the received 退货 lines (r_qty) with batches matched by SKU; leaves the 换货 line out', () => {
    const { model, notes, billNo } = written('refund-exchange');
    expect(billNo).toBe('JSTRT-AS88001');
    expect(model.FDate).toBe('2024-05-27');
    expect(model.SubHeadEntity).toMatchObject({ FThirdBillNo: '88001', FThirdBillId: '5459022' });
    expect(model.FHeadNote).toBe('聚水潭售后单 as_id=88001; 内部单号 o_id=5459022; 线上单号 so_id=3168479786331150357; 换货');
    expect(model.FEntity.map(line)).toEqual([
      { material: 'B2001-500ML', unit: 'Pcs', qty: 1, price: 269, free: false, stock: 'CK001-TH', lot: 'B240301', produced: '2024-03-01', expires: '2026-03-01', aux: undefined, thirdEntry: '770001' },
      { material: 'B2001-500ML', unit: 'Pcs', qty: 1, price: 269, free: false, stock: 'CK001-TH', lot: 'B240402', produced: '2024-04-02', expires: '2026-04-02', aux: undefined, thirdEntry: '770001' },
      { material: 'A1001', unit: 'Pcs', qty: 1, price: 99, free: false, stock: 'CK001-TH', lot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'M' } }, thirdEntry: '770002' },
      { material: 'GIFT-BAG', unit: 'Pcs', qty: 1, price: 0, free: true, stock: 'CK001-TH', lot: undefined, produced: undefined, expires: undefined, aux: undefined, thirdEntry: '770004' },
    ]);
    expect(notes).toEqual(['line asi_id=770003 (sku_id=A1001-BLK-L) is a 换货 line, not returned goods: not sent']);
  });

  it('skips a 售后单 with nothing received yet, saying why', () => {
    const result = run('refund-nothing-received');
    expect(result).toEqual({ kind: 'skip', reason: 'sales-return 售后单 as_id=88002: nothing returned to stock (line asi_id=770010 (sku_id=C3001) has qty 0: not sent)' });
  });

  it('is ready only when Confirmed and the seller has received the goods; id is as_id, version the string ts', () => {
    const d = doc('refund-exchange');
    expect(d.source).toBe('refund');
    expect(salesReturnFlow.docId(d)).toBe('88001');
    expect(salesReturnFlow.version(d)).toBe('1938499100');
    expect(salesReturnFlow.isReady(d)).toBe(true);
    const notReceived = salesReturnSchema.parse({ ...raw('refund-exchange'), good_status: 'BUYER_RETURNED_GOODS' });
    expect(salesReturnFlow.isReady(notReceived)).toBe(false);
    const waiting = salesReturnSchema.parse({ ...raw('refund-exchange'), status: 'WaitConfirm' });
    expect(salesReturnFlow.isReady(waiting)).toBe(false);
  });
});

describe('sales-return source schema and source selection', () => {
  it('tells the two documents apart by io_id and reports bad fields by path', () => {
    expect(doc('received-two-batches').source).toBe('received');
    const bad = salesReturnSchema.safeParse({ ...raw('received-two-batches'), ts: 'abc' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['ts']);
    const badRefund = salesReturnSchema.safeParse({ ...raw('refund-exchange'), as_id: undefined });
    expect(badRefund.success).toBe(false);
    expect(badRefund.error!.issues[0].path).toEqual(['as_id']);
  });

  it('reads the endpoint from settings.source (default received), by ts', () => {
    const received = parseSyncConfig('flows: { sales-return: {} }', 'x').flows['sales-return']!;
    expect(received).toMatchObject({ source: 'received', billType: 'XSTHD01_SYS', billNoPrefix: 'JSTRT', returnType: 'THLX01_SYS' });
    expect(flowSource(salesReturnFlow, received)).toEqual({ path: '/open/aftersale/received/query', cursor: { kind: 'ts' }, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 50 } });
    const refund = parseSyncConfig('flows: { sales-return: { source: refund } }', 'x').flows['sales-return']!;
    expect(flowSource(salesReturnFlow, refund)).toEqual({ path: '/open/refund/single/query', cursor: { kind: 'ts' }, businessDate: 'confirm_date', idField: 'as_id', idFilter: { key: 'as_ids', max: 50 } });
    expect(() => parseSyncConfig('flows: { sales-return: { source: other } }', 'x')).toThrow();
  });
});
