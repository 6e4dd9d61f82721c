import { z } from 'zod';
import { billNoPrefixSchema, documentFlowSettingsSchema, kingdeeCode, priceSettingsShape } from '@sync/config';
import { lookupSupplier, lookupWarehouse } from './base-data';
import { flowDepartment } from './other-inout.departments';
import { otherBillDate, otherDocLabel, otherInOutLines, otherNote } from './other-inout.lines';
import { OTHER_IN_TYPE, OTHER_INOUT_IDS, OTHER_INOUT_PATH, OTHER_RETURN_TYPE, otherInOutSchema, otherInOutVersion, type OtherInOut } from './other-inout.source';
import { stkMiscellaneousModelSchema, type StkMiscellaneousEntry, type StkMiscellaneousModel } from './stk-miscellaneous.model';
import type { DocumentFlow, FlowContext, TransformResult } from './types';

export { stkMiscellaneousModelSchema, stkMiscellaneousEntrySchema } from './stk-miscellaneous.model';
export type { StkMiscellaneousModel, StkMiscellaneousEntry } from './stk-miscellaneous.model';

/** Kingdee form of the target document. */
export const STK_MISCELLANEOUS = 'STK_MISCELLANEOUS';

/** `flows.other-inbound` in the config file: JST 其它进仓 (and 其它退货 unless includeReturns: false) → STK_MISCELLANEOUS. */
export const otherInboundSettingsSchema = documentFlowSettingsSchema.extend({
  billType: kingdeeCode.default('QTRKD01_SYS'),
  billNoPrefix: billNoPrefixSchema.default('JSTOI'),
  /** The bills' currency (amounts come from JST's cost prices); no exchange rate or tax rate. */
  currency: priceSettingsShape.currency,
  /** Count 其它退货 (what the JST upload API creates for type=in) as inbound. Default true (reference §8, §14.4). */
  includeReturns: z.boolean().default(true),
  /** Key in mappings.departments of the department put on the bills (FDEPTID); none when absent. */
  department: z.string().min(1).optional(),
});
export type OtherInboundSettings = z.output<typeof otherInboundSettingsSchema>;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The one JST supplier all lines name (supplier_id ≠ 0), or undefined when none or several. */
function singleSupplier(doc: OtherInOut): string | undefined {
  const ids = new Set(doc.items.filter((i) => i.qty > 0 && i.supplier_id).map((i) => String(i.supplier_id)));
  return ids.size === 1 ? [...ids][0] : undefined;
}

/**
 * Pure transform of one effective JST other inbound (其它进仓, and 其它退货 unless `includeReturns: false`)
 * into one STK_MISCELLANEOUS Save model. FBillNo = billNoPrefix + io_id. Quantities stay positive (FQty 实收).
 * Skips a 其它退货 when returns are not counted as inbound, and a document with no line to receive;
 * zero-quantity lines are reported in `notes`.
 * @throws PermanentError UNMAPPED_BASE_DATA (warehouse, SKU in table mode, supplier, department),
 *   INVALID_SOURCE_DOCUMENT (batch quantities that do not add up to the line).
 */
