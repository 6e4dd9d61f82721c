import { NOW, onlyDocument, rawFixture, testConfig as config, thrown, withConfig as changed } from './flow-tests.test-support';
import { flowContext } from './registry';
import { salOutStockModelSchema, salesOutboundFlow, salesOutboundSchema, type SalOutStockEntry, type SalOutStockModel } from './sales-outbound.flow';
import type { TransformResult } from './types';
import type { SyncConfig } from './sync-config';

function doc(name: string) {
  return salesOutboundSchema.parse(rawFixture('sales-outbound', name));
}

function run(name: string, cfg: SyncConfig = config): TransformResult {
  return salesOutboundFlow.transform(doc(name), flowContext('sales-outbound', cfg, NOW));
}

/** The single SAL_OUTSTOCK model of a write, validated with the target schema. */
function model(name: string, cfg: SyncConfig = config): SalOutStockModel {
  return onlyDocument(run(name, cfg), 'SAL_OUTSTOCK', salOutStockModelSchema).model;
}

/** The part of an entry the tests compare line by line. */
function line(e: SalOutStockEntry) {
  return {
    material: e.FMaterialID.FNumber, unit: e.FUnitID.FNumber, qty: e.FRealQty, price: e.FTaxPrice, free: e.FIsFree,
    lot: e.FLot?.FNumber, produced: e.FProduceDate, expires: e.FExpiryDate, aux: e.FAuxPropId, thirdEntry: e.FThirdEntryId,
  };
}

const withConfig = (change: (c: SyncConfig) => void): SyncConfig => changed(config, change);

describe('sales-outbound flow identity', () => {
  it('reads id, version and readiness from the document', () => {
    const d = doc('simple-one-line');
    expect(salesOutboundFlow.docId(d)).toBe('2081234');
    expect(salesOutboundFlow.version(d)).toBe('1938475612');
    expect(salesOutboundFlow.isReady(d)).toBe(true);
    expect(salesOutboundFlow.isReady({ ...d, status: 'WaitConfirm' })).toBe(false);
    expect(salesOutboundFlow.isReady({ ...d, status: 'Cancelled' })).toBe(false);
    expect(salesOutboundFlow.source).toEqual({ path: '/open/orders/out/simple/query', cursor: { kind: 'ts' }, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 50 } });
  });
});

