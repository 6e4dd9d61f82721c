import { z } from 'zod';
import { jstDateTimeText, lenientId, lenientNumber, lenientText, listOrEmpty, optionalId, optionalNumber, optionalText } from './lenient';

/**
 * One JST purchase return document (采购退货单) as returned by `/open/purchaseout/query` (reference
 * jushuitan-api.md §7). There is no `ts`: the version is `modified`. Lenient on typing (wms_co_id is a
 * String in IEU; ids, quantities and prices may be numbers or numeric strings). Quantities may arrive
 * with either sign (an outbound document); the transform uses their magnitude.
 */


export const purchaseReturnItemSchema = z.object({
  ioi_id: optionalId,
  sku_id: lenientText,
  qty: lenientNumber,
  i_id: optionalText,
  name: optionalText,
  properties_value: optionalText,
  unit: optionalText,
  cost_price: optionalNumber,
  cost_amount: optionalNumber,
  tax_rate: optionalNumber,
  remark: optionalText,
  batch_no: optionalText,
});

export const purchaseReturnBatchSchema = z.object({
  batch_no: lenientText,
  sku_id: lenientText,
  qty: lenientNumber,
  product_date: optionalText,
  /** Not in the reference's purchaseout batch list; read when present. */
  expiration_date: optionalText,
  supplier_id: optionalId,
  supplier_name: optionalText,
});

export const purchaseReturnSchema = z.object({
  io_id: lenientId,
  status: lenientText,
  modified: jstDateTimeText,
  io_date: optionalText,
  wms_co_id: lenientId,
  wh_id: optionalId,
  warehouse: optionalText,
  po_id: optionalText,
  so_id: optionalText,
  /** Supplier id; 0 or missing = none, then receiver_name (the supplier name) is used. */
  seller_id: optionalId,
  receiver_name: optionalText,
  remark: optionalText,
  f_status: optionalText,
  items: listOrEmpty(purchaseReturnItemSchema),
  batchs: listOrEmpty(purchaseReturnBatchSchema),
});

export type PurchaseReturn = z.infer<typeof purchaseReturnSchema>;
export type PurchaseReturnItem = z.infer<typeof purchaseReturnItemSchema>;
