import type { z } from 'zod';
import { billNoPrefixSchema, documentFlowSettingsSchema, kingdeeCode, type WarehouseMapping } from '@sync/config';
import type { DocLabel } from './base-data';
import { purchaseBillDate, purchaseEntries, purchaseEntryStock, purchaseHeader, purchaseSettingsShape } from './purchase-document';
import { compactJstTime } from './purchase-lines';
import { purchaseReturnSchema, type PurchaseReturn } from './purchase-return.source';
import { purMrbModelSchema, type PurMrbEntry, type PurMrbModel } from './pur-mrb.model';
import type { DocumentFlow, FlowContext, TransformResult } from './types';

export { purchaseReturnSchema, purchaseReturnItemSchema, purchaseReturnBatchSchema } from './purchase-return.source';
export type { PurchaseReturn, PurchaseReturnItem } from './purchase-return.source';
export { purMrbModelSchema, purMrbEntrySchema } from './pur-mrb.model';
export type { PurMrbModel, PurMrbEntry } from './pur-mrb.model';

/** Kingdee form of the target document. */
export const PUR_MRB = 'PUR_MRB';

/** `flows.purchase-return` in the config file: JST /open/purchaseout/query (Confirmed 生效, modified windows) → Kingdee PUR_MRB. */
export const purchaseReturnSettingsSchema = documentFlowSettingsSchema.extend({
  billType: kingdeeCode.default('TLD01_SYS'),
  billNoPrefix: billNoPrefixSchema.default('JSTPR'),
  ...purchaseSettingsShape,
  /** FMRTYPE 退料类型: undocumented (reference §9.7); "B" is what two independent payloads send. */
  mrType: kingdeeCode.default('B'),
  /** FMRMODE 退料方式: "A" (退料补料) in two payloads, "B" (退料并扣款) in one; A → FREPLENISHQTY, B → FKEAPAMTQTY. */
  mrMode: kingdeeCode.default('A'),
});
export type PurchaseReturnSettings = z.output<typeof purchaseReturnSettingsSchema>;

function docLabel(doc: PurchaseReturn, flow: string): DocLabel {
  return { flow, docId: String(doc.io_id), text: `采购退货单 io_id=${doc.io_id}` };
}

function description(doc: PurchaseReturn): string {
  const parts = [`聚水潭采购退货单 io_id=${doc.io_id}`];
  if (doc.po_id) parts.push(`采购单 po_id=${doc.po_id}`);
  if (doc.remark) parts.push(doc.remark);
  const text = parts.join('; ');
  return text.length > 255 ? `${text.slice(0, 254)}…` : text;
}

function entries(doc: PurchaseReturn, ctx: FlowContext<PurchaseReturnSettings>, who: DocLabel, stock: WarehouseMapping): { entries: PurMrbEntry[]; notes: string[] } {
  const { mappings, settings } = ctx;
  // JST may sign an outbound quantity either way; Kingdee's 实退数量 is positive.
  const lines = doc.items.map((i) => ({ ioi_id: i.ioi_id, sku_id: i.sku_id, qty: Math.abs(i.qty), batch_no: i.batch_no }));
  const batchs = doc.batchs.map((b) => ({ ...b, qty: Math.abs(b.qty) }));
  return purchaseEntries<(typeof doc.items)[number], PurMrbEntry>(doc.items, lines, batchs, mappings, who, stock, ({ item, part, sku, unit, aux, location }) => ({
    FRowType: 'Standard',
    FMATERIALID: { FNumber: sku.material },
    FUnitID: unit,
    FPRICEUNITID: unit,
    FRMREALQTY: part.qty,
    // 退料方式 A = 退料补料 (the supplier replaces the goods), B = 退料并扣款 (the payable is reduced).
    ...(settings.mrMode === 'A' ? { FREPLENISHQTY: part.qty } : settings.mrMode === 'B' ? { FKEAPAMTQTY: part.qty } : {}),
    ...(item.cost_price !== undefined && { FTAXPRICE: item.cost_price }),
    FENTRYTAXRATE: item.tax_rate ?? settings.taxRate,
    FGiveAway: item.cost_price === 0,
    FSTOCKID: { FNumber: stock.stock },
    ...purchaseEntryStock({ part, aux, location }, stock, settings.stockStatus),
    ...(item.ioi_id !== undefined && { FNOTE: `聚水潭 ioi_id=${item.ioi_id}` }),
  }));
}

