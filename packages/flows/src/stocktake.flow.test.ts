import { NOW, rawFixture, testConfig as base, thrown, withLocatedCK001 } from './flow-tests.test-support';
import { flowContext } from './registry';
import {
  stkStockCountGainModelSchema,
  stkStockCountLossModelSchema,
  stkStockCountModelSchema,
  stocktakeFlow,
  stocktakeSchema,
  type StkStockCountGainEntry,
  type StkStockCountLossEntry,
  type StocktakeSettings,
} from './stocktake.flow';
import type { FlowContext, TargetDocument, TransformResult } from './types';

// CK001 keeps stock by location here (one dimension, default A-00-00): a JST bin wins over the default.
const config = withLocatedCK001(base);

const raw = (name: string) => rawFixture('stocktake', name);
const doc = (name: string) => stocktakeSchema.parse(raw(name));
const ctx = () => flowContext('stocktake', config, NOW) as FlowContext<StocktakeSettings>;
const run = (name: string): TransformResult => stocktakeFlow.transform(doc(name), ctx());

function written(name: string): { documents: TargetDocument[]; notes?: string[] } {
  const result = run(name);
  if (result.kind !== 'write') throw new Error(`expected a write, got ${JSON.stringify(result)}`);
  for (const d of result.documents) {
    expect(d.billNo).toBe(d.model.FBillNo);
    expect(stkStockCountModelSchema.safeParse(d.model).success).toBe(true);
  }
  return { documents: result.documents, notes: result.notes };
}

function line(e: StkStockCountGainEntry | StkStockCountLossEntry) {
  return {
    material: e.FMaterialId.FNumber, unit: e.FUnitID.FNumber, stock: e.FStockId.FNumber, bin: e.FStockLocId,
    gain: 'FGainQty' in e ? e.FGainQty : undefined, loss: 'FLossQty' in e ? e.FLossQty : undefined,
    count: e.FCountQty, book: e.FAcctQty, lot: e.FLot?.FNumber, produced: e.FProduceDate, expires: e.FExpiryDate,
    aux: e.FAuxPropId, owner: e.FOwnerid.FNumber, third: e.FThirdSrcEntryId,
  };
}

const A00 = { FSTOCKLOCID__FF100001: { FNumber: 'A-00-00' } };
const G00 = { FSTOCKLOCID__FF100001: { FNumber: 'G' }, FSTOCKLOCID__FF100002: { FNumber: '00' } };
const RED_M = { FAUXPROPID__FF100001: { FNumber: 'RED' }, FAUXPROPID__FF100002: { FNumber: 'M' } };

