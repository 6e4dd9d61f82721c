import type { z } from 'zod';
import { billNoPrefixSchema, documentFlowSettingsSchema, kingdeeCode, type WarehouseMapping } from '@sync/config';
import { auxPropsRef, lineLocation, lookupSku, lookupWarehouse, resolveUnit, type DocLabel } from './base-data';
import { lotFields, splitLineByBatch } from './batch-lines';
import { inventoryBillDate, modifiedVersion, shortNote, whKey } from './inventory-doc';
import {
  stkStockCountModelSchema,
  type StkStockCountGainEntry,
  type StkStockCountGainModel,
  type StkStockCountLossEntry,
  type StkStockCountLossModel,
} from './stk-stock-count.model';
import { stocktakeSchema, type Stocktake, type StocktakeItem } from './stocktake.source';
import type { DocumentFlow, FlowContext, TargetDocument, TransformResult } from './types';

export { stocktakeSchema, stocktakeItemSchema } from './stocktake.source';
export type { Stocktake, StocktakeItem } from './stocktake.source';
export {
  stkStockCountModelSchema,
  stkStockCountGainModelSchema,
  stkStockCountLossModelSchema,
  stkStockCountGainEntrySchema,
  stkStockCountLossEntrySchema,
} from './stk-stock-count.model';
export type { StkStockCountGainModel, StkStockCountLossModel, StkStockCountGainEntry, StkStockCountLossEntry } from './stk-stock-count.model';

/** Kingdee forms of the target documents: gains and losses of one JST stocktake. */
export const STK_STOCK_COUNT_GAIN = 'STK_StockCountGain';
export const STK_STOCK_COUNT_LOSS = 'STK_StockCountLoss';

/** `flows.stocktake` in the config file: JST 盘点单 (/open/inventory/count/query, Confirmed) → STK_StockCountGain + STK_StockCountLoss. */
export const stocktakeSettingsSchema = documentFlowSettingsSchema.extend({
  /** 盘盈单 bill type and FBillNo prefix. */
  billType: kingdeeCode.default('PY01_SYS'),
  billNoPrefix: billNoPrefixSchema.default('JSTPY'),
  /** 盘亏单 bill type and FBillNo prefix (one JST stocktake can give both documents). */
  lossBillType: kingdeeCode.default('PK01_SYS'),
  lossBillNoPrefix: billNoPrefixSchema.default('JSTPK'),
});
/** The stocktake flow's settings: billType/billNoPrefix are the 盘盈单's, lossBillType/lossBillNoPrefix the 盘亏单's. */
export type StocktakeSettings = z.output<typeof stocktakeSettingsSchema>;

type CommonEntry = Omit<StkStockCountGainEntry, 'FGainQty'>;

function lineName(item: StocktakeItem, index: number): string {
  return item.ioi_id !== undefined ? `line ioi_id=${item.ioi_id}` : `line #${index + 1}`;
}

/** Entries of one line with a difference: one per lot; FCountQty/FAcctQty only when the line is not split. */
function lineEntries(doc: Stocktake, item: StocktakeItem, index: number, stock: WarehouseMapping, ctx: FlowContext<StocktakeSettings>, who: DocLabel): Array<CommonEntry & { diff: number }> {
  const { settings, mappings } = ctx;
  const sku = lookupSku(mappings, item.sku_id, who, lineName(item, index));
  const unit = resolveUnit(mappings, sku, item.unit, who);
  const aux = auxPropsRef(sku);
  const bin = lineLocation(mappings, stock, item.bin, 'FSTOCKLOCID', who, lineName(item, index));
  // The sign says gain or loss; lots are matched on magnitudes (whether batchs[].qty is signed is unconfirmed).
  const abs = <T extends { qty: number }>(x: T): T => ({ ...x, qty: Math.abs(x.qty) });
  const parts = splitLineByBatch(abs(item), doc.items.map(abs), doc.batchs.map(abs), sku, who);
  const counted = parts.length === 1 && item.r_qty !== undefined && item.r_qty >= 0 ? item.r_qty : undefined;
  const book = counted === undefined ? undefined : counted - item.qty;
  return parts.map((part) => ({
    FMaterialId: { FNumber: sku.material },
    FUnitID: { FNumber: unit },
    FStockId: { FNumber: stock.stock },
    ...(bin && { FStockLocId: bin }),
    FStockStatusId: { FNumber: settings.stockStatus },
    ...(counted !== undefined && { FCountQty: counted }),
    ...(book !== undefined && book >= 0 && { FAcctQty: book }),
    ...lotFields(part),
    ...(aux && { FAuxPropId: aux }),
    FOwnerTypeId: 'BD_OwnerOrg' as const,
    FOwnerid: { FNumber: stock.stockOrg },
    FKeeperTypeId: 'BD_KeeperOrg' as const,
    FKeeperId: { FNumber: stock.stockOrg },
    ...(item.ioi_id !== undefined && { FThirdSrcEntryId: String(item.ioi_id) }),
    diff: part.qty,
  }));
}

