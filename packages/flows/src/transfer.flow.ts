import type { z } from 'zod';
import { billNoPrefixSchema, documentFlowSettingsSchema, kingdeeCode, type DocumentFlowSettings, type WarehouseMapping } from '@sync/config';
import { auxPropsRef, lineLocation, lookupSku, lookupWarehouse, resolveUnit, type DocLabel } from './base-data';
import { lotFields, splitLineByBatch } from './batch-lines';
import { inventoryBillDate, modifiedVersion, shortNote, whKey } from './inventory-doc';
import { stkTransferDirectModelSchema, type StkTransferDirectEntry, type StkTransferDirectModel } from './stk-transfer-direct.model';
import { transferSchema, type Transfer, type TransferItem } from './transfer.source';
import type { DocumentFlow, FlowContext, TransformResult } from './types';

export { transferSchema, transferItemSchema } from './transfer.source';
export type { Transfer, TransferItem } from './transfer.source';
export { stkTransferDirectModelSchema, stkTransferDirectEntrySchema } from './stk-transfer-direct.model';
export type { StkTransferDirectModel, StkTransferDirectEntry } from './stk-transfer-direct.model';

/** Kingdee form of the target document. */
export const STK_TRANSFER_DIRECT = 'STK_TransferDirect';
/** The JST transfer type this flow books (the receiving half, so a cross-warehouse transfer is booked once). */
export const TRANSFER_IN_TYPE = '调拨入';

function lineName(item: TransferItem, index: number): string {
  return item.ioi_id !== undefined ? `line ioi_id=${item.ioi_id}` : `line #${index + 1}`;
}

function transferEntries(
  doc: Transfer,
  src: WarehouseMapping,
  dest: WarehouseMapping,
  ctx: FlowContext<DocumentFlowSettings>,
  who: DocLabel,
): { entries: StkTransferDirectEntry[]; notes: string[] } {
  const { settings, mappings } = ctx;
  const entries: StkTransferDirectEntry[] = [];
  const notes: string[] = [];
  doc.items.forEach((item, index) => {
    if (item.qty <= 0) {
      notes.push(`${lineName(item, index)} (sku_id=${item.sku_id}) has qty ${item.qty}: not sent`);
      return;
    }
    const sku = lookupSku(mappings, item.sku_id, who, lineName(item, index));
    const unit = resolveUnit(mappings, sku, item.unit, who);
    const aux = auxPropsRef(sku);
    const srcBin = lineLocation(mappings, src, item.bin, 'FSRCSTOCKLOCID', who, `${lineName(item, index)} source`);
    const destBin = lineLocation(mappings, dest, item.dest_bin, 'FDESTSTOCKLOCID', who, `${lineName(item, index)} destination`);
    for (const part of splitLineByBatch(item, doc.items, doc.batchs, sku, who)) {
      entries.push({
        FMaterialId: { FNumber: sku.material },
        FUnitID: { FNumber: unit },
        FBaseUnitId: { FNumber: unit },
        FQty: part.qty,
        FSrcStockId: { FNumber: src.stock },
        ...(srcBin && { FSrcStockLocId: srcBin }),
        FDestStockId: { FNumber: dest.stock },
        ...(destBin && { FDestStockLocId: destBin }),
        FSrcStockStatusId: { FNumber: settings.stockStatus },
        FDestStockStatusId: { FNumber: settings.stockStatus },
        ...lotFields(part),
        ...(part.lot !== undefined && { FDestLot: { FNumber: part.lot } }),
        ...(aux && { FAuxPropId: aux }),
        FOwnerTypeOutId: 'BD_OwnerOrg',
        FOwnerOutId: { FNumber: src.stockOrg },
        FOwnerTypeId: 'BD_OwnerOrg',
        FOwnerId: { FNumber: dest.stockOrg },
        FKeeperTypeOutId: 'BD_KeeperOrg',
        FKeeperOutId: { FNumber: src.stockOrg },
        FKeeperTypeId: 'BD_KeeperOrg',
        FKeeperId: { FNumber: dest.stockOrg },
        ...(item.ioi_id !== undefined && { FThirdSrcEntryId: String(item.ioi_id) }),
      });
    }
  });
  return { entries, notes };
}

/**
 * Pure transform of one effective JST 调拨入 document into one STK_TransferDirect Save model. Source stock:
 * the warehouse mapping of `link_wms_co_id` (else `wms_co_id`) with sub-warehouse `wh_id`; destination stock:
 * `wms_co_id` with `link_wh_id`. FBillNo = billNoPrefix + io_id (the idempotency key). One entry per line, or
 * per lot of a line; zero and negative lines are left out and reported in `notes`; a document with no line
 * left, or of another type than 调拨入, is skipped with a reason.
 * @throws PermanentError UNMAPPED_BASE_DATA (warehouse, SKU in table mode), INVALID_SOURCE_DOCUMENT (batch
 *   quantities that do not add up to the line, no date).
 */
