import { z } from 'zod';
import { billNoPrefixSchema, documentFlowSettingsSchema, kingdeeCode } from '@sync/config';
import { lookupWarehouse } from './base-data';
import { flowDepartment } from './other-inout.departments';
import { otherBillDate, otherDocLabel, otherInOutLines, otherNote } from './other-inout.lines';
import { OTHER_INOUT_IDS, OTHER_INOUT_PATH, OTHER_OUT_TYPE, otherInOutSchema, otherInOutVersion, type OtherInOut } from './other-inout.source';
import { stkMisDeliveryModelSchema, type StkMisDeliveryEntry, type StkMisDeliveryModel } from './stk-misdelivery.model';
import type { DocumentFlow, FlowContext, TransformResult } from './types';

export { stkMisDeliveryModelSchema, stkMisDeliveryEntrySchema } from './stk-misdelivery.model';
export type { StkMisDeliveryModel, StkMisDeliveryEntry } from './stk-misdelivery.model';

/** Kingdee form of the target document. */
export const STK_MIS_DELIVERY = 'STK_MisDelivery';

/** `flows.other-outbound` in the config file: JST 其它出库 → STK_MisDelivery. */
export const otherOutboundSettingsSchema = documentFlowSettingsSchema.extend({
  billType: kingdeeCode.default('QTCKD01_SYS'),
  billNoPrefix: billNoPrefixSchema.default('JSTOO'),
  /** Key in mappings.departments of the picking department (FDeptId 领料部门); none when absent. */
  department: z.string().min(1).optional(),
  /** Picking organisation (FPickOrgId); defaults to the warehouse's stock organisation. */
  pickOrg: kingdeeCode.optional(),
  /** FBizType (业务类型); its values are undocumented, so it is only sent when set. */
  bizType: kingdeeCode.optional(),
});
export type OtherOutboundSettings = z.output<typeof otherOutboundSettingsSchema>;

/**
 * Pure transform of one effective JST other outbound (其它出库) into one STK_MisDelivery Save model.
 * FBillNo = billNoPrefix + io_id. Quantities stay positive (FQty 实发). Skips a document with no line to ship;
 * zero-quantity lines are reported in `notes`.
 * @throws PermanentError UNMAPPED_BASE_DATA (warehouse, SKU in table mode, department),
 *   INVALID_SOURCE_DOCUMENT (batch quantities that do not add up to the line).
 */
export function transformOtherOutbound(doc: OtherInOut, ctx: FlowContext<OtherOutboundSettings>): TransformResult {
  const { settings, mappings } = ctx;
  const who = otherDocLabel(doc, ctx.flow);
  const stock = lookupWarehouse(mappings, String(doc.wms_co_id), who, doc.wh_id === undefined ? undefined : String(doc.wh_id));
  const department = flowDepartment(mappings, settings.department, who);
  const { lines, notes } = otherInOutLines(doc, mappings, who, stock);
  if (!lines.length) {
    const why = doc.items.length ? notes.join('; ') : 'the document has no lines';
    return { kind: 'skip', reason: `${who.flow} ${who.text}: nothing to ship (${why})` };
  }
  const entries: StkMisDeliveryEntry[] = lines.map((l) => ({
    FMaterialId: { FNumber: l.material },
    FUnitID: { FNumber: l.unit },
    // JST gives the stock unit; the integration keeps stock unit = base unit (no conversion data in JST).
    FBaseUnitId: { FNumber: l.unit },
    FQty: l.qty,
    FStockId: { FNumber: stock.stock },
    ...(l.location && { FStockLocId: l.location }),
    FStockStatusId: { FNumber: settings.stockStatus },
    ...(l.lot !== undefined && { FLot: { FNumber: l.lot } }),
    ...(l.produceDate !== undefined && { FProduceDate: l.produceDate }),
    ...(l.expiryDate !== undefined && { FExpiryDate: l.expiryDate }),
    ...(l.auxProps && { FAuxPropId: l.auxProps }),
    FOwnerTypeId: 'BD_OwnerOrg',
    FOwnerId: { FNumber: stock.stockOrg },
    FKeeperTypeId: 'BD_KeeperOrg',
    FKeeperId: { FNumber: stock.stockOrg },
    FEntryNote: l.entryNote,
  }));
  const billNo = `${settings.billNoPrefix}${doc.io_id}`;
  const model: StkMisDeliveryModel = {
    FBillTypeID: { FNUMBER: settings.billType },
    FBillNo: billNo,
    FDate: otherBillDate(doc, who),
    FStockOrgId: { FNumber: stock.stockOrg },
    FPickOrgId: { FNumber: settings.pickOrg ?? stock.stockOrg },
    FStockDirect: 'GENERAL',
    ...(settings.bizType !== undefined && { FBizType: settings.bizType }),
    FOwnerTypeIdHead: 'BD_OwnerOrg',
    FOwnerIdHead: { FNumber: stock.stockOrg },
    ...(department && { FDeptId: { FNumber: department } }),
    FNote: otherNote(doc, doc.type),
    FEntity: entries,
  };
  const documents = [{ formId: STK_MIS_DELIVERY, billNo, model }];
  return notes.length ? { kind: 'write', documents, notes } : { kind: 'write', documents };
}

/**
 * 其他出库单: effective JST other outbound documents (status Confirmed 生效, type 其它出库) → Kingdee
 * STK_MisDelivery, read by modified-time windows (the documented response has no ts).
 */
export const otherOutboundFlow: DocumentFlow<OtherInOut, OtherOutboundSettings> = {
  name: 'other-outbound',
  title: '其他出库单',
  settings: otherOutboundSettingsSchema,
  source: { path: OTHER_INOUT_PATH, cursor: { kind: 'window', filters: { status: 'Confirmed', types: [OTHER_OUT_TYPE] } }, businessDate: 'io_date', ...OTHER_INOUT_IDS },
  target: {
    formId: STK_MIS_DELIVERY,
    schema: stkMisDeliveryModelSchema,
    reconcile: { [STK_MIS_DELIVERY]: { entry: 'FEntity', material: 'FMaterialId', lot: 'FLot', qty: 'FQty' } },
    keyFields: { [STK_MIS_DELIVERY]: { path: 'FNote', holds: 'bill-no' } },
  },
  schema: otherInOutSchema,
  docId: (doc) => String(doc.io_id),
  version: otherInOutVersion,
  isReady: (doc) => doc.status === 'Confirmed' && doc.type === OTHER_OUT_TYPE,
  transform: transformOtherOutbound,
};
