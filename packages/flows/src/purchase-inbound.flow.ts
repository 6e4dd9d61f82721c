import type { z } from 'zod';
import { billNoPrefixSchema, documentFlowSettingsSchema, kingdeeCode, type WarehouseMapping } from '@sync/config';
import type { DocLabel } from './base-data';
import { purchaseBillDate, purchaseEntries, purchaseEntryStock, purchaseHeader, purchaseSettingsShape } from './purchase-document';
import { purchaseInboundSchema, type PurchaseInbound } from './purchase-inbound.source';
import { stkInStockModelSchema, type StkInStockEntry, type StkInStockModel } from './stk-instock.model';
import type { DocumentFlow, FlowContext, TransformResult } from './types';

export { purchaseInboundSchema, purchaseInboundItemSchema, purchaseInboundBatchSchema } from './purchase-inbound.source';
export type { PurchaseInbound, PurchaseInboundItem } from './purchase-inbound.source';
export { stkInStockModelSchema, stkInStockEntrySchema } from './stk-instock.model';
export { purchaseBillDate } from './purchase-document';
export type { StkInStockModel, StkInStockEntry } from './stk-instock.model';

/** Kingdee form of the target document. */
export const STK_INSTOCK = 'STK_InStock';

/** `flows.purchase-inbound` in the config file: JST /open/purchasein/query (Confirmed, by ts) → Kingdee STK_InStock. */
export const purchaseInboundSettingsSchema = documentFlowSettingsSchema.extend({
  billType: kingdeeCode.default('RKD01_SYS'),
  billNoPrefix: billNoPrefixSchema.default('JSTPI'),
  ...purchaseSettingsShape,
});
export type PurchaseInboundSettings = z.output<typeof purchaseInboundSettingsSchema>;

function docLabel(doc: PurchaseInbound, flow: string): DocLabel {
  return { flow, docId: String(doc.io_id), text: `采购入库单 io_id=${doc.io_id}` };
}

function entries(doc: PurchaseInbound, ctx: FlowContext<PurchaseInboundSettings>, who: DocLabel, stock: WarehouseMapping): { entries: StkInStockEntry[]; notes: string[] } {
  const { mappings, settings } = ctx;
  const lines = doc.items.map((i) => ({ ioi_id: i.ioi_id, sku_id: i.sku_id, qty: i.qty, batch_no: i.batch_no }));
  return purchaseEntries<(typeof doc.items)[number], StkInStockEntry>(doc.items, lines, doc.batchs, mappings, who, stock, ({ item, part, sku, unit, aux, location }) => ({
    FMaterialId: { FNumber: sku.material },
    FUnitID: unit,
    FPriceUnitID: unit,
    FRealQty: part.qty,
    ...(item.cost_price !== undefined && { FTaxPrice: item.cost_price }),
    FEntryTaxRate: item.tax_rate ?? doc.tax_rate ?? settings.taxRate,
    FGiveAway: item.cost_price === 0,
    FStockId: { FNumber: stock.stock },
    ...purchaseEntryStock({ part, aux, location }, stock, settings.stockStatus),
    ...(item.ioi_id !== undefined && { FNote: `聚水潭 ioi_id=${item.ioi_id}` }),
  }));
}

/**
 * Pure transform of one received JST purchase inbound into one STK_InStock Save model. FBillNo = billNoPrefix +
 * io_id. Stock and stock org from the warehouse (`<wms_co_id>/<wh_id>` first), supplier and purchase org from the
 * supplier mapping (purchase org defaults to the stock org), departments from `mappings.departments` (`stock`,
 * `purchase`) when set. A line per lot; zero-quantity lines are reported in `notes`; a cost price of 0 marks a gift.
 * @throws PermanentError UNMAPPED_BASE_DATA (warehouse, supplier, SKU in table mode), INVALID_SOURCE_DOCUMENT.
 */
export function transformPurchaseInbound(doc: PurchaseInbound, ctx: FlowContext<PurchaseInboundSettings>): TransformResult {
  const { settings, mappings } = ctx;
  const who = docLabel(doc, ctx.flow);
  const { stock, supplier, purchaseOrg, stockDept, purchaseDept } = purchaseHeader(mappings, who, { wmsCoId: doc.wms_co_id, whId: doc.wh_id }, { id: doc.supplier_id, name: doc.supplier_name });
  const { entries: lines, notes } = entries(doc, ctx, who, stock);
  if (!lines.length) {
    const why = doc.items.length ? notes.join('; ') : 'the document has no lines';
    return { kind: 'skip', reason: `${who.flow} ${who.text}: nothing received (${why})` };
  }
  const billNo = `${settings.billNoPrefix}${doc.io_id}`;
  const model: StkInStockModel = {
    FBillTypeID: { FNUMBER: settings.billType },
    FBusinessType: settings.businessType,
    FBillNo: billNo,
    FDate: purchaseBillDate(doc, who),
    FStockOrgId: { FNumber: stock.stockOrg },
    FPurchaseOrgId: { FNumber: purchaseOrg },
    FSupplierId: { FNumber: supplier.supplier },
    FOwnerTypeIdHead: 'BD_OwnerOrg',
    FOwnerIdHead: { FNumber: stock.stockOrg },
    ...(stockDept && { FStockDeptId: { FNumber: stockDept } }),
    ...(purchaseDept && { FPurchaseDeptId: { FNumber: purchaseDept } }),
    FInStockFin: {
      FSettleOrgId: { FNumber: purchaseOrg },
      FSettleCurrId: { FNumber: settings.currency },
      FPriceTimePoint: settings.priceTimePoint,
      FIsIncludedTax: true,
      FLocalCurrId: { FNumber: settings.currency },
      FExchangeTypeId: { FNumber: settings.exchangeRateType },
      FExchangeRate: 1,
      FTHIRDSRCTYPE: 'JST',
      FTHIRDBILLNO: String(doc.io_id),
      ...(doc.po_id && { FTHIRDBILLID: doc.po_id }),
    },
    FInStockEntry: lines,
  };
  const documents = [{ formId: STK_INSTOCK, billNo, model }];
  return notes.length ? { kind: 'write', documents, notes } : { kind: 'write', documents };
}

/** 采购入库单: received JST purchase inbounds (status Confirmed 已入库) → Kingdee STK_InStock, scanned by row version. */
export const purchaseInboundFlow: DocumentFlow<PurchaseInbound, PurchaseInboundSettings> = {
  name: 'purchase-inbound',
  title: '采购入库单',
  settings: purchaseInboundSettingsSchema,
  // purchasein takes at most 30 io_ids per call (reference §6).
  source: { path: '/open/purchasein/query', cursor: { kind: 'ts' }, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 30 } },
  target: {
    formId: STK_INSTOCK,
    schema: stkInStockModelSchema,
    reconcile: { [STK_INSTOCK]: { entry: 'FInStockEntry', material: 'FMaterialId', lot: 'FLot', qty: 'FRealQty', price: 'FTaxPrice' } },
    keyFields: { [STK_INSTOCK]: { path: 'FInStockFin.FTHIRDBILLNO', holds: 'source-id' } },
  },
  schema: purchaseInboundSchema,
  docId: (doc) => String(doc.io_id),
  version: (doc) => doc.ts,
  isReady: (doc) => doc.status === 'Confirmed',
  transform: transformPurchaseInbound,
};
