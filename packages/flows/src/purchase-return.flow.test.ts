import { onlyDocument, rawFixture, testConfig as config, thrown } from './flow-tests.test-support';
import { purchaseReturnFlow, purchaseReturnSchema, purMrbModelSchema, type PurchaseReturnSettings, type PurMrbEntry, type PurMrbModel } from './purchase-return.flow';
import { flowContext } from './registry';
import type { FlowContext, TransformResult } from './types';
import type { SyncConfig } from './sync-config';

const NOW = '2024-06-05T00:00:00.000Z';

const doc = (name: string) => purchaseReturnSchema.parse(rawFixture('purchase-return', name));
/** The registry's context, with the settings typed as this flow's. */
const ctx = (cfg: SyncConfig): FlowContext<PurchaseReturnSettings> => ({ ...flowContext('purchase-return', cfg, NOW), settings: cfg.flows['purchase-return']! });
const run = (name: string, cfg: SyncConfig = config): TransformResult => purchaseReturnFlow.transform(doc(name), ctx(cfg));

const model = (name: string, cfg: SyncConfig = config): PurMrbModel => onlyDocument(run(name, cfg), 'PUR_MRB', purMrbModelSchema).model;

const line = (e: PurMrbEntry) => ({
  material: e.FMATERIALID.FNumber, qty: e.FRMREALQTY, replenish: e.FREPLENISHQTY, deduct: e.FKEAPAMTQTY, price: e.FTAXPRICE,
  gift: e.FGiveAway, stock: e.FSTOCKID.FNumber, lot: e.FLot?.FNumber, produced: e.FProduceDate, aux: e.FAuxPropId,
});

describe('purchase-return flow identity', () => {
  it('reads id, version (modified, compact) and readiness (Confirmed 生效); reads by modified windows', () => {
    const d = doc('simple-one-line');
    expect(purchaseReturnFlow.docId(d)).toBe('500101');
    expect(purchaseReturnFlow.version(d)).toBe('20240604142531');
    expect(purchaseReturnFlow.isReady(d)).toBe(true);
    for (const status of ['WaitConfirm', 'Creating', 'Archive', 'Cancelled', 'Confirming', 'Delete']) {
      expect(purchaseReturnFlow.isReady({ ...d, status })).toBe(false);
    }
    expect(purchaseReturnFlow.source).toEqual({ path: '/open/purchaseout/query', cursor: { kind: 'window', filters: { status: 'Confirmed' } }, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 30 } });
  });
});

