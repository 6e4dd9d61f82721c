import { z } from 'zod';
import { looksLikeJstDate } from './dates';
import { lenientId, lenientNumber, lenientText, optionalText } from './lenient';

/**
 * zod pieces shared by the inventory document sources (调拨 /open/allocate/query, 盘点
 * /open/inventory/count/query): a JST datetime text, an optional id, and the batchs[] entry.
 */

/** A JST datetime text (`yyyy-MM-dd HH:mm:ss`, Beijing time); required. */
export const jstDateTimeText = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'expected a JST datetime text') })
  .refine(looksLikeJstDate, { message: 'expected a JST datetime like 2024-05-20 15:40:11' });

/** An optional id: null and missing become undefined. */
export const optionalId = lenientId.nullish().transform((v) => v ?? undefined);

/** An optional number: null and missing become undefined. */
export const optionalNumber = lenientNumber.nullish().transform((v) => v ?? undefined);

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