describe('stocktake flow (盘点单 → STK_StockCountGain + STK_StockCountLoss)', () => {
  it('reads id, version (modified) and readiness', () => {
    const d = doc('mixed-gains-losses');
    expect(stocktakeFlow.docId(d)).toBe('700881');
    expect(stocktakeFlow.version(d)).toBe('20240608180500');
    expect(stocktakeFlow.isReady(d)).toBe(true);
    expect(stocktakeFlow.isReady(stocktakeSchema.parse({ ...raw('mixed-gains-losses'), status: 'WaitConfirm' }))).toBe(false);
    expect(stocktakeFlow.source).toEqual({ path: '/open/inventory/count/query', cursor: { kind: 'window', filters: { status: 'Confirmed' } }, businessDate: 'io_date', idField: 'io_id' });
    expect(stocktakeFlow.target.otherFormIds).toEqual(['STK_StockCountLoss']);
  });

  it('splits one document into a gain bill and a loss bill, lot by lot, with bins and counts', () => {
    const { documents, notes } = written('mixed-gains-losses');
    expect(documents.map((d) => [d.formId, d.billNo])).toEqual([
      ['STK_StockCountGain', 'JSTPY-700881'],
      ['STK_StockCountLoss', 'JSTPK-700881'],
    ]);
    expect(notes).toEqual(['line ioi_id=7008814 (sku_id=D4001) has no difference: not sent']);
    const gain = stkStockCountGainModelSchema.parse(documents[0]!.model);
    const loss = stkStockCountLossModelSchema.parse(documents[1]!.model);
    const header = {
      FDate: '2024-06-08', FStockOrgId: { FNumber: '100' }, FOwnerTypeIdHead: 'BD_OwnerOrg', FOwnerIdHead: { FNumber: '100' },
      FNoteHead: '聚水潭盘点单 io_id=700881; 杭州主仓; 月末盘点', FThirdSystem: 'JST', FThirdSrcId: '700881', FThirdSrcBillNo: '700881',
    };
    expect(gain).toMatchObject({ FBillTypeID: { FNUMBER: 'PY01_SYS' }, ...header });
    expect(loss).toMatchObject({ FBillTypeID: { FNUMBER: 'PK01_SYS' }, ...header });
    expect(gain.FBillEntry.map(line)).toEqual([
      { material: 'B2001-250ML', unit: 'Btl250', stock: 'CK001', bin: A00, gain: 2, loss: undefined, count: undefined, book: undefined, lot: 'B240101-B2001', produced: '2024-01-01', expires: '2025-12-31', aux: undefined, owner: '100', third: '7008812' },
      { material: 'B2001-250ML', unit: 'Btl250', stock: 'CK001', bin: A00, gain: 1, loss: undefined, count: undefined, book: undefined, lot: 'B240301-B2001', produced: '2024-03-01', expires: '2026-02-28', aux: undefined, owner: '100', third: '7008812' },
    ]);
    expect(loss.FBillEntry.map(line)).toEqual([
      { material: 'A1001', unit: 'Pcs', stock: 'CK001', bin: { FSTOCKLOCID__FF100001: { FNumber: 'A-01-01' } }, gain: undefined, loss: 2, count: 48, book: 50, lot: undefined, produced: undefined, expires: undefined, aux: RED_M, owner: '100', third: '7008811' },
      { material: 'C3001', unit: 'Pcs', stock: 'CK001', bin: A00, gain: undefined, loss: 3, count: undefined, book: undefined, lot: 'B240410-C3001', produced: '2024-04-10', expires: '2024-10-07', aux: undefined, owner: '100', third: '7008813' },
      { material: 'C3001', unit: 'Pcs', stock: 'CK001', bin: A00, gain: undefined, loss: 1, count: undefined, book: undefined, lot: 'B240420-C3001', produced: '2024-04-20', expires: '2024-10-17', aux: undefined, owner: '100', third: '7008813' },
    ]);
  });

  it('writes only a gain bill when no line lost, with count and book quantities of unsplit lines', () => {
    const { documents } = written('gains-only');
    expect(documents).toHaveLength(1);
    const gain = stkStockCountGainModelSchema.parse(documents[0]!.model);
    expect(documents[0]!.formId).toBe('STK_StockCountGain');
    expect(gain.FStockOrgId).toEqual({ FNumber: '200' });
    expect(gain.FNoteHead).toBe('聚水潭盘点单 io_id=700883; 广州分仓');
    expect(gain.FBillEntry.map(line)).toEqual([
      { material: 'A1001', unit: 'Pcs', stock: 'CK002', bin: G00, gain: 5, loss: undefined, count: 5, book: 0, lot: undefined, produced: undefined, expires: undefined, aux: { FAUXPROPID__FF100001: { FNumber: 'BLK' }, FAUXPROPID__FF100002: { FNumber: 'S' } }, owner: '200', third: '7008831' },
      { material: 'C3001', unit: 'Pcs', stock: 'CK002', bin: G00, gain: 1, loss: undefined, count: 11, book: 10, lot: 'B240410-C3001', produced: '2024-04-10', expires: '2024-10-07', aux: undefined, owner: '200', third: '7008832' },
    ]);
  });

  it('writes only a loss bill into the mapped sub-warehouse (<wms_co_id>/<wh_id>)', () => {
    const { documents } = written('losses-only-sub-warehouse');
    expect(documents.map((d) => d.billNo)).toEqual(['JSTPK-700885']);
    const loss = stkStockCountLossModelSchema.parse(documents[0]!.model);
    // 次品仓's older binFlexKey (FF100003): the JST bin D-01 through its bins table, else its default.
    expect(loss.FBillEntry.map((e) => [e.FStockId.FNumber, e.FLossQty, e.FCountQty, e.FAcctQty, e.FStockLocId?.FSTOCKLOCID__FF100003?.FNumber])).toEqual([
      ['CK001-DEF', 1, 0, 1, 'DEF-00'],
      ['CK001-DEF', 2, 3, 5, 'DEF-00'],
    ]);
  });

  it('keeps every line with a difference of a 200-line document, split by sign', () => {
    const { documents, notes } = written('two-hundred-lines');
    const gain = stkStockCountGainModelSchema.parse(documents[0]!.model);
    const loss = stkStockCountLossModelSchema.parse(documents[1]!.model);
    const diffs = Array.from({ length: 200 }, (_, n) => (n % 7) - 3);
    expect(gain.FBillEntry.map((e) => e.FGainQty)).toEqual(diffs.filter((d) => d > 0));
    expect(loss.FBillEntry.map((e) => e.FLossQty)).toEqual(diffs.filter((d) => d < 0).map((d) => -d));
    expect(notes).toHaveLength(diffs.filter((d) => d === 0).length);
  });

  it('skips a document without any difference, with the reason', () => {
    expect(run('no-difference')).toEqual({
      kind: 'skip',
      reason: 'stocktake 盘点单 io_id=700887: no gain or loss to book (line ioi_id=7008871 (sku_id=A1001-RED-M) has no difference: not sent)',
    });
  });

  it('fails permanently naming the flow, the document and the missing warehouse key', () => {
    const p = thrown(() => run('unmapped-warehouse'));
    expect(p.code).toBe('UNMAPPED_BASE_DATA');
    expect(p.message).toBe('stocktake 盘点单 io_id=700889: warehouse wms_co_id=10970001 is not mapped (add mappings.warehouses."10970001" with stock, stockOrg and coversSubWarehouses: [1] (or mappings.warehouses."10970001/1" for wh_id 1 alone) to the config file)');
    expect(p.details).toMatchObject({ flow: 'stocktake', docId: '700889', field: 'mappings.warehouses."10970001"' });
  });

  it('rejects lot quantities that do not add up to the line difference', () => {
    const bad = raw('mixed-gains-losses');
    const batchs = (bad.batchs as Array<Record<string, unknown>>).map((b, i) => (i === 0 ? { ...b, qty: 5 } : b));
    const err = thrown(() => stocktakeFlow.transform(stocktakeSchema.parse({ ...bad, batchs }), ctx()));
    expect(err.code).toBe('INVALID_SOURCE_DOCUMENT');
  });
});
