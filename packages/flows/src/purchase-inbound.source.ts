import { z } from 'zod';
import { lenientDigits, listOrEmpty, nonNegativeQuantity, optionalId, optionalNumber, optionalText } from './lenient';
import { purchaseBatchShape, purchaseHeaderShape, purchaseLineShape } from './purchase-source-fields';

/**
 * One JST purchase inbound document (采购入库单) as returned by `/open/purchasein/query` (reference
 * jushuitan-api.md §6). Lenient on typing (ids, quantities, prices and wh_id may be numbers or numeric
 * strings; null lists become []), strict on what the transform relies on: io_id, status, ts, modified,
 * wms_co_id, items[].sku_id and items[].qty. Fields the integration does not read are dropped.
 */


export const purchaseInboundItemSchema = z.object(purchaseLineShape(nonNegativeQuantity));

export const purchaseInboundBatchSchema = z.object(purchaseBatchShape(nonNegativeQuantity));

export const purchaseInboundSchema = z.object({
  ...purchaseHeaderShape,
  /** Row version; kept as a decimal string. */
  ts: lenientDigits,
  /** 0 or missing = no supplier id; then the name is used. */
  supplier_id: optionalId,
  supplier_name: optionalText,
  tax_rate: optionalNumber,
  items: listOrEmpty(purchaseInboundItemSchema),
  batchs: listOrEmpty(purchaseInboundBatchSchema),
});

export type PurchaseInbound = z.infer<typeof purchaseInboundSchema>;
export type PurchaseInboundItem = z.infer<typeof purchaseInboundItemSchema>;
