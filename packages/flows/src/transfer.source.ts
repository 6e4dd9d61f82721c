import { z } from 'zod';
import { inventoryHeaderShape, inventoryLines, inventoryLineShape, optionalId, optionalNumber } from './inventory-source-fields';
import { lenientNumber, optionalText } from './lenient';

/**
 * One JST transfer document (调拨单) as returned by `/open/allocate/query` (reference jushuitan-api.md §9).
 * Lenient on typing (numbers or numeric strings, null lists → []), strict on what the transform relies on:
 * io_id, status, modified, wms_co_id and items[].sku_id/qty. For a 调拨入 document `wms_co_id` is the receiving
 * warehouse and `link_wms_co_id` the sending one; `wh_id` is the from- and `link_wh_id` the to-sub-warehouse.
 * `bin` / `dest_bin` on a line are NOT in the reference: read when present (a WMS extension), never required.
 */

export const transferItemSchema = z.object({
  ...inventoryLineShape,
  /** 调拨数量. */
  qty: lenientNumber,
  /** 点数: the counted quantity (informational). */
  r_qty: optionalNumber,
  dest_bin: optionalText,
});

export const transferSchema = z.object({
  ...inventoryHeaderShape,
  co_id: optionalId,
  link_wms_co_id: optionalId,
  link_wh_id: optionalId,
  link_io_id: optionalText,
  so_id: optionalText,
  link_warehouse: optionalText,
  ...inventoryLines(transferItemSchema),
});

export type Transfer = z.infer<typeof transferSchema>;
export type TransferItem = z.infer<typeof transferItemSchema>;