/**
 * Pure transform of one effective JST stocktake into up to two Kingdee documents: the lines with a gain
 * (qty > 0) → STK_StockCountGain (FBillNo = billNoPrefix + io_id, FGainQty = qty), the lines with a loss
 * (qty < 0) → STK_StockCountLoss (FBillNo = lossBillNoPrefix + io_id, FLossQty = −qty); each is written
 * idempotently on its own. Lines without a difference are left out and reported in `notes`; a document with
 * neither gains nor losses is skipped with a reason.
 * @throws PermanentError UNMAPPED_BASE_DATA (warehouse, SKU in table mode), INVALID_SOURCE_DOCUMENT (lot
 *   quantities that do not add up to the line, no date).
 */
export function transformStocktake(doc: Stocktake, ctx: FlowContext<StocktakeSettings>): TransformResult {
  const { settings, mappings } = ctx;
  const who: DocLabel = { flow: ctx.flow, docId: String(doc.io_id), text: `盘点单 io_id=${doc.io_id}` };
  const stock = lookupWarehouse(mappings, String(doc.wms_co_id), who, whKey(doc.wh_id));
  const gains: StkStockCountGainEntry[] = [];
  const losses: StkStockCountLossEntry[] = [];
  const notes: string[] = [];
  doc.items.forEach((item, index) => {
    if (item.qty === 0) {
      notes.push(`${lineName(item, index)} (sku_id=${item.sku_id}) has no difference: not sent`);
      return;
    }
    for (const { diff, ...entry } of lineEntries(doc, item, index, stock, ctx, who)) {
      if (item.qty > 0) gains.push({ ...entry, FGainQty: diff });
      else losses.push({ ...entry, FLossQty: diff });
    }
  });
  if (!gains.length && !losses.length) {
    const why = doc.items.length ? notes.join('; ') : 'the document has no lines';
    return { kind: 'skip', reason: `${who.flow} ${who.text}: no gain or loss to book (${why})` };
  }
  const header = {
    FDate: inventoryBillDate(doc, who),
    FStockOrgId: { FNumber: stock.stockOrg },
    FOwnerTypeIdHead: 'BD_OwnerOrg' as const,
    FOwnerIdHead: { FNumber: stock.stockOrg },
    FNoteHead: shortNote([`聚水潭盘点单 io_id=${doc.io_id}`, doc.warehouse, doc.remark]),
    FThirdSystem: 'JST',
    FThirdSrcId: String(doc.io_id),
    FThirdSrcBillNo: String(doc.io_id),
  };
  const documents: TargetDocument[] = [];
  if (gains.length) {
    const billNo = `${settings.billNoPrefix}${doc.io_id}`;
    const model: StkStockCountGainModel = { FBillTypeID: { FNUMBER: settings.billType }, FBillNo: billNo, ...header, FBillEntry: gains };
    documents.push({ formId: STK_STOCK_COUNT_GAIN, billNo, model });
  }
  if (losses.length) {
    const billNo = `${settings.lossBillNoPrefix}${doc.io_id}`;
    const model: StkStockCountLossModel = { FBillTypeID: { FNUMBER: settings.lossBillType }, FBillNo: billNo, ...header, FBillEntry: losses };
    documents.push({ formId: STK_STOCK_COUNT_LOSS, billNo, model });
  }
  return notes.length ? { kind: 'write', documents, notes } : { kind: 'write', documents };
}

/** 盘盈单/盘亏单: effective JST stocktakes (status Confirmed) → Kingdee STK_StockCountGain and STK_StockCountLoss, by modified windows. */
export const stocktakeFlow: DocumentFlow<Stocktake, StocktakeSettings> = {
  name: 'stocktake',
  title: '盘盈单/盘亏单',
  settings: stocktakeSettingsSchema,
  // The endpoint has no id-list filter: stocktakes are read again by time range only.
  source: { path: '/open/inventory/count/query', cursor: { kind: 'window', filters: { status: 'Confirmed' } }, businessDate: 'io_date', idField: 'io_id' },
  target: {
    formId: STK_STOCK_COUNT_GAIN,
    schema: stkStockCountModelSchema,
    otherFormIds: [STK_STOCK_COUNT_LOSS],
    reconcile: {
      [STK_STOCK_COUNT_GAIN]: { entry: 'FBillEntry', material: 'FMaterialId', lot: 'FLot', qty: 'FGainQty' },
      [STK_STOCK_COUNT_LOSS]: { entry: 'FBillEntry', material: 'FMaterialId', lot: 'FLot', qty: 'FLossQty' },
    },
    keyFields: {
      [STK_STOCK_COUNT_GAIN]: { path: 'FThirdSrcBillNo', holds: 'source-id' },
      [STK_STOCK_COUNT_LOSS]: { path: 'FThirdSrcBillNo', holds: 'source-id' },
    },
    bills: (s) => [
      { formId: STK_STOCK_COUNT_GAIN, billType: s.billType, billNoPrefix: s.billNoPrefix, billTypeKey: 'billType' },
      { formId: STK_STOCK_COUNT_LOSS, billType: s.lossBillType, billNoPrefix: s.lossBillNoPrefix, billTypeKey: 'lossBillType' },
    ],
  },
  schema: stocktakeSchema,
  docId: (doc) => String(doc.io_id),
  version: (doc) => modifiedVersion(doc.modified),
  isReady: (doc) => doc.status === 'Confirmed',
  transform: transformStocktake,
};
