import { z } from 'zod';
import { inventoryBatchSchema, jstDateTimeText, optionalId, optionalNumber } from './inventory-source-fields';
import { lenientId, lenientNumber, lenientText, listOrEmpty, optionalText } from './lenient';

/**
 * One JST stocktake document (盘点单) as returned by `/open/inventory/count/query` (reference jushuitan-api.md
 * §10). On a line `qty` is the signed difference (positive = 盘盈 gain, negative = 盘亏 loss) and `r_qty` the
 * quantity after the count. `bin` on a line is NOT in the reference: read when present, never required.
 */

export const stocktakeItemSchema = z.object({
  ioi_id: optionalId,
  sku_id: lenientText,
  /** 盈亏数量, signed. */
  qty: lenientNumber,
  /** 盘点后数量. */
  r_qty: optionalNumber,
  i_id: optionalText,
  name: optionalText,
  properties_value: optionalText,
  unit: optionalText,
  batch_id: optionalText,
  product_date: optionalText,
  expiration_date: optionalText,
  supplier_id: optionalText,
  bin: optionalText,
});

export const stocktakeSchema = z.object({
  io_id: lenientId,
  status: lenientText,
  type: optionalText,
  modified: jstDateTimeText,
  io_date: optionalText,
  wms_co_id: lenientId,
  wh_id: optionalId,
  warehouse: optionalText,
  remark: optionalText,
  items: listOrEmpty(stocktakeItemSchema),
  batchs: listOrEmpty(inventoryBatchSchema),
});

export type Stocktake = z.infer<typeof stocktakeSchema>;
export type StocktakeItem = z.infer<typeof stocktakeItemSchema>;
