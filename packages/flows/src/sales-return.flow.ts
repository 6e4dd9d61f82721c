import { z } from 'zod';
import { billNoPrefixSchema, checkTransportSettings, documentFlowSettingsSchema, kingdeeCode, priceSettingsShape, transportSettingsOf, transportSettingsShape } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { lookupShop, lookupWarehouse, type DocLabel } from './base-data';
import { jstDatePart } from './dates';
import { salReturnStockModelSchema, type SalReturnStockModel } from './sal-returnstock.model';
import { returnLines, salesReturnEntries } from './sales-return.lines';
import { salesReturnSchema, type SalesReturnDoc } from './sales-return.source';
import type { DocumentFlow, FlowContext, FlowSourceSpec, SourceCursor, TransformResult } from './types';
import { tsOrModifiedVersion } from './transport-row';

export {
  salesReturnSchema, receivedReturnSchema, refundReturnSchema, receivedItemSchema, refundItemSchema, salesReturnBatchSchema,
} from './sales-return.source';
export type { SalesReturnDoc, ReceivedReturn, RefundReturn, ReceivedItem, RefundItem, SalesReturnBatch } from './sales-return.source';
export { salReturnStockModelSchema, salReturnStockEntrySchema } from './sal-returnstock.model';
export type { SalReturnStockModel, SalReturnStockEntry } from './sal-returnstock.model';
export { returnLines, salesReturnEntries, type ReturnLine } from './sales-return.lines';

/** Kingdee form of the target document. */
export const SAL_RETURNSTOCK = 'SAL_RETURNSTOCK';
/** 退仓单: goods received back into a warehouse (the default source). */
export const AFTERSALE_RECEIVED_PATH = '/open/aftersale/received/query';
/** 售后单: after-sale requests. */
export const REFUND_SINGLE_PATH = '/open/refund/single/query';

/** `flows.sales-return` in the config file: JST 退仓单 (or 售后单, `source: refund`) → SAL_RETURNSTOCK. */
export const salesReturnSettingsSchema = documentFlowSettingsSchema
  .extend({
    billType: kingdeeCode.default('XSTHD01_SYS'),
    billNoPrefix: billNoPrefixSchema.default('JSTRT'),
    ...priceSettingsShape,
    /** `received`: 退仓单 /open/aftersale/received/query (goods back in stock); `refund`: 售后单 /open/refund/single/query. */
    source: z.enum(['received', 'refund']).default('received'),
    /** FReturnType of every line (退货类型). */
    returnType: kingdeeCode.default('THLX01_SYS'),
    /** Qimen reads 售后单 (jushuitan.refund.list.query, keyed by as_id like `source: refund`). */
    ...transportSettingsShape,
  })
  .superRefine((s, ctx) => {
    checkTransportSettings(s, ctx);
    // Qimen returns 售后单 (bill prefix + AS + as_id); 退仓单 are keyed by io_id: one return read both ways would
    // become two bills unless the open API leaves the Qimen shops alone.
    const t = transportSettingsOf(s);
    if (t.transport === 'both' && s.source === 'received' && t.openweb.shops !== 'others' && !disjoint(t.openweb.shops, t.qimen.shops)) {
      ctx.addIssue({
        code: 'custom',
        path: ['transport'],
        message: 'both with source: received would book a Qimen 售后单 (JSTRT…AS<as_id>) and the open API\'s 退仓单 (JSTRT…<io_id>) of the same return twice: set source: refund, or openweb.shops: others',
      });
    }
  });
export type SalesReturnSettings = z.output<typeof salesReturnSettingsSchema>;

/** True when two shop selections cannot share a shop (`all` shares with anything). */
function disjoint(a: 'all' | number[], b: 'all' | number[]): boolean {
  if (a === 'all' || b === 'all') return false;
  return !a.some((x) => b.includes(x));
}