/**
 * Pure transform of one effective JST purchase return into one PUR_MRB Save model. FBillNo = billNoPrefix + io_id.
 * Stock and stock org from the warehouse, supplier (seller_id, else receiver_name) and purchase org from the
 * supplier mapping, FMRTYPE/FMRMODE from the settings, departments from `mappings.departments` (`stock` →
 * FMRDeptId, `purchase` → FPURCHASEDEPTID) when set. Quantities are sent positive, a line per lot.
 * @throws PermanentError UNMAPPED_BASE_DATA (warehouse, supplier, SKU in table mode), INVALID_SOURCE_DOCUMENT.
 */
export function transformPurchaseReturn(doc: PurchaseReturn, ctx: FlowContext<PurchaseReturnSettings>): TransformResult {
  const { settings, mappings } = ctx;
  const who = docLabel(doc, ctx.flow);
  const { stock, supplier, purchaseOrg, stockDept, purchaseDept } = purchaseHeader(mappings, who, { wmsCoId: doc.wms_co_id, whId: doc.wh_id }, { id: doc.seller_id, name: doc.receiver_name });
  const { entries: lines, notes } = entries(doc, ctx, who, stock);
  if (!lines.length) {
    const why = doc.items.length ? notes.join('; ') : 'the document has no lines';
    return { kind: 'skip', reason: `${who.flow} ${who.text}: nothing returned (${why})` };
  }
  const billNo = `${settings.billNoPrefix}${doc.io_id}`;
  const model: PurMrbModel = {
    FBillTypeID: { FNUMBER: settings.billType },
    FBusinessType: settings.businessType,
    FBillNo: billNo,
    FDate: purchaseBillDate(doc, who),
    FMRTYPE: settings.mrType,
    FMRMODE: settings.mrMode,
    FStockOrgId: { FNumber: stock.stockOrg },
    FRequireOrgId: { FNumber: stock.stockOrg },
    FPurchaseOrgId: { FNumber: purchaseOrg },
    FSupplierID: { FNumber: supplier.supplier },
    ...(stockDept && { FMRDeptId: { FNumber: stockDept } }),
    ...(purchaseDept && { FPURCHASEDEPTID: { FNumber: purchaseDept } }),
    FOwnerTypeIdHead: 'BD_OwnerOrg',
    FOwnerIdHead: { FNumber: stock.stockOrg },
    FDESCRIPTION: description(doc),
    FPURMRBFIN: {
      FSettleOrgId: { FNumber: purchaseOrg },
      FSettleCurrId: { FNumber: settings.currency },
      FIsIncludedTax: true,
      FPRICETIMEPOINT: settings.priceTimePoint,
      FLOCALCURRID: { FNumber: settings.currency },
      FEXCHANGETYPEID: { FNumber: settings.exchangeRateType },
      FEXCHANGERATE: 1,
    },
    FPURMRBENTRY: lines,
  };
  const documents = [{ formId: PUR_MRB, billNo, model }];
  return notes.length ? { kind: 'write', documents, notes } : { kind: 'write', documents };
}

/**
 * 采购退料单: effective JST purchase returns (status Confirmed 生效) → Kingdee PUR_MRB. purchaseout has no `ts`,
 * so it is read in modified-time windows filtered to status Confirmed; the version is the modified time.
 */
export const purchaseReturnFlow: DocumentFlow<PurchaseReturn, PurchaseReturnSettings> = {
  name: 'purchase-return',
  title: '采购退料单',
  settings: purchaseReturnSettingsSchema,
  // purchaseout takes at most 30 io_ids per call (reference §7).
  source: { path: '/open/purchaseout/query', cursor: { kind: 'window', filters: { status: 'Confirmed' } }, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 30 } },
  target: {
    formId: PUR_MRB,
    schema: purMrbModelSchema,
    reconcile: { [PUR_MRB]: { entry: 'FPURMRBENTRY', material: 'FMATERIALID', lot: 'FLot', qty: 'FRMREALQTY', price: 'FTAXPRICE' } },
    keyFields: { [PUR_MRB]: { path: 'FDESCRIPTION', holds: 'bill-no' } },
  },
  schema: purchaseReturnSchema,
  docId: (doc) => String(doc.io_id),
  version: (doc) => compactJstTime(doc.modified),
  isReady: (doc) => doc.status === 'Confirmed',
  transform: transformPurchaseReturn,
};
