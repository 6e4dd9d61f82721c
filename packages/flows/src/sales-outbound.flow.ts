import type { z } from 'zod';
import { billNoPrefixSchema, checkTransportSettings, documentFlowSettingsSchema, kingdeeCode, priceSettingsShape, reversalSettingSchema, transportSettingsShape } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { lookupShop, lookupWarehouse, type DocLabel } from './base-data';
import { jstDatePart } from './dates';
import { salOutStockModelSchema, type SalOutStockModel } from './sal-outstock.model';
import { salesOutboundEntries } from './sales-outbound.entries';
import { salesOutboundSchema, type SalesOutbound } from './sales-outbound.source';
import type { DocumentFlow, FlowContext, TransformResult } from './types';
import { tsOrModifiedVersion } from './transport-row';

export { salesOutboundSchema, salesOutboundItemSchema, salesOutboundBatchSchema } from './sales-outbound.source';
export type { SalesOutbound, SalesOutboundItem, SalesOutboundBatch } from './sales-outbound.source';
export { salOutStockModelSchema, salOutStockEntrySchema } from './sal-outstock.model';
export type { SalOutStockModel, SalOutStockEntry } from './sal-outstock.model';

/** Kingdee form of the target document. */
export const SAL_OUTSTOCK = 'SAL_OUTSTOCK';

/** `flows.sales-outbound` in the config file. */
export const salesOutboundSettingsSchema = documentFlowSettingsSchema
  .extend({
    billType: kingdeeCode.default('XSCKD01_SYS'),
    billNoPrefix: billNoPrefixSchema.default('JSTSO'),
    ...priceSettingsShape,
    /** Cancellations of shipped documents are followed (isReversal). */
    reversal: reversalSettingSchema,
    /** Read through the open API, 聚水潭·奇门 (Taobao/Tmall shops) or both; see transport-settings.ts. */
    ...transportSettingsShape,
  })
  .superRefine(checkTransportSettings);
export type SalesOutboundSettings = z.output<typeof salesOutboundSettingsSchema>;

function docLabel(doc: SalesOutbound, flow: string): DocLabel {
  return { flow, docId: String(doc.io_id), text: `出库单 io_id=${doc.io_id}` };
}

/** Earliest business year accepted; later than the clock's next year is refused too (a typo or a placeholder like 9999). */
const FIRST_BILL_YEAR = 2000;

/**
 * Business date: the date JST shipped (io_date), else the date it last changed the document. A date outside
 * [2000, next year of `nowIso`] is refused rather than booked into a period nobody will look at.
 */
function billDate(doc: SalesOutbound, who: DocLabel, nowIso: string): string {
  const fromIoDate = jstDatePart(doc.io_date);
  const date = fromIoDate ?? jstDatePart(doc.modified);
  const lastYear = Number(nowIso.slice(0, 4)) + 1;
  if (date) {
    const year = Number(date.slice(0, 4));
    if (year >= FIRST_BILL_YEAR && (!Number.isFinite(lastYear) || year <= lastYear)) return date;
    const field = fromIoDate ? 'io_date' : 'modified';
    throw new PermanentError('INVALID_SOURCE_DOCUMENT', `${who.flow} ${who.text}: ${field} ${JSON.stringify(fromIoDate ? doc.io_date : doc.modified)} is out of range (years ${FIRST_BILL_YEAR}..${lastYear})`, {
      flow: who.flow, docId: who.docId, field,
    });
  }
  throw new PermanentError('INVALID_SOURCE_DOCUMENT', `${who.flow} ${who.text}: neither io_date nor modified is a date`, {
    flow: who.flow, docId: who.docId, field: 'io_date',
  });
}

function note(doc: SalesOutbound): string {
  const parts = [`聚水潭出库单 io_id=${doc.io_id}`];
  if (doc.o_id) parts.push(`内部单号 o_id=${doc.o_id}`);
  if (doc.so_id) parts.push(`线上单号 so_id=${doc.so_id}`);
  const text = parts.join('; ');
  return text.length > 255 ? `${text.slice(0, 254)}…` : text;
}