describe('sales-outbound transform', () => {
  it('maps a one-line document: header, finance sub-head and entry', () => {
    const m = model('simple-one-line');
    expect(m).toEqual({
      FBillTypeID: { FNUMBER: 'XSCKD01_SYS' },
      FBillNo: 'JSTSO-2081234',
      FDate: '2024-05-20',
      FSaleOrgId: { FNumber: '100' },
      FStockOrgId: { FNumber: '100' },
      FCustomerID: { FNumber: 'CUST-TMALL' },
      FOwnerTypeIdHead: 'BD_OwnerOrg',
      FOwnerIdHead: { FNumber: '100' },
      FCarriageNO: 'SF1234567890',
      FNote: '聚水潭出库单 io_id=2081234; 内部单号 o_id=5459022; 线上单号 so_id=3168479786331150357',
      SubHeadEntity: {
        FSettleCurrID: { FNumber: 'PRE001' },
        FSettleOrgID: { FNumber: '100' },
        FLocalCurrID: { FNumber: 'PRE001' },
        FExchangeTypeID: { FNumber: 'HLTX01_SYS' },
        FExchangeRate: 1,
        FIsIncludedTax: true,
        FThirdBillNo: '2081234',
        FThirdBillId: '5459022',
        FThirdSrcType: 'JST',
      },
      FEntity: [
        {
          FRowType: 'Standard',
          FMaterialID: { FNumber: 'A1001' },
          FUnitID: { FNumber: 'Pcs' },
          FRealQty: 1,
          FTaxPrice: 99,
          FEntryTaxRate: 13,
          FIsFree: false,
          FStockID: { FNumber: 'CK001' },
          FStockStatusID: { FNumber: 'KCZT01_SYS' },
          FOwnerTypeID: 'BD_OwnerOrg',
          FOwnerID: { FNumber: '100' },
          FKeeperTypeID: 'BD_KeeperOrg',
          FKeeperID: { FNumber: '100' },
          FAuxPropId: { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'L' } },
          FThirdEntryId: '88231',
        },
      ],
    });
  });

  it('maps multi-spec SKUs to one material with auxiliary properties; stock org comes from the warehouse', () => {
    const m = model('multi-spec');
    expect(m.FStockOrgId).toEqual({ FNumber: '200' });
    expect(m.FOwnerIdHead).toEqual({ FNumber: '200' });
    expect(m.FSaleOrgId).toEqual({ FNumber: '100' });
    expect(m.FCustomerID).toEqual({ FNumber: 'CUST-JD' });
    expect(m.FEntity.map((e) => [e.FStockID.FNumber, e.FOwnerID.FNumber, e.FKeeperID.FNumber])).toEqual([
      ['CK002', '200', '200'], ['CK002', '200', '200'], ['CK002', '200', '200'],
    ]);
    expect(m.FEntity.map(line)).toEqual([
      { material: 'A1001', unit: 'Pcs', qty: 2, price: 99, free: false, aux: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'M' } }, thirdEntry: '88301' },
      { material: 'A1001', unit: 'Pcs', qty: 1, price: 99, free: false, aux: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'S' } }, thirdEntry: '88302' },
      { material: 'A1001', unit: 'Pcs', qty: 3, price: 99, free: false, aux: { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'L' } }, thirdEntry: '88303' },
    ]);
  });

  it('marks a gift line free, takes a line-level batch, and settles in the shop settlement org', () => {
    const m = model('gift-line');
    expect(m.SubHeadEntity.FSettleOrgID).toEqual({ FNumber: '101' });
    expect(m.FSaleOrgId).toEqual({ FNumber: '100' });
    expect(m.FEntity.map(line)).toEqual([
      { material: 'C3001', unit: 'Box', qty: 1, price: 128, free: false, lot: 'C240301', produced: '2024-03-01', expires: '2024-08-28', thirdEntry: '88401' },
      { material: 'GIFT-BAG', unit: 'Pcs', qty: 1, price: 0, free: true, thirdEntry: '88402' },
    ]);
  });

  it('splits a line shipped from two batches into two entries with their own lots and dates', () => {
    const m = model('two-batches');
    expect(m.FEntity.map(line)).toEqual([
      { material: 'B2001-250ML', unit: 'Btl250', qty: 3, price: 159, free: false, lot: 'B240101', produced: '2024-01-01', expires: '2025-12-31', thirdEntry: '88501' },
      { material: 'B2001-250ML', unit: 'Btl250', qty: 2, price: 159, free: false, lot: 'B240215', produced: '2024-02-15', expires: '2026-02-14', thirdEntry: '88501' },
      { material: 'B2001-500ML', unit: 'Btl', qty: 1, price: 269, free: false, lot: 'B240301', produced: '2024-03-01', expires: '2026-03-01', thirdEntry: '88502' },
    ]);
  });

  it('matches batches without ioi_id by SKU when the SKU is on one line, else uses the line batch', () => {
    const m = model('batches-without-ioi-id');
    expect(m.FEntity.map(line)).toEqual([
      { material: 'C3001', unit: 'Box', qty: 1, price: 128, free: false, lot: 'C240301', produced: '2024-03-01', expires: '2024-08-28', thirdEntry: '88551' },
      { material: 'C3001', unit: 'Box', qty: 3, price: 128, free: false, lot: 'C240315', produced: '2024-03-15', expires: '2024-09-11', thirdEntry: '88551' },
      { material: 'B2001-250ML', unit: 'Btl250', qty: 1, price: 159, free: false, lot: 'B240101', produced: '2024-01-01', expires: '2025-12-31', thirdEntry: '88552' },
      { material: 'B2001-250ML', unit: 'Btl250', qty: 1, price: 159, free: false, lot: 'B240215', produced: '2024-02-15', expires: '2026-02-14', thirdEntry: '88553' },
    ]);
  });

  it('keeps every line of a 200-line document, in order, with the same total quantity', () => {
    const source = doc('two-hundred-lines');
    const m = model('two-hundred-lines');
    expect(m.FEntity).toHaveLength(200);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(m.FEntity.map((e) => e.FRealQty))).toBe(sum(source.items.map((i) => i.qty)));
    expect(m.FEntity.map((e) => e.FThirdEntryId)).toEqual(source.items.map((i) => String(i.ioi_id)));
    expect(line(m.FEntity[6])).toEqual({
      material: 'B2001-250ML', unit: 'Btl250', qty: 2, price: 159, free: false, lot: 'B240701', produced: '2024-07-01', expires: '2026-07-01', thirdEntry: '900007',
    });
    expect(line(m.FEntity[8])).toMatchObject({ material: 'GIFT-BAG', qty: 4, free: true, lot: undefined });
  });

  it('skips zero-quantity lines and says so in notes', () => {
    const result = run('zero-qty-line');
    expect(result.kind).toBe('write');
    if (result.kind !== 'write') return;
    expect(result.notes).toEqual(['line ioi_id=88901 (sku_id=A1001-RED-L) has qty 0: not sent']);
    const m = salOutStockModelSchema.parse(result.documents[0].model);
    expect(m.FEntity.map(line)).toEqual([
      { material: 'A1001', unit: 'Pcs', qty: 2, price: 99, free: false, aux: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'M' } }, thirdEntry: '88902' },
    ]);
  });

  it('has no notes when nothing was left out', () => {
    const result = run('simple-one-line');
    expect(result).not.toHaveProperty('notes');
  });

  it('skips a document whose every line has quantity 0, with the reason', () => {
    expect(run('all-lines-zero')).toEqual({
      kind: 'skip',
      reason: 'sales-outbound 出库单 io_id=2081295: nothing to ship (line ioi_id=88951 (sku_id=A1001-RED-L) has qty 0: not sent)',
    });
  });

  it('skips a document without lines', () => {
    const d = { ...doc('simple-one-line'), items: [] };
    const result = salesOutboundFlow.transform(d, flowContext('sales-outbound', config, NOW));
    expect(result).toEqual({ kind: 'skip', reason: 'sales-outbound 出库单 io_id=2081234: nothing to ship (the document has no lines)' });
  });

  it('reads numbers given as strings and dates from modified when io_date is missing', () => {
    const m = model('numbers-as-strings');
    expect(m.FBillNo).toBe('JSTSO-2081300');
    expect(m.FDate).toBe('2024-05-25');
    expect(m.SubHeadEntity.FThirdBillNo).toBe('2081300');
    expect(m.SubHeadEntity.FThirdBillId).toBe('5459090');
    expect(m.FEntity.map(line)).toEqual([
      { material: 'B2001-500ML', unit: 'Btl', qty: 2, price: 269, free: false, lot: 'B240301', produced: '2024-03-01', expires: '2026-03-01', thirdEntry: '89001' },
    ]);
  });

  it('is pure: the same input gives the same output and the input is not changed', () => {
    const d = doc('two-batches');
    const before = structuredClone(d);
    const ctx = flowContext('sales-outbound', config, NOW);
    expect(salesOutboundFlow.transform(d, ctx)).toEqual(salesOutboundFlow.transform(d, ctx));
    expect(d).toEqual(before);
  });
});

