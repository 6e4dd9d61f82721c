import { z } from 'zod';
import { lenientNumber, listOrEmpty, optionalId, optionalText } from './lenient';
import { purchaseBatchShape, purchaseHeaderShape, purchaseLineShape } from './purchase-source-fields';

/**
 * One JST purchase return document (采购退货单) as returned by `/open/purchaseout/query` (reference
 * jushuitan-api.md §7). There is no `ts`: the version is `modified`. Lenient on typing (wms_co_id is a
 * String in IEU; ids, quantities and prices may be numbers or numeric strings). Quantities may arrive
 * with either sign (an outbound document); the transform uses their magnitude.
 */


export const purchaseReturnItemSchema = z.object(purchaseLineShape(lenientNumber));

export const purchaseReturnBatchSchema = z.object(purchaseBatchShape(lenientNumber));

export const purchaseReturnSchema = z.object({
  ...purchaseHeaderShape,
  /** Supplier id; 0 or missing = none, then receiver_name (the supplier name) is used. */
  seller_id: optionalId,
  receiver_name: optionalText,
  items: listOrEmpty(purchaseReturnItemSchema),
  batchs: listOrEmpty(purchaseReturnBatchSchema),
});

export type PurchaseReturn = z.infer<typeof purchaseReturnSchema>;
export type PurchaseReturnItem = z.infer<typeof purchaseReturnItemSchema>;