/**
 * Pure transform of one shipped JST outbound into one SAL_OUTSTOCK Save model. FBillNo = billNoPrefix + io_id
 * (the idempotency key). Skips a document with no line to ship; zero-quantity lines are reported in `notes`.
 * @throws PermanentError UNMAPPED_BASE_DATA (warehouse, shop, SKU in table mode), INVALID_SOURCE_DOCUMENT
 *   (batch quantities that do not add up to the line).
 */
export function transformSalesOutbound(doc: SalesOutbound, ctx: FlowContext<SalesOutboundSettings>): TransformResult {
  const { settings, mappings } = ctx;
  const who = docLabel(doc, ctx.flow);
  const stock = lookupWarehouse(mappings, String(doc.wms_co_id), who);
  const shop = lookupShop(mappings, String(doc.shop_id), who, doc.shop_name);
  const { entries, notes } = salesOutboundEntries(doc, stock, settings, mappings, who);
  if (!entries.length) {
    const why = doc.items.length ? notes.join('; ') : 'the document has no lines';
    return { kind: 'skip', reason: `${who.flow} ${who.text}: nothing to ship (${why})` };
  }
  const billNo = `${settings.billNoPrefix}${doc.io_id}`;
  const model: SalOutStockModel = {
    FBillTypeID: { FNUMBER: settings.billType },
    FBillNo: billNo,
    FDate: billDate(doc, who, ctx.now),
    FSaleOrgId: { FNumber: shop.saleOrg },
    FStockOrgId: { FNumber: stock.stockOrg },
    FCustomerID: { FNumber: shop.customer },
    FOwnerTypeIdHead: 'BD_OwnerOrg',
    FOwnerIdHead: { FNumber: stock.stockOrg },
    ...(doc.l_id && { FCarriageNO: doc.l_id }),
    FNote: note(doc),
    SubHeadEntity: {
      FSettleCurrID: { FNumber: settings.currency },
      FSettleOrgID: { FNumber: shop.settleOrg ?? shop.saleOrg },
      FLocalCurrID: { FNumber: settings.currency },
      FExchangeTypeID: { FNumber: settings.exchangeRateType },
      FExchangeRate: 1,
      FIsIncludedTax: true,
      FThirdBillNo: String(doc.io_id),
      ...(doc.o_id && { FThirdBillId: doc.o_id }),
      FThirdSrcType: 'JST',
    },
    FEntity: entries,
  };
  const documents = [{ formId: SAL_OUTSTOCK, billNo, model }];
  return notes.length ? { kind: 'write', documents, notes } : { kind: 'write', documents };
}

/** 销售出库单: shipped JST outbounds (status Confirmed) → Kingdee SAL_OUTSTOCK, scanned by row version. */
export const salesOutboundFlow: DocumentFlow<SalesOutbound, SalesOutboundSettings> = {
  name: 'sales-outbound',
  title: '销售出库单',
  settings: salesOutboundSettingsSchema,
  source: { path: '/open/orders/out/simple/query', cursor: { kind: 'ts' }, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 50 } },
  // No status filter: cancellations (reversals) must be seen too; isReady picks the shipped ones.
  qimen: { method: 'jushuitan.saleout.list.query', filters: { date_type: 0 }, businessDate: 'io_date', idField: 'io_id' },
  target: {
    formId: SAL_OUTSTOCK,
    schema: salOutStockModelSchema,
    reconcile: { [SAL_OUTSTOCK]: { entry: 'FEntity', material: 'FMaterialID', lot: 'FLot', qty: 'FRealQty', price: 'FTaxPrice' } },
    keyFields: { [SAL_OUTSTOCK]: { path: 'SubHeadEntity.FThirdBillNo', holds: 'source-id' } },
  },
  schema: salesOutboundSchema,
  docId: (doc) => String(doc.io_id),
  version: tsOrModifiedVersion,
  isReady: (doc) => doc.status === 'Confirmed',
  isReversal: (doc) => doc.status === 'Cancelled' || doc.status === 'Delete',
  transform: transformSalesOutbound,
};