describe('sales-outbound mapping options', () => {
  it('identity mode maps an unlisted SKU to the material with the same number, unit from the JST unit name', () => {
    const cfg = withConfig((c) => {
      c.mappings.skus.mode = 'identity';
    });
    const m = model('unmapped-sku', cfg);
    expect(m.FEntity.map((e) => [e.FMaterialID.FNumber, e.FUnitID.FNumber])).toEqual([['A1001', 'Pcs'], ['Z9999-NEW', 'Pcs']]);
  });

  it('refuses a JST unit name that is not mapped, naming it; books it as defaults.unit only when allowed', () => {
    const strict = withConfig((c) => {
      c.mappings.defaults = { unit: 'EA', units: {}, unmappedUnitsUseDefault: false };
    });
    expect(() => model('gift-line', strict)).toThrow(expect.objectContaining({
      code: 'UNMAPPED_BASE_DATA',
      message: expect.stringMatching(/JST unit ".+" .*mappings\.defaults\.units\.".+".*unmappedUnitsUseDefault: true/),
    }));
    const lenient = withConfig((c) => {
      c.mappings.defaults = { unit: 'EA', units: {}, unmappedUnitsUseDefault: true };
    });
    expect(model('gift-line', lenient).FEntity.map((e) => e.FUnitID.FNumber)).toEqual(['EA', 'EA']);
  });

  it('leaves out dates when the SKU is not shelf-life managed, and lots when it is not batch managed', () => {
    const noDates = withConfig((c) => {
      c.mappings.skus.map['B2001-250ML'] = { material: 'B2001-250ML', batchManaged: true, shelfLifeManaged: false };
    });
    expect(model('two-batches', noDates).FEntity.slice(0, 2).map(line)).toEqual([
      { material: 'B2001-250ML', unit: 'Btl', qty: 3, price: 159, free: false, lot: 'B240101', thirdEntry: '88501' },
      { material: 'B2001-250ML', unit: 'Btl', qty: 2, price: 159, free: false, lot: 'B240215', thirdEntry: '88501' },
    ]);
    const noLots = withConfig((c) => {
      c.mappings.skus.map['B2001-250ML'] = { material: 'B2001-250ML', batchManaged: false };
    });
    expect(model('two-batches', noLots).FEntity.slice(0, 2).map(line)).toEqual([
      { material: 'B2001-250ML', unit: 'Btl', qty: 5, price: 159, free: false, thirdEntry: '88501' },
      { material: 'B2001-500ML', unit: 'Btl', qty: 1, price: 269, free: false, lot: 'B240301', produced: '2024-03-01', expires: '2026-03-01', thirdEntry: '88502' },
    ]);
  });

  it('uses the flow settings: bill type, prefix, tax rate, currency, stock status', () => {
    const cfg = withConfig((c) => {
      const s = c.flows['sales-outbound'];
      if (!s) throw new Error('fixture config lacks the flow');
      Object.assign(s, { billType: 'XSCKD07_SYS', billNoPrefix: 'B2C', taxRate: 6, currency: 'PRE007', exchangeRateType: 'HLTX02_SYS', stockStatus: 'KCZT02_SYS' });
    });
    const m = model('simple-one-line', cfg);
    expect(m.FBillTypeID).toEqual({ FNUMBER: 'XSCKD07_SYS' });
    expect(m.FBillNo).toBe('B2C2081234');
    expect(m.SubHeadEntity.FSettleCurrID).toEqual({ FNumber: 'PRE007' });
    expect(m.SubHeadEntity.FLocalCurrID).toEqual({ FNumber: 'PRE007' });
    expect(m.SubHeadEntity.FExchangeTypeID).toEqual({ FNumber: 'HLTX02_SYS' });
    expect(m.FEntity[0].FEntryTaxRate).toBe(6);
    expect(m.FEntity[0].FStockStatusID).toEqual({ FNumber: 'KCZT02_SYS' });
  });
});

