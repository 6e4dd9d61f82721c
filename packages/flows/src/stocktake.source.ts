import { z } from 'zod';
import { inventoryHeaderShape, inventoryLines, inventoryLineShape, optionalNumber } from './inventory-source-fields';
import { lenientNumber } from './lenient';

/**
 * One JST stocktake document (盘点单) as returned by `/open/inventory/count/query` (reference jushuitan-api.md
 * §10). On a line `qty` is the signed difference (positive = 盘盈 gain, negative = 盘亏 loss) and `r_qty` the
 * quantity after the count. `bin` on a line is NOT in the reference: read when present, never required.
 */

export const stocktakeItemSchema = z.object({
  ...inventoryLineShape,
  /** 盈亏数量, signed. */
  qty: lenientNumber,
  /** 盘点后数量. */
  r_qty: optionalNumber,
});

export const stocktakeSchema = z.object({ ...inventoryHeaderShape, ...inventoryLines(stocktakeItemSchema) });

export type Stocktake = z.infer<typeof stocktakeSchema>;
export type StocktakeItem = z.infer<typeof stocktakeItemSchema>;