const TS_CURSOR: SourceCursor = { kind: 'ts' };
/** 退仓单 are keyed by io_id (the docId); as_ids would select by the after-sale instead. */
const RECEIVED_SOURCE: FlowSourceSpec = { path: AFTERSALE_RECEIVED_PATH, cursor: TS_CURSOR, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 50 } };
const REFUND_SOURCE: FlowSourceSpec = { path: REFUND_SINGLE_PATH, cursor: TS_CURSOR, businessDate: 'confirm_date', idField: 'as_id', idFilter: { key: 'as_ids', max: 50 } };

function docLabel(doc: SalesReturnDoc, flow: string): DocLabel {
  return doc.source === 'received'
    ? { flow, docId: String(doc.io_id), text: `退仓单 io_id=${doc.io_id}` }
    : { flow, docId: String(doc.as_id), text: `售后单 as_id=${doc.as_id}` };
}

/** FBillNo: prefix + io_id for 退仓单, prefix + "AS" + as_id for 售后单 (two id series that must never meet). */
export function salesReturnBillNo(doc: SalesReturnDoc, prefix: string): string {
  return doc.source === 'received' ? `${prefix}${doc.io_id}` : `${prefix}AS${doc.as_id}`;
}

/** Business date: when the goods came in (io_date / confirm_date), else when JST last changed the document. */
function billDate(doc: SalesReturnDoc, who: DocLabel): string {
  const first = doc.source === 'received' ? doc.io_date : doc.confirm_date;
  const date = jstDatePart(first) ?? jstDatePart(doc.modified);
  if (date) return date;
  throw new PermanentError('INVALID_SOURCE_DOCUMENT', `${who.flow} ${who.text}: neither ${doc.source === 'received' ? 'io_date' : 'confirm_date'} nor modified is a date`, {
    flow: who.flow, docId: who.docId, field: 'modified',
  });
}

function headNote(doc: SalesReturnDoc): string {
  const parts = doc.source === 'received' ? [`聚水潭退仓单 io_id=${doc.io_id}`] : [`聚水潭售后单 as_id=${doc.as_id}`];
  if (doc.source === 'received' && doc.as_id !== undefined) parts.push(`售后单 as_id=${doc.as_id}`);
  if (doc.o_id) parts.push(`内部单号 o_id=${doc.o_id}`);
  if (doc.so_id) parts.push(`线上单号 so_id=${doc.so_id}`);
  if (doc.type) parts.push(doc.type);
  const text = parts.join('; ');
  return text.length > 255 ? `${text.slice(0, 254)}…` : text;
}

/**
 * Pure transform of one JST return (退仓单 or 售后单) into one SAL_RETURNSTOCK Save model: customer and sale org
 * from the shop, return stock from `<wms_co_id>/<wh_id>` (else `<wms_co_id>`), lots and dates per batch,
 * positive received quantities. FBillNo from {@link salesReturnBillNo} is the idempotency key. Skips a document
 * with nothing received; lines left out are reported in `notes`.
 * @throws PermanentError UNMAPPED_BASE_DATA (warehouse, shop, SKU in table mode), INVALID_SOURCE_DOCUMENT.
 */