describe('sales-outbound errors', () => {
  it('an unmapped warehouse names the document, the key and the config path', () => {
    const err = thrown(() => run('unmapped-warehouse'));
    expect(err.code).toBe('UNMAPPED_BASE_DATA');
    expect(err.message).toBe(
      'sales-outbound 出库单 io_id=2081270: warehouse wms_co_id=10969018 is not mapped ' +
        '(add mappings.warehouses."10969018" with stock and stockOrg to the config file)',
    );
    expect(err.details).toEqual({ flow: 'sales-outbound', docId: '2081270', field: 'mappings.warehouses."10969018"' });
  });

  it('an unmapped shop names the shop and the config path', () => {
    const err = thrown(() => run('unmapped-shop'));
    expect(err.code).toBe('UNMAPPED_BASE_DATA');
    expect(err.message).toContain('sales-outbound 出库单 io_id=2081275: shop shop_id=16882399 (线下门店) is not mapped');
    expect(err.message).toContain('mappings.shops."16882399"');
    expect(err.details).toMatchObject({ flow: 'sales-outbound', docId: '2081275', field: 'mappings.shops."16882399"' });
  });

  it('an unmapped SKU in table mode names the line, the SKU and the config path', () => {
    const err = thrown(() => run('unmapped-sku'));
    expect(err.code).toBe('UNMAPPED_BASE_DATA');
    expect(err.message).toBe(
      'sales-outbound 出库单 io_id=2081280: line ioi_id=88802 SKU sku_id=Z9999-NEW is not mapped ' +
        '(add mappings.skus.map."Z9999-NEW" with its material (mappings.skus.mode is table) to the config file)',
    );
    expect(err.details).toEqual({ flow: 'sales-outbound', docId: '2081280', field: 'mappings.skus.map."Z9999-NEW"' });
  });

  it('batch quantities that do not add up to the line name io_id, ioi_id and both numbers', () => {
    const err = thrown(() => run('batch-qty-mismatch'));
    expect(err.code).toBe('INVALID_SOURCE_DOCUMENT');
    expect(err.message).toBe(
      'sales-outbound 出库单 io_id=2081310: line ioi_id=89101 (sku_id=B2001-250ML) ships qty 5 but its batches add up to 4 (B240101×3, B240215×1)',
    );
    expect(err.details).toMatchObject({ flow: 'sales-outbound', docId: '2081310', ioiId: 89101, lineQty: 5, batchQty: 4 });
  });

  it('does not look up a zero-quantity line, so an unmapped SKU on it does not fail the document', () => {
    const d = doc('unmapped-sku');
    d.items[1].qty = 0;
    const result = salesOutboundFlow.transform(d, flowContext('sales-outbound', config, NOW));
    expect(result.kind).toBe('write');
  });

  it('does not treat inherited object keys as mappings', () => {
    const d = { ...doc('simple-one-line'), items: [{ ...doc('simple-one-line').items[0], sku_id: 'constructor' }] };
    const err = thrown(() => salesOutboundFlow.transform(d, flowContext('sales-outbound', config, NOW)));
    expect(err.details.field).toBe('mappings.skus.map."constructor"');
  });
});
