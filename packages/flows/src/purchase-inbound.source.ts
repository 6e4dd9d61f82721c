import { z } from 'zod';
import { jstDateTimeText, lenientDigits, lenientId, lenientText, listOrEmpty, nonNegativeQuantity, optionalId, optionalNumber, optionalText } from './lenient';

/**
 * One JST purchase inbound document (采购入库单) as returned by `/open/purchasein/query` (reference
 * jushuitan-api.md §6). Lenient on typing (ids, quantities, prices and wh_id may be numbers or numeric
 * strings; null lists become []), strict on what the transform relies on: io_id, status, ts, modified,
 * wms_co_id, items[].sku_id and items[].qty. Fields the integration does not read are dropped.
 */


export const purchaseInboundItemSchema = z.object({
  ioi_id: optionalId,
  sku_id: lenientText,
  qty: nonNegativeQuantity,
  i_id: optionalText,
  name: optionalText,
  properties_value: optionalText,
  unit: optionalText,
  /** Tax-inclusive unit cost; 0 on a received gift. */
  cost_price: optionalNumber,
  cost_amount: optionalNumber,
  tax_rate: optionalNumber,
  remark: optionalText,
  /** The line's lot, when batch management is on in JST. */
  batch_no: optionalText,
});

export const purchaseInboundBatchSchema = z.object({
  batch_no: lenientText,
  sku_id: lenientText,
  qty: nonNegativeQuantity,
  product_date: optionalText,
  expiration_date: optionalText,
  supplier_id: optionalId,
  supplier_name: optionalText,
});

export const purchaseInboundSchema = z.object({
  io_id: lenientId,
  status: lenientText,
  /** Row version; kept as a decimal string. */
  ts: lenientDigits,
  modified: jstDateTimeText,
  io_date: optionalText,
  wms_co_id: lenientId,
  /** Virtual warehouse (1 主仓, 2 销退仓, 3 进货仓, 4 次品仓 ...); typed String by IEU, Int by real schemas. */
  wh_id: optionalId,
  warehouse: optionalText,
  po_id: optionalText,
  so_id: optionalText,
  /** 0 or missing = no supplier id; then the name is used. */
  supplier_id: optionalId,
  supplier_name: optionalText,
  tax_rate: optionalNumber,
  remark: optionalText,
  f_status: optionalText,
  items: listOrEmpty(purchaseInboundItemSchema),
  batchs: listOrEmpty(purchaseInboundBatchSchema),
});

export type PurchaseInbound = z.infer<typeof purchaseInboundSchema>;
export type PurchaseInboundItem = z.infer<typeof purchaseInboundItemSchema>;