export function transformOtherInbound(doc: OtherInOut, ctx: FlowContext<OtherInboundSettings>): TransformResult {
  const { settings, mappings } = ctx;
  const who = otherDocLabel(doc, ctx.flow);
  if (doc.type === OTHER_RETURN_TYPE && !settings.includeReturns) {
    return { kind: 'skip', reason: `${who.flow} ${who.text}: 其它退货 is not synced as inbound (includeReturns: false)` };
  }
  const stock = lookupWarehouse(mappings, String(doc.wms_co_id), who, doc.wh_id === undefined ? undefined : String(doc.wh_id));
  const supplierId = singleSupplier(doc);
  const supplier = supplierId === undefined ? undefined : lookupSupplier(mappings, supplierId, who);
  const department = flowDepartment(mappings, settings.department, who);
  const { lines, notes } = otherInOutLines(doc, mappings, who, stock);
  if (!lines.length) {
    const why = doc.items.length ? notes.join('; ') : 'the document has no lines';
    return { kind: 'skip', reason: `${who.flow} ${who.text}: nothing to receive (${why})` };
  }
  const entries: StkMiscellaneousEntry[] = lines.map((l) => ({
    FMATERIALID: { FNumber: l.material },
    FUnitID: { FNumber: l.unit },
    FQty: l.qty,
    ...(l.costPrice !== undefined && { FPrice: l.costPrice, FAmount: round2(l.costPrice * l.qty) }),
    FSTOCKID: { FNumber: stock.stock },
    ...(l.location && { FStockLocId: l.location }),
    FSTOCKSTATUSID: { FNumber: settings.stockStatus },
    ...(l.lot !== undefined && { FLOT: { FNumber: l.lot } }),
    ...(l.produceDate !== undefined && { FPRODUCEDATE: l.produceDate }),
    ...(l.expiryDate !== undefined && { FEXPIRYDATE: l.expiryDate }),
    ...(l.auxProps && { FAuxPropId: l.auxProps }),
    FOWNERTYPEID: 'BD_OwnerOrg',
    FOWNERID: { FNumber: stock.stockOrg },
    FKEEPERTYPEID: 'BD_KeeperOrg',
    FKEEPERID: { FNumber: stock.stockOrg },
    FEntryNote: l.entryNote,
  }));
  const billNo = `${settings.billNoPrefix}${doc.io_id}`;
  const model: StkMiscellaneousModel = {
    FBillTypeID: { FNUMBER: settings.billType },
    FBillNo: billNo,
    FDate: otherBillDate(doc, who),
    FStockOrgId: { FNumber: stock.stockOrg },
    FStockDirect: 'GENERAL',
    FOwnerTypeIdHead: 'BD_OwnerOrg',
    FOwnerIdHead: { FNumber: stock.stockOrg },
    ...(supplier && { FSUPPLIERID: { FNumber: supplier.supplier } }),
    ...(department && { FDEPTID: { FNumber: department } }),
    FBaseCurrId: { FNumber: settings.currency },
    FNOTE: otherNote(doc, doc.type),
    FEntity: entries,
  };
  const documents = [{ formId: STK_MISCELLANEOUS, billNo, model }];
  return notes.length ? { kind: 'write', documents, notes } : { kind: 'write', documents };
}

/**
 * 其他入库单: effective JST other inbound documents (status Confirmed 生效, type 其它进仓 or 其它退货) →
 * Kingdee STK_MISCELLANEOUS, read by modified-time windows (the documented response has no ts).
 */
export const otherInboundFlow: DocumentFlow<OtherInOut, OtherInboundSettings> = {
  name: 'other-inbound',
  title: '其他入库单',
  settings: otherInboundSettingsSchema,
  source: {
    path: OTHER_INOUT_PATH,
    cursor: { kind: 'window', filters: { status: 'Confirmed', types: [OTHER_IN_TYPE, OTHER_RETURN_TYPE] } },
    businessDate: 'io_date',
    ...OTHER_INOUT_IDS,
  },
  target: {
    formId: STK_MISCELLANEOUS,
    schema: stkMiscellaneousModelSchema,
    reconcile: { [STK_MISCELLANEOUS]: { entry: 'FEntity', material: 'FMATERIALID', lot: 'FLOT', qty: 'FQty', amount: 'FAmount' } },
    keyFields: { [STK_MISCELLANEOUS]: { path: 'FNOTE', holds: 'bill-no' } },
  },
  schema: otherInOutSchema,
  docId: (doc) => String(doc.io_id),
  version: otherInOutVersion,
  isReady: (doc) => doc.status === 'Confirmed' && (doc.type === OTHER_IN_TYPE || doc.type === OTHER_RETURN_TYPE),
  transform: transformOtherInbound,
};