describe('purchase-return transform', () => {
  it('maps a one-line document: header with FMRTYPE/FMRMODE defaults, FPURMRBFIN and entry', () => {
    expect(model('simple-one-line')).toEqual({
      FBillTypeID: { FNUMBER: 'TLD01_SYS' },
      FBusinessType: 'CG',
      FBillNo: 'JSTPR-500101',
      FDate: '2024-06-04',
      FMRTYPE: 'B',
      FMRMODE: 'A',
      FStockOrgId: { FNumber: '100' },
      FRequireOrgId: { FNumber: '100' },
      FPurchaseOrgId: { FNumber: '100' },
      FSupplierID: { FNumber: 'SUP-001' },
      FMRDeptId: { FNumber: 'BM000001' },
      FPURCHASEDEPTID: { FNumber: 'BM000002' },
      FOwnerTypeIdHead: 'BD_OwnerOrg',
      FOwnerIdHead: { FNumber: '100' },
      FDESCRIPTION: '聚水潭采购退货单 io_id=500101; 采购单 po_id=PO101; 质量问题退货',
      FPURMRBFIN: {
        FSettleOrgId: { FNumber: '100' },
        FSettleCurrId: { FNumber: 'PRE001' },
        FIsIncludedTax: true,
        FPRICETIMEPOINT: '1',
        FLOCALCURRID: { FNumber: 'PRE001' },
        FEXCHANGETYPEID: { FNumber: 'HLTX01_SYS' },
        FEXCHANGERATE: 1,
      },
      FPURMRBENTRY: [
        {
          FRowType: 'Standard',
          FMATERIALID: { FNumber: 'A1001' },
          FUnitID: { FNumber: 'Pcs' },
          FPRICEUNITID: { FNumber: 'Pcs' },
          FRMREALQTY: 5,
          FREPLENISHQTY: 5,
          FTAXPRICE: 35.5,
          FENTRYTAXRATE: 13,
          FGiveAway: false,
          FSTOCKID: { FNumber: 'CK001' },
          FStockStatusId: { FNumber: 'KCZT01_SYS' },
          FAuxPropId: { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'M' } },
          FOWNERTYPEID: 'BD_OwnerOrg',
          FOWNERID: { FNumber: '100' },
          FNOTE: '聚水潭 ioi_id=800101',
        },
      ],
    });
  });

  it('return mode B (退料并扣款) puts the quantity in FKEAPAMTQTY instead', () => {
    const cfg = structuredClone(config);
    cfg.flows['purchase-return'] = { ...cfg.flows['purchase-return']!, mrMode: 'B', mrType: 'A' };
    const m = model('simple-one-line', cfg);
    expect([m.FMRTYPE, m.FMRMODE]).toEqual(['A', 'B']);
    expect(m.FPURMRBENTRY.map(line)[0]).toMatchObject({ qty: 5, replenish: undefined, deduct: 5 });
  });

  it('splits a line returned from two lots; purchase org from the supplier mapping', () => {
    const m = model('two-batches');
    expect(m.FSupplierID).toEqual({ FNumber: 'SUP-002' });
    expect(m.FPurchaseOrgId).toEqual({ FNumber: '101' });
    expect(m.FPURMRBFIN.FSettleOrgId).toEqual({ FNumber: '101' });
    expect(m.FPURMRBENTRY.map(line)).toEqual([
      { material: 'B2001-250ML', qty: 4, replenish: 4, deduct: undefined, price: 52, gift: false, stock: 'CK001', lot: 'B240101', produced: '2024-01-01', aux: undefined },
      { material: 'B2001-250ML', qty: 2, replenish: 2, deduct: undefined, price: 52, gift: false, stock: 'CK001', lot: 'B240215', produced: '2024-02-15', aux: undefined },
    ]);
  });

  it('sends negative JST quantities as positive 实退数量', () => {
    expect(model('negative-quantities').FPURMRBENTRY.map(line)).toEqual([
      { material: 'C3001', qty: 3, replenish: 3, deduct: undefined, price: 40, gift: false, stock: 'CK001', lot: 'N240410', produced: '2024-04-10', aux: undefined },
      { material: 'A1001', qty: 2, replenish: 2, deduct: undefined, price: 35, gift: false, stock: 'CK001', lot: undefined, produced: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'M' } } },
    ]);
  });

  it('finds the supplier by receiver_name when seller_id is 0; multi-spec lines keep their aux props', () => {
    const m = model('multi-spec-supplier-by-name');
    expect(m.FSupplierID).toEqual({ FNumber: 'SUP-003' });
    expect(m.FPURMRBENTRY.map((e) => [e.FMATERIALID.FNumber, e.FRMREALQTY, e.FAuxPropId?.FAUXPROPID__FF100001?.FNumber, e.FAuxPropId?.FAUXPROPID__FF100002?.FNumber])).toEqual([
      ['A1001', 3, 'RED', 'S'],
      ['A1001', 1, 'BLK', 'L'],
    ]);
  });

  it('marks a zero-cost line as a gift and leaves zero-quantity lines out with a note', () => {
    const result = run('gift-and-zero-line');
    if (result.kind !== 'write') throw new Error('expected a write');
    const m = purMrbModelSchema.parse(result.documents[0].model);
    expect(m.FPURMRBENTRY.map((e) => [e.FMATERIALID.FNumber, e.FRMREALQTY, e.FGiveAway])).toEqual([
      ['A1001', 4, false],
      ['GIFT-BAG', 4, true],
    ]);
    expect(result.notes).toEqual(['line ioi_id=800142 (sku_id=A1001-BLK-S) has qty 0: not sent']);
  });

  it('writes a 200-line document as one bill with 200 entries', () => {
    const m = model('two-hundred-lines');
    expect(m.FPURMRBENTRY).toHaveLength(200);
    expect(m.FStockOrgId).toEqual({ FNumber: '200' });
    expect(m.FPURMRBENTRY.every((e) => e.FSTOCKID.FNumber === 'CK002')).toBe(true);
    expect(m.FPURMRBENTRY.reduce((s, e) => s + e.FRMREALQTY, 0)).toBe(Array.from({ length: 200 }, (_, i) => 1 + (i % 5)).reduce((a, b) => a + b, 0));
  });

  it.each([
    ['unmapped-warehouse', 'warehouse wms_co_id=99999999', 'mappings.warehouses."99999999"', '500107'],
    ['unmapped-supplier', 'supplier supplier_id=39999 (新供应商)', 'mappings.suppliers."39999"', '500108'],
  ])('%s fails permanently with UNMAPPED_BASE_DATA naming the flow, document and key', (name, what, field, id) => {
    const e = thrown(() => run(name));
    expect(e.code).toBe('UNMAPPED_BASE_DATA');
    expect(e.message).toContain(`purchase-return 采购退货单 io_id=${id}`);
    expect(e.message).toContain(what);
    expect(e.details).toMatchObject({ flow: 'purchase-return', docId: id, field });
  });
});
