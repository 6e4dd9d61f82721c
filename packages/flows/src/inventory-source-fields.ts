import { z } from 'zod';
import { jstDateTimeText, lenientId, lenientNumber, lenientText, listOrEmpty, optionalId, optionalNumber, optionalText } from './lenient';

/**
 * zod pieces shared by the inventory document sources (调拨 /open/allocate/query, 盘点
 * /open/inventory/count/query): a JST datetime text, an optional id, the batchs[] entry, and the line and header
 * fields both documents carry.
 */

export { jstDateTimeText, optionalId, optionalNumber } from './lenient';

/** A `batchs[]` entry (batch 2.0): the quantity of one lot on one line; qty may be signed on stocktakes. */
export const inventoryBatchSchema = z.object({
  batch_no: lenientText,
  ioi_id: optionalId,
  sku_id: lenientText,
  qty: lenientNumber,
  product_date: optionalText,
  expiration_date: optionalText,
});
export type InventoryBatch = z.infer<typeof inventoryBatchSchema>;

/** The fields of a line both inventory documents carry; each source adds what `qty` / `r_qty` mean to it and its own fields. */
export const inventoryLineShape = {
  ioi_id: optionalId,
  sku_id: lenientText,
  qty: lenientNumber,
  r_qty: optionalNumber,
  i_id: optionalText,
  name: optionalText,
  properties_value: optionalText,
  unit: optionalText,
  batch_id: optionalText,
  product_date: optionalText,
  expiration_date: optionalText,
  supplier_id: optionalText,
  /** Not in the reference: read when present (a WMS extension), never required. */
  bin: optionalText,
};

/** The header fields both inventory documents carry (the lines and lots: `inventoryLines`). */
export const inventoryHeaderShape = {
  io_id: lenientId,
  status: lenientText,
  type: optionalText,
  modified: jstDateTimeText,
  io_date: optionalText,
  wms_co_id: lenientId,
  wh_id: optionalId,
  warehouse: optionalText,
  remark: optionalText,
};

/** `items` (lines of `itemSchema`, null → []) and `batchs` (lots). */
export function inventoryLines<Item extends z.ZodType>(itemSchema: Item) {
  return { items: listOrEmpty(itemSchema), batchs: listOrEmpty(inventoryBatchSchema) };
}