export function transformTransfer(doc: Transfer, ctx: FlowContext<DocumentFlowSettings>): TransformResult {
  const { settings, mappings } = ctx;
  const who: DocLabel = { flow: ctx.flow, docId: String(doc.io_id), text: `调拨单 io_id=${doc.io_id}` };
  if (doc.type !== undefined && doc.type !== TRANSFER_IN_TYPE) {
    return { kind: 'skip', reason: `${who.flow} ${who.text}: type ${doc.type} is not booked (only ${TRANSFER_IN_TYPE} is)` };
  }
  const src = lookupWarehouse(mappings, String(doc.link_wms_co_id ?? doc.wms_co_id), who, whKey(doc.wh_id));
  const dest = lookupWarehouse(mappings, String(doc.wms_co_id), who, whKey(doc.link_wh_id));
  const { entries, notes } = transferEntries(doc, src, dest, ctx, who);
  if (!entries.length) {
    const why = doc.items.length ? notes.join('; ') : 'the document has no lines';
    return { kind: 'skip', reason: `${who.flow} ${who.text}: nothing to transfer (${why})` };
  }
  const billNo = `${settings.billNoPrefix}${doc.io_id}`;
  const model: StkTransferDirectModel = {
    FBillTypeID: { FNUMBER: settings.billType },
    FBillNo: billNo,
    FDate: inventoryBillDate(doc, who),
    FBizType: 'NORMAL',
    FTransferDirect: 'GENERAL',
    FTransferBizType: src.stockOrg === dest.stockOrg ? 'InnerOrgTransfer' : 'OverOrgTransfer',
    FStockOutOrgId: { FNumber: src.stockOrg },
    FOwnerTypeOutIdHead: 'BD_OwnerOrg',
    FOwnerOutIdHead: { FNumber: src.stockOrg },
    FStockOrgId: { FNumber: dest.stockOrg },
    FOwnerTypeIdHead: 'BD_OwnerOrg',
    FOwnerIdHead: { FNumber: dest.stockOrg },
    FNote: shortNote([
      `聚水潭调拨单 io_id=${doc.io_id}`,
      doc.link_io_id && `调拨出 io_id=${doc.link_io_id}`,
      doc.warehouse && doc.link_warehouse && `${doc.warehouse} → ${doc.link_warehouse}`,
      doc.remark,
    ]),
    FThirdSystem: 'JST',
    FThirdSrcId: String(doc.io_id),
    FThirdSrcBillNo: String(doc.io_id),
    FBillEntry: entries,
  };
  const documents = [{ formId: STK_TRANSFER_DIRECT, billNo, model }];
  return notes.length ? { kind: 'write', documents, notes } : { kind: 'write', documents };
}

/** `flows.transfer` in the config file: JST 调拨入 (/open/allocate/query, status Confirmed) → STK_TransferDirect. */
export const transferSettingsSchema = documentFlowSettingsSchema.extend({
  billType: kingdeeCode.default('ZJDB01_SYS'),
  billNoPrefix: billNoPrefixSchema.default('JSTTR'),
});
export type TransferSettings = z.output<typeof transferSettingsSchema>;

/** 直接调拨单: effective JST 调拨入 documents (status Confirmed) → Kingdee STK_TransferDirect, by modified windows. */
export const transferFlow: DocumentFlow<Transfer, TransferSettings> = {
  name: 'transfer',
  title: '直接调拨单',
  settings: transferSettingsSchema,
  source: { path: '/open/allocate/query', cursor: { kind: 'window', filters: { type: TRANSFER_IN_TYPE } }, businessDate: 'io_date', idField: 'io_id', idFilter: { key: 'io_ids', max: 50 } },
  target: {
    formId: STK_TRANSFER_DIRECT,
    schema: stkTransferDirectModelSchema,
    reconcile: { [STK_TRANSFER_DIRECT]: { entry: 'FBillEntry', material: 'FMaterialId', lot: 'FLot', qty: 'FQty' } },
    keyFields: { [STK_TRANSFER_DIRECT]: { path: 'FThirdSrcBillNo', holds: 'source-id' } },
  },
  schema: transferSchema,
  docId: (doc) => String(doc.io_id),
  version: (doc) => modifiedVersion(doc.modified),
  isReady: (doc) => doc.status === 'Confirmed' && (doc.type === undefined || doc.type === TRANSFER_IN_TYPE),
  transform: transformTransfer,
};
