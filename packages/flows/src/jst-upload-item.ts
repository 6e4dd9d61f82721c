import { z } from 'zod';
import type { JstUploadItem } from './kingdee-source-types';

/** JST path of the item/SKU upload (reference jushuitan-api.md §11): an upsert keyed by sku_id. */
export const JST_ITEMSKU_UPLOAD_PATH = '/open/jushuitan/itemsku/upload';

/** Characters (not bytes: a Chinese character counts as one) JST accepts in properties_value. */
export const MAX_PROPERTIES_VALUE = 100;

/** One upload item as JST accepts it; the worker validates every item with it before sending. */
export const jstUploadItemSchema: z.ZodType<JstUploadItem> = z
  .object({
    sku_id: z.string().min(1, 'sku_id is required').max(100),
    i_id: z.string().min(1, 'i_id is required').max(100),
    name: z.string().min(1, 'name is required').max(200),
    properties_value: z.string().refine((v) => Array.from(v).length <= MAX_PROPERTIES_VALUE, `at most ${MAX_PROPERTIES_VALUE} characters`).optional(),
    unit: z.string().min(1).optional(),
    sku_code: z.string().min(1).optional(),
    s_price: z.number().nonnegative().optional(),
    c_price: z.number().nonnegative().optional(),
    enabled: z.union([z.literal(1), z.literal(0), z.literal(-1)]).optional(),
    batch_enabled: z.boolean().optional(),
    shelf_life: z.number().int().positive('shelf_life must be > 0').optional(),
    item_type: z.enum(['成品', '半成品', '原材料', '包材']).optional(),
    other_code: z.string().max(500).optional(),
    remark: z.string().optional(),
  })
  .strict();

/** Pure: `text` cut to at most `max` characters (code points). */
export function truncateChars(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}