export function transformSalesReturn(doc: SalesReturnDoc, ctx: FlowContext<SalesReturnSettings>): TransformResult {
  const { settings, mappings } = ctx;
  const who = docLabel(doc, ctx.flow);
  const stock = lookupWarehouse(mappings, String(doc.wms_co_id), who, doc.wh_id === undefined ? undefined : String(doc.wh_id));
  const shop = lookupShop(mappings, String(doc.shop_id), who, doc.source === 'refund' ? doc.shop_name : undefined);
  const picked = returnLines(doc);
  const built = salesReturnEntries(picked.lines, doc.batchs, stock, settings, mappings, who);
  const notes = [...picked.notes, ...built.notes];
  if (!built.entries.length) {
    const why = notes.length ? notes.join('; ') : 'the document has no lines';
    return { kind: 'skip', reason: `${who.flow} ${who.text}: nothing returned to stock (${why})` };
  }
  const billNo = salesReturnBillNo(doc, settings.billNoPrefix);
  const saleDept = mappings.departments.sale;
  const stockDept = mappings.departments.stock;
  const thirdBillId = doc.source === 'received' ? (doc.as_id === undefined ? undefined : String(doc.as_id)) : doc.o_id;
  const model: SalReturnStockModel = {
    FBillTypeID: { FNUMBER: settings.billType },
    FBillNo: billNo,
    FDate: billDate(doc, who),
    FSaleOrgId: { FNumber: shop.saleOrg },
    FStockOrgId: { FNumber: stock.stockOrg },
    FRetcustId: { FNumber: shop.customer },
    ...(saleDept && { FSaledeptid: { FNumber: saleDept } }),
    ...(stockDept && { FStockDeptId: { FNumber: stockDept } }),
    FOwnerTypeIdHead: 'BD_OwnerOrg',
    FOwnerIdHead: { FNumber: stock.stockOrg },
    FHeadNote: headNote(doc),
    SubHeadEntity: {
      FSettleCurrId: { FNumber: settings.currency },
      FSettleOrgId: { FNumber: shop.settleOrg ?? shop.saleOrg },
      FLocalCurrId: { FNumber: settings.currency },
      FExchangeTypeId: { FNumber: settings.exchangeRateType },
      FExchangeRate: 1,
      FThirdBillNo: who.docId,
      ...(thirdBillId && { FThirdBillId: thirdBillId }),
      FThirdSrcType: 'JST',
    },
    FEntity: built.entries,
  };
  const documents = [{ formId: SAL_RETURNSTOCK, billNo, model }];
  return notes.length ? { kind: 'write', documents, notes } : { kind: 'write', documents };
}

/**
 * Ready: a 退仓单 in status Confirmed (goods booked in); a 售后单 in status Confirmed whose goods the seller has
 * received (good_status SELLER_RECEIVED). shop_status SUCCESS (money refunded) says nothing about stock, so it
 * is not used.
 */
export function isSalesReturnReady(doc: SalesReturnDoc): boolean {
  if (doc.status !== 'Confirmed') return false;
  return doc.source === 'received' || doc.good_status === 'SELLER_RECEIVED';
}

/** 销售退货单: JST returns → Kingdee SAL_RETURNSTOCK, scanned by row version on the endpoint `settings.source` picks. */
export const salesReturnFlow: DocumentFlow<SalesReturnDoc, SalesReturnSettings> = {
  name: 'sales-return',
  title: '销售退货单',
  settings: salesReturnSettingsSchema,
  // 退仓单: io_date (入库日期); 售后单: confirm_date, the date the transform dates the bill with.
  source: RECEIVED_SOURCE,
  sourceFor: (settings) => (settings.source === 'refund' ? REFUND_SOURCE : RECEIVED_SOURCE),
  // 淘系售后 (售后单): Confirmed with the goods received by the seller; r_qty is what came back (jst-qimen.md §5.2).
  qimen: { method: 'jushuitan.refund.list.query', filters: { date_type: 0, status: 'Confirmed', good_status: 'SELLER_RECEIVED' }, businessDate: 'confirm_date', idField: 'as_id' },
  target: {
    formId: SAL_RETURNSTOCK,
    schema: salReturnStockModelSchema,
    reconcile: { [SAL_RETURNSTOCK]: { entry: 'FEntity', material: 'FMaterialId', lot: 'FLot', qty: 'FRealQty', price: 'FTaxPrice' } },
    keyFields: { [SAL_RETURNSTOCK]: { path: 'SubHeadEntity.FThirdBillNo', holds: 'source-id' } },
  },
  schema: salesReturnSchema,
  docId: (doc) => String(doc.source === 'received' ? doc.io_id : doc.as_id),
  version: tsOrModifiedVersion,
  isReady: isSalesReturnReady,
  transform: transformSalesReturn,
};
